package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A leader back from a pause pings its members and orders nothing until they confirm it. Their
 * answers to pings it sent before it slept again confirm nothing: they were written while it
 * slept, and the members may have elected another leader since. Before, a leader that woke to
 * such answers took them for confirmations, ordered a held line in its old term, and the member
 * paused with it showed that line where the new ring had numbered another (simulator seed 69215).
 */
class StaleConfirmationTest {

    private final SimCluster cluster = new SimCluster(11);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void answersToPingsFromBeforeAPauseDoNotConfirmALeader() {
        List<TestNode> ring = cluster.ring(4);
        TestNode leader = ring.get(0);
        // what the old leader orders in its own term (1) once it has slept
        List<String> orderedInTermOne = new ArrayList<>();
        cluster.watchWrites((e, to) -> {
            if (e.from().equals(leader.address()) && e.message() instanceof ChatDeliver d && d.term() == 1) {
                orderedInTermOne.add(d.text());
            }
        });
        TestNode alice = ring.get(1);
        TestNode bob = ring.get(2);
        TestNode carol = ring.get(3);

        // a short pause: too short for the members to suspect the leader, long enough for it to
        // go on probation and ping them when it wakes; their answers are slow
        cluster.pause(leader);
        cluster.runFor(300);
        cluster.delay("Pong", 200);
        cluster.resume(leader);
        cluster.runFor(20);

        // it sleeps again, with carol, before the answers come, and a line of its own waits
        cluster.pause(leader);
        cluster.pause(carol);
        cluster.stopDelaying("Pong", 200);
        cluster.send(leader, "the leader's held line");
        cluster.awaitUntil(() -> List.of(alice, bob).forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(alice.name, n.view().leader().name(), n::toString);
            assertEquals(2, n.view().members().size(), n::toString);
        }));
        cluster.send(bob, "bob under alice");
        cluster.awaitUntil(() -> List.of(alice, bob).forEach(n -> assertTrue(n.texts().contains("bob under alice"), n::toString)));

        // they wake (and carol hears that she is out only from the answers to her own frames)
        cluster.drop("NotMember");
        cluster.resume(leader);
        cluster.resume(carol);
        cluster.runFor(100);
        cluster.stopDropping("NotMember");
        assertEquals(List.of(), orderedInTermOne, "the leader took answers written while it slept for confirmations");
        cluster.awaitUntil(() -> ring.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(4, n.view().members().size(), n::toString);
            assertEquals(alice.name, n.view().leader().name(), n::toString);
            assertTrue(n.texts().contains("the leader's held line"), n::toString);
            assertTrue(n.texts().contains("bob under alice"), n::toString);
        }));

        Cluster.assertSameHistory(ring);
        ring.forEach(n -> assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice"));
    }
}
