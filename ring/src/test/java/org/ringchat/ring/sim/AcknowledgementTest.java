package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.TestNode;

/**
 * A leader shows its own orderings once one member has them. The deputy (the most senior member
 * but the leader) says so at the end of the turn that delivered them; the other members at most
 * every {@code ChatHandling.LAZY_ACK_MS} (50 ms), for when the deputy is slow or cut off. Before,
 * every member acknowledged every turn: at one line a frame, N-1 frames into the leader a line.
 */
class AcknowledgementTest {

    /** {@code ChatHandling.LAZY_ACK_MS}. */
    private static final long LAZY_ACK_MS = 50;

    private final SimCluster cluster = new SimCluster(11);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void theDeputyAcknowledgesEveryTurnAndTheOthersAtMostEveryFiftyMilliseconds() {
        List<TestNode> ring = cluster.ring(5);
        Map<NodeAddress, Integer> acks = watchAcks();

        // one line every 10 ms from the most junior member, for a second
        long start = cluster.nowMs();
        CompletableFuture<Void> talk = cluster.stream(ring.get(4), 100, 1, 10);
        cluster.await(talk);
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("n4 99"), n::toString)));
        long lasted = cluster.nowMs() - start;

        // the deputy, n1, acknowledges each line (one a turn); nobody else more than once per 50 ms
        assertTrue(acks.getOrDefault(ring.get(1).address(), 0) >= 100, acks::toString);
        long most = lasted / LAZY_ACK_MS + 2;
        for (TestNode other : ring.subList(2, 5)) {
            int sent = acks.getOrDefault(other.address(), 0);
            assertTrue(sent >= 1 && sent <= most, () -> other.name + " sent " + sent + " in " + lasted + " ms: " + acks);
        }
        ring.forEach(n -> assertEquals(ring.get(4).texts(), n.texts(), n::toString));
    }

    @Test
    void withTheDeputyAsleepTheLeaderShowsItsLinesOnTheOthersAcknowledgements() {
        List<TestNode> ring = cluster.ring(5);
        TestNode leader = ring.get(0);
        cluster.send(ring.get(4), "before");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("before"), n::toString)));

        // the deputy stops (a SIGSTOP): long before anyone suspects it (1 s), the leader shows
        // the next line, on an acknowledgement of the others'
        cluster.pause(ring.get(1));
        long sent = cluster.nowMs();
        cluster.send(ring.get(4), "while the deputy sleeps");
        cluster.awaitUntil(() -> assertTrue(leader.texts().contains("while the deputy sleeps"), leader::toString));
        long shown = cluster.nowMs() - sent;
        assertTrue(shown <= LAZY_ACK_MS + 50, () -> "shown after " + shown + " ms");
        assertEquals(5, leader.view().members().size(), "nobody was removed meanwhile");

        cluster.resume(ring.get(1));
        cluster.awaitUntil(() -> ring.forEach(n -> assertEquals(List.of("before", "while the deputy sleeps"),
                n.texts(), n::toString)));
    }

    /** How many {@code ChatAck}s each node writes from now on. */
    private Map<NodeAddress, Integer> watchAcks() {
        Map<NodeAddress, Integer> acks = new HashMap<>();
        cluster.watchWrites((e, to) -> {
            if (e.message() instanceof Message.ChatAck) {
                acks.merge(e.from(), 1, Integer::sum);
            }
        });
        return acks;
    }
}
