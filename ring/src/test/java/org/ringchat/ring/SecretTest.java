package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.ring.transport.ClusterSecret;
import org.ringchat.ring.transport.TransportLimits;

/** A ring with a secret: its members chat; nobody without the secret gets in or learns anything. */
@Timeout(120)
class SecretTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("correct horse battery staple".getBytes(StandardCharsets.UTF_8));
    private static final ClusterSecret WRONG = ClusterSecret.of("incorrect horse battery staple".getBytes(StandardCharsets.UTF_8));

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static RingConfig.Builder config(String name, ClusterSecret secret) {
        return Cluster.config(name).secret(secret)
                .limits(new TransportLimits(2000, 1024, 4, TransportLimits.DEFAULT_MAX_PENDING_WRITE_BYTES,
                        TransportLimits.DEFAULT_MAX_UNFINISHED_FRAME_BYTES));
    }

    private List<TestNode> securedRing() {
        TestNode alice = cluster.start(config("alice", SECRET).build());
        TestNode bob = cluster.start(config("bob", SECRET).joinVia(alice.address()).build());
        TestNode carol = cluster.start(config("carol", SECRET).joinVia(bob.address()).build());
        List<TestNode> all = List.of(alice, bob, carol);
        cluster.awaitOneRing(all);
        return all;
    }

    @Test
    void membersWithTheSecretFormARingAndChat() {
        List<TestNode> ring = securedRing();
        cluster.send(ring.get(2), "secret hello");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("secret hello"), n::toString)));
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void aJoinerWithAWrongSecretOrNoneIsRefused() {
        List<TestNode> ring = securedRing();
        Throwable wrong = cluster.joinFailure(config("mallory", WRONG).joinVia(ring.get(1).address()).build());
        assertInstanceOf(JoinException.class, wrong);
        assertEquals("authentication failed", wrong.getMessage());
        Throwable none = cluster.joinFailure(config("eve", null).joinVia(ring.get(0).address()).build());
        assertInstanceOf(JoinException.class, none);
        assertEquals("authentication failed", none.getMessage());
        // neither got in, and the ring goes on
        cluster.assertOneRing(ring);
        cluster.send(ring.get(0), "still private");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("still private"), n::toString)));
    }

    @Test
    void aStrangerGetsNothingButAChallengeAndIsClosed() throws IOException {
        List<TestNode> ring = securedRing();
        cluster.send(ring.get(1), "names and chat a stranger must not see");
        try (Socket socket = new Socket("127.0.0.1", ring.get(0).address().port())) {
            socket.setSoTimeout(20_000);
            // it says Hello as an unsecured node would, claiming to be bob
            byte[] hello = ("{\"from\":\"" + ring.get(1).address() + "\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":"
                    + ProtocolVersion.CURRENT + ",\"name\":\"bob\"}}").getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(hello.length);
            out.write(hello);
            out.flush();
            // all it ever reads is the node's challenge: a length, a magic and a nonce; then the node hangs up
            byte[] read = readAll(socket.getInputStream());
            assertEquals(4 + 4 + 32, read.length, "only the challenge");
            String text = new String(read, StandardCharsets.ISO_8859_1);
            assertTrue(!text.contains("alice") && !text.contains("bob") && !text.contains("carol") && !text.contains("names"),
                    "no member name and no chat");
        }
        cluster.assertOneRing(ring);
    }

    @Test
    void aPassiveListenerIsClosedAfterTheHandshakeDeadlineHavingLearntNothing() throws IOException {
        List<TestNode> ring = securedRing();
        try (Socket socket = new Socket("127.0.0.1", ring.get(0).address().port())) {
            socket.setSoTimeout(20_000);
            byte[] read = readAll(socket.getInputStream());
            assertEquals(4 + 4 + 32, read.length, "only the challenge, then closed at the handshake deadline");
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                bytes.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the node reset the connection: what was read before counts
        }
        return bytes.toByteArray();
    }
}
