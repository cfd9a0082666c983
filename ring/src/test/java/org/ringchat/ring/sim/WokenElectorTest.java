package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message.RingProbe;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A member that sleeps long enough to be removed reads first, when it wakes, what was sent to it
 * before: a candidacy from an election long over, a goodbye from a leader that went over to
 * another ring. Electing on them, among members that are gone since, it found itself alone and
 * led a ring of its own beside the one that had removed it, numbering lines that ring numbered
 * otherwise, though that ring's leader was probing it all along (simulator seed 20206). Probed
 * from a newer term of its ring while it elects after such a pause, it rejoins through the prober.
 */
class WokenElectorTest {

    private final SimCluster cluster = new SimCluster(13);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aMemberWokenIntoAStaleElectionRejoinsTheRingThatProbesIt() {
        List<TestNode> ring = cluster.ring(3);
        TestNode leader = ring.get(0);
        TestNode alice = ring.get(1);
        TestNode bob = ring.get(2);
        AtomicInteger probesOfTermThree = new AtomicInteger();
        cluster.watchWrites((e, to) -> {
            if (to.equals(bob.address()) && e.message() instanceof RingProbe p && p.ring().term() == 3) {
                probesOfTermThree.incrementAndGet();
            }
        });

        // bob and the leader sleep; alice elects herself alone (term 2), her candidacy to bob unread
        cluster.pause(bob);
        cluster.pause(leader);
        cluster.awaitUntil(() -> {
            assertEquals(Status.MEMBER, alice.view().status(), alice::toString);
            assertEquals(alice.name, alice.view().leader().name(), alice::toString);
            assertEquals(1, alice.view().members().size(), alice::toString);
        });

        // the leader wakes, finds itself replaced and joins alice (its goodbye to bob unread);
        // alice leaves, and the old leader leads the ring on (term 3), probing bob, its lost member
        cluster.resume(leader);
        cluster.awaitUntil(() -> List.of(leader, alice).forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(2, n.view().members().size(), n::toString);
            assertEquals(alice.name, n.view().leader().name(), n::toString);
        }));
        cluster.leave(alice);
        cluster.awaitUntil(() -> {
            assertEquals(Status.MEMBER, leader.view().status(), leader::toString);
            assertEquals(leader.name, leader.view().leader().name(), leader::toString);
            assertEquals(3, leader.view().term(), leader::toString);
        });
        cluster.send(leader, "the ring went on");
        cluster.awaitUntil(() -> assertTrue(probesOfTermThree.get() > 0, "the leader of term 3 probed bob"));

        cluster.resume(bob);
        cluster.send(bob, "bob is back");
        List<TestNode> both = List.of(leader, bob);
        cluster.awaitUntil(() -> both.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(2, n.view().members().size(), n::toString);
            assertEquals(leader.name, n.view().leader().name(), n::toString);
            assertTrue(n.texts().contains("the ring went on"), n::toString);
            assertTrue(n.texts().contains("bob is back"), n::toString);
        }));
        assertFalse(bob.saw(Kind.LEADER, "leader: " + bob.name), () -> bob + " led a ring of its own");
        Cluster.assertSameHistory(both);
        both.forEach(n -> assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice"));
    }
}
