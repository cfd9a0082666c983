package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A leader that leaves writes its last orderings before its goodbye, but a member may find its
 * link to the leader closed first (a connection of its own, not the one those frames are on) and
 * begin to elect. Those orderings are still the lost leader's, of its term: members take them
 * until a catch-up begins, and the catch-up carries them to every member. Before, the electing
 * members dropped them, the new leader numbered the line again with another stamp, and a member
 * that slept through it all could show the old ordering when it woke (simulator seed 102172).
 */
class LastOrderingsTest {

    private final SimCluster cluster = new SimCluster(13);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aLeadersLastOrderingsReadAfterItLeftAreKept() {
        List<TestNode> ring = cluster.ring(4);
        TestNode leader = ring.get(0);
        TestNode alice = ring.get(1);
        TestNode bob = ring.get(2);
        TestNode carol = ring.get(3);
        AtomicBoolean ordered = new AtomicBoolean();
        Set<Long> orderedInTerms = new TreeSet<>();
        cluster.watchWrites((e, to) -> {
            if (e.message() instanceof ChatDeliver d && d.text().equals("bob's last line")) {
                ordered.set(true);
                orderedInTerms.add(d.term());
            }
        });

        // carol sleeps; the leader's frames to the members are slow, and it leaves right after
        // ordering a line of bob's
        cluster.pause(carol);
        cluster.delay("ChatDeliver", 300);
        cluster.delay("Leave", 300);
        cluster.send(bob, "bob's last line");
        cluster.awaitUntil(ordered::get);
        cluster.leave(leader);
        List<TestNode> awake = List.of(alice, bob);
        cluster.awaitUntil(() -> awake.forEach(n -> assertEquals(Status.ELECTING, n.view().status(), n::toString)));
        cluster.stopDelaying("ChatDeliver", 300);
        cluster.stopDelaying("Leave", 300);

        cluster.awaitUntil(() -> awake.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(alice.name, n.view().leader().name(), n::toString);
            assertTrue(n.texts().contains("bob's last line"), n::toString);
        }));
        assertEquals(Set.of(1L), orderedInTerms, "the new leader ordered the lost leader's last line again");
        cluster.resume(carol);
        List<TestNode> survivors = List.of(alice, bob, carol);
        cluster.awaitUntil(() -> survivors.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(3, n.view().members().size(), n::toString);
            assertTrue(n.texts().contains("bob's last line"), n::toString);
        }));
        Cluster.assertSameHistory(survivors);
        survivors.forEach(n -> assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice"));
    }
}
