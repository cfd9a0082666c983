package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections that drop mid-stream (a network blip) lose nothing and double nothing. */
@Timeout(120)
class ConnectionDropTest {

    private static final int LINES = 400;

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void droppedConnectionsOfSenderAndLeaderLoseNothing() {
        TestNode alice = cluster.startLeader("alice");
        TestNode bob = cluster.join("bob", alice);
        TestNode carol = cluster.join("carol", bob);
        List<TestNode> all = List.of(alice, bob, carol);
        cluster.awaitOneRing(all);

        // bob streams; meanwhile bob's connections drop, then the leader's
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < LINES; i++) {
                bob.node.send("bob " + i);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        });
        await().atMost(LoopbackCluster.PATIENCE).until(() -> carol.chats.size() > 50);
        bob.node.dropConnections();
        await().atMost(LoopbackCluster.PATIENCE).until(() -> carol.chats.size() > 150);
        alice.node.dropConnections();
        stream.join();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            expected.add("bob " + i);
        }
        await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> all.forEach(n ->
                assertEquals(expected, n.texts(), () -> n + " differs\n" + cluster.describe())));
        Cluster.assertSameHistory(all);
        cluster.assertOneRing(all);
        assertEquals(0, cluster.handlerFailures());
    }
}
