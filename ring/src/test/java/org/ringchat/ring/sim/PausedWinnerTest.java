package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * The winner of an election that sleeps before it publishes its first view may find, on waking,
 * that the others took it for gone and elected another leader, which numbered lines meanwhile.
 * It publishes on probation, as a leader back from a pause does: the others answer from the
 * newer term, and it joins their ring. Before, it led on waking, took their ring for another
 * piece, went on alone and numbered its own held lines where that ring had numbered others
 * (simulator seed 155876).
 */
class PausedWinnerTest {

    private final SimCluster cluster = new SimCluster(7);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aWinnerThatSleptBeforeItsFirstViewJoinsTheRingThatReplacedIt() {
        List<TestNode> ring = cluster.ring(5);
        TestNode alice = ring.get(1); // the most senior survivor: she wins
        TestNode bob = ring.get(2);
        TestNode carol = ring.get(3);
        TestNode dave = ring.get(4);

        // the members' answers to alice's catch-up are slow: they reach her after its deadline,
        // and she sleeps through both, with a line typed and held
        cluster.delay("SyncReply", 2000);
        cluster.crash(ring.get(0));
        cluster.awaitUntil(() -> assertTrue(alice.saw(Kind.ELECTION, "won the election"), alice::toString));
        cluster.send(alice, "alice's held line");
        cluster.pause(alice);
        cluster.awaitUntil(() -> List.of(bob, carol, dave).forEach(n -> assertTrue(n.saw(Kind.ELECTION, "catching up with new leader " + alice.name), n::toString)));
        cluster.stopDelaying("SyncReply", 2000);

        // the others find her silent, elect bob, and number a line of carol's
        List<TestNode> others = List.of(bob, carol, dave);
        cluster.awaitUntil(() -> others.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(bob.name, n.view().leader().name(), n::toString);
            assertEquals(3, n.view().members().size(), n::toString);
        }));
        cluster.send(carol, "carol while alice slept");
        cluster.awaitUntil(() -> others.forEach(n -> assertTrue(n.texts().contains("carol while alice slept"), n::toString)));

        cluster.resume(alice);
        List<TestNode> survivors = List.of(alice, bob, carol, dave);
        cluster.awaitUntil(() -> survivors.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(4, n.view().members().size(), n::toString);
            assertEquals(bob.name, n.view().leader().name(), n::toString);
            assertTrue(n.texts().contains("alice's held line"), n::toString);
            assertTrue(n.texts().contains("carol while alice slept"), n::toString);
        }));

        assertFalse(alice.saw(Kind.WARNING, "leads another piece"), () -> alice + " took the ring that replaced her for a piece");
        Cluster.assertSameHistory(survivors);
        survivors.forEach(n -> assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice"));
    }
}
