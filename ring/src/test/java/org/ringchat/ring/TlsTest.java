package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.ring.transport.ClusterSecret;
import org.ringchat.ring.transport.TlsFiles;

/** Mutual TLS on every link: members with certificates from the ring's CA chat; nobody else gets in. */
@Timeout(120)
class TlsTest {

    @TempDir
    Path tmp;

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private List<TestNode> ring(TestCertificates ca, ClusterSecret secret) {
        TestNode alice = cluster.start(Cluster.config("alice").tls(ca.node("alice", "127.0.0.1")).secret(secret).build());
        TestNode bob = cluster.start(Cluster.config("bob").tls(ca.node("bob", "127.0.0.1")).secret(secret)
                .joinVia(alice.address()).build());
        TestNode carol = cluster.start(Cluster.config("carol").tls(ca.node("carol", "127.0.0.1")).secret(secret)
                .joinVia(bob.address()).build());
        List<TestNode> all = List.of(alice, bob, carol);
        cluster.awaitOneRing(all);
        return all;
    }

    @Test
    void membersWithCertificatesOfTheRingsCaChat() {
        List<TestNode> ring = ring(new TestCertificates(tmp.resolve("ca"), "ring"), null);
        cluster.send(ring.get(2), "over tls");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("over tls"), n::toString)));
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void tlsAndASecretTogether() {
        ClusterSecret secret = ClusterSecret.of("both locks on the same door".getBytes(StandardCharsets.UTF_8));
        List<TestNode> ring = ring(new TestCertificates(tmp.resolve("ca"), "ring"), secret);
        cluster.send(ring.get(1), "doubly private");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("doubly private"), n::toString)));
    }

    @Test
    void aCertificateTheCaDidNotSignIsRefused() {
        TestCertificates ca = new TestCertificates(tmp.resolve("ca"), "ring");
        List<TestNode> ring = ring(ca, null);
        // mallory's certificate comes from another CA, though it trusts the ring's
        TlsFiles own = new TestCertificates(tmp.resolve("other"), "other").node("mallory", "127.0.0.1");
        TlsFiles mallory = new TlsFiles(own.certificate(), own.key(), ca.caFile());
        Throwable refused = cluster.joinFailure(Cluster.config("mallory").tls(mallory).joinVia(ring.get(0).address()).build());
        assertInstanceOf(JoinException.class, refused);
        assertEquals("authentication failed", refused.getMessage());
        // and a node without TLS cannot join either
        Throwable plain = cluster.joinFailure(Cluster.config("eve").joinVia(ring.get(0).address()).build());
        assertInstanceOf(JoinException.class, plain);
        cluster.assertOneRing(ring);
    }

    @Test
    void aCertificateForAnotherNameCannotSpeakAsThisOne() {
        TestCertificates ca = new TestCertificates(tmp.resolve("ca"), "ring");
        List<TestNode> ring = ring(ca, null);
        // a valid certificate of the ring, but for "dave": mallory joining as "mallory" with it is refused
        Throwable refused = cluster.joinFailure(Cluster.config("mallory").tls(ca.node("dave", "127.0.0.1"))
                .joinVia(ring.get(0).address()).build());
        assertInstanceOf(JoinException.class, refused);
        cluster.assertOneRing(ring);
    }
}
