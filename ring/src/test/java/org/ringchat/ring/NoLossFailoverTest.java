package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.ring.LoopbackCluster.TestNode;

/**
 * Two members send steadily while the leader dies or hangs: every line of a live sender reaches
 * every survivor exactly once, in its sender's order, and all survivors show one order.
 */
@Timeout(180)
class NoLossFailoverTest {

    private static final int LINES = 300;

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    /** Sends LINES lines from a background thread, a few at a time. */
    private static CompletableFuture<Void> stream(TestNode sender) {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < LINES; i++) {
                sender.node.send(sender.name + " " + i);
                if (i % 10 == 9) {
                    // spread the stream over the failover instead of sending it all at once
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
        });
    }

    private void assertEverythingOnce(List<TestNode> survivors, List<TestNode> senders) {
        await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> {
            for (TestNode n : survivors) {
                for (TestNode s : senders) {
                    assertEquals(LINES, n.texts().stream().filter(t -> t.startsWith(s.name + " ")).count(),
                            () -> n + " lacks lines of " + s + "\n" + cluster.describe());
                }
            }
        });
        for (TestNode n : survivors) {
            for (TestNode s : senders) {
                List<String> own = n.texts().stream().filter(t -> t.startsWith(s.name + " ")).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < LINES; i++) {
                    expected.add(s.name + " " + i);
                }
                assertEquals(expected, own, n + " shows " + s + "'s lines out of order or doubled");
            }
        }
        FailureRecoveryTest.assertSameHistory(survivors);
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void leaderCrashDuringSteadyChatLosesAndDoublesNothing() {
        List<TestNode> nodes = cluster.ring(5);
        List<TestNode> senders = List.of(nodes.get(2), nodes.get(4));
        CompletableFuture<Void> a = stream(senders.get(0));
        CompletableFuture<Void> b = stream(senders.get(1));
        // the leader dies once the streams are under way
        await().atMost(LoopbackCluster.PATIENCE).until(() -> nodes.get(1).chats.size() > 60);
        cluster.crash(nodes.get(0));
        CompletableFuture.allOf(a, b).join();
        List<TestNode> survivors = nodes.subList(1, 5);
        cluster.awaitOneRing(survivors);
        assertEverythingOnce(survivors, senders);
    }

    @Test
    void leaderHangDuringSteadyChatLosesAndDoublesNothing() {
        List<TestNode> nodes = cluster.ring(5);
        List<TestNode> senders = List.of(nodes.get(1), nodes.get(3));
        CompletableFuture<Void> a = stream(senders.get(0));
        CompletableFuture<Void> b = stream(senders.get(1));
        await().atMost(LoopbackCluster.PATIENCE).until(() -> nodes.get(2).chats.size() > 60);
        cluster.pause(nodes.get(0));
        CompletableFuture.allOf(a, b).join();
        List<TestNode> survivors = nodes.subList(1, 5);
        cluster.awaitOneRing(survivors);
        assertEverythingOnce(survivors, senders);

        // the old leader wakes, rejoins, and shows nothing the others did not
        cluster.resume(nodes.get(0));
        cluster.awaitOneRing(nodes);
        nodes.get(0).node.send("n0 is back");
        await().atMost(LoopbackCluster.PATIENCE).until(() -> nodes.stream().allMatch(n -> n.texts().contains("n0 is back")));
        FailureRecoveryTest.assertSameHistory(nodes);
    }
}
