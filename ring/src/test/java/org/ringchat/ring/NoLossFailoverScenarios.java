package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two members send steadily while the leader dies or hangs: every line of a live sender reaches
 * every survivor exactly once, in its sender's order, and all survivors show one order. Run
 * over each transport by {@link NoLossFailoverTest}.
 */
@Timeout(180)
abstract class NoLossFailoverScenarios extends ClusterScenarios {

    private static final int LINES = 300;

    /** LINES lines, ten at a time, 5 ms apart: the stream spreads over the failover instead of arriving at once. */
    private CompletableFuture<Void> stream(TestNode sender) {
        return cluster.stream(sender, LINES, 10, 5);
    }

    private void assertEverythingOnce(List<TestNode> survivors, List<TestNode> senders) {
        cluster.awaitUntil(() -> {
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
        Cluster.assertSameHistory(survivors);
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void leaderCrashDuringSteadyChatLosesAndDoublesNothing() {
        List<TestNode> nodes = cluster.ring(5);
        List<TestNode> senders = List.of(nodes.get(2), nodes.get(4));
        CompletableFuture<Void> a = stream(senders.get(0));
        CompletableFuture<Void> b = stream(senders.get(1));
        // the leader dies once the streams are under way
        cluster.awaitUntil(() -> nodes.get(1).chats.size() > 60);
        cluster.crash(nodes.get(0));
        cluster.await(CompletableFuture.allOf(a, b));
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
        cluster.awaitUntil(() -> nodes.get(2).chats.size() > 60);
        cluster.pause(nodes.get(0));
        cluster.await(CompletableFuture.allOf(a, b));
        List<TestNode> survivors = nodes.subList(1, 5);
        cluster.awaitOneRing(survivors);
        assertEverythingOnce(survivors, senders);

        // the old leader wakes, rejoins, and shows nothing the others did not
        cluster.resume(nodes.get(0));
        cluster.awaitOneRing(nodes);
        cluster.send(nodes.get(0), "n0 is back");
        cluster.awaitUntil(() -> nodes.stream().allMatch(n -> n.texts().contains("n0 is back")));
        Cluster.assertSameHistory(nodes);
    }
}
