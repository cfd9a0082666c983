package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.ProtocolVersion;

/** A peer that sends garbage loses its connection; the node it attacked keeps chatting. */
@Timeout(60)
class HostilePeerTest {

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static byte[] frame(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"oversize", "invalid json", "unknown type", "no hello first", "wrong version", "forged sender",
        "invalid unicode", "extreme term"})
    void badFrameClosesOnlyThatConnection(String attack) throws IOException {
        TestNode alice = cluster.startLeader("alice");
        TestNode bob = cluster.join("bob", alice);
        cluster.awaitOneRing(List.of(alice, bob));
        String hello = "{\"from\":\"127.0.0.1:1\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":"
                + ProtocolVersion.CURRENT + ",\"name\":\"mallory\"}}";

        try (Socket socket = new Socket("127.0.0.1", alice.address().port())) {
            socket.setSoTimeout(20_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            switch (attack) {
                case "oversize" -> out.writeInt(64 << 20);
                case "invalid json" -> write(out, frame("{\"from\": nope"));
                case "unknown type" -> write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":1,\"msg\":{\"type\":\"Shout\"}}"));
                case "no hello first" -> write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":1,\"msg\":{\"type\":\"Leave\"}}"));
                case "wrong version" -> write(out, frame(hello.replace("\"version\":" + ProtocolVersion.CURRENT, "\"version\":99")));
                case "invalid unicode" -> {
                    write(out, frame(hello));
                    write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":2,\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":1,"
                            + "\"text\":\"blind \\ud800 everyone\"}}"));
                }
                case "extreme term" -> {
                    write(out, frame(hello));
                    write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":2,\"msg\":{\"type\":\"Heartbeat\",\"term\":"
                            + Long.MAX_VALUE + ",\"version\":1}}"));
                }
                case "forged sender" -> {
                    write(out, frame(hello));
                    write(out, frame("{\"from\":\"" + bob.address() + "\",\"t\":2,\"msg\":{\"type\":\"Leave\"}}"));
                }
                default -> throw new IllegalArgumentException(attack);
            }
            out.flush();
            // the node hangs up on us
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "the connection should be closed");
        }

        // and goes on as before: bob is still a member and chat flows
        bob.node.send("still fine after " + attack);
        await().atMost(LoopbackCluster.PATIENCE).until(() ->
                alice.texts().contains("still fine after " + attack) && bob.texts().contains("still fine after " + attack));
        cluster.assertOneRing(List.of(alice, bob));
        assertEquals(0, cluster.handlerFailures());
    }

    private static void write(DataOutputStream out, byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
    }
}
