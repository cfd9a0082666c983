package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The leader's directives on a live ring: only the leader's count; the leader enforces them
 * whatever the target does; everyone hears of each; and they survive a leader crash.
 */
@Timeout(120)
class ModerationTest {

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static void moderate(TestNode leader, Moderation action, String name) {
        leader.node.moderate(action, name).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void aSilencedMembersLinesAreRefusedUntilUnsilenced() {
        List<TestNode> ring = cluster.ring(3);
        TestNode leader = ring.get(0);
        TestNode bob = ring.get(1);
        moderate(leader, Moderation.SILENCE, "N1");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.view().silenced("n1"), n::toString)));
        ring.forEach(n -> cluster.awaitUntil(() -> assertTrue(n.saw(RingEvent.Kind.MODERATION, "n1 was silenced by n0"), n::toString)));
        cluster.send(bob, "while silenced");
        cluster.awaitUntil(() -> assertTrue(bob.saw(RingEvent.Kind.WARNING, "you are silenced"), "bob is told"));
        cluster.send(ring.get(2), "marker");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("marker"), n::toString)));
        ring.forEach(n -> assertFalse(n.texts().contains("while silenced"), n + " showed a silenced line"));
        moderate(leader, Moderation.UNSILENCE, "n1");
        cluster.awaitUntil(() -> ring.forEach(n -> assertFalse(n.view().silenced("n1"), n::toString)));
        // its numbering went on: its next line is ordered at once, not held behind the refused one
        cluster.send(bob, "free again");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("free again"), n::toString)));
        ring.forEach(n -> assertFalse(n.texts().contains("while silenced"), n + " showed a silenced line"));
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void onlyTheLeadersDirectivesCount() {
        List<TestNode> ring = cluster.ring(3);
        CompletionException refused = assertThrows(CompletionException.class,
                () -> moderate(ring.get(1), Moderation.SILENCE, "n2"));
        assertTrue(refused.getCause().getMessage().contains("only the leader"), refused.getCause().getMessage());
        CompletionException unknown = assertThrows(CompletionException.class,
                () -> moderate(ring.get(0), Moderation.REMOVE, "nobody"));
        assertTrue(unknown.getCause().getMessage().contains("no member is called nobody"));
        ring.forEach(n -> assertFalse(n.view().silenced("n2"), n::toString));
        ring.forEach(n -> assertTrue(n.events.stream().noneMatch(e -> e.kind() == RingEvent.Kind.MODERATION), n::toString));
    }

    @Test
    void aRemovedMemberStopsSayingWhyAndItsNameIsBannedUntilUnbanned() {
        List<TestNode> ring = cluster.ring(3);
        TestNode leader = ring.get(0);
        TestNode carol = ring.get(2);
        moderate(leader, Moderation.REMOVE, "n2");
        CompletionException stopped = assertThrows(CompletionException.class,
                () -> carol.node.stopped().orTimeout(30, TimeUnit.SECONDS).join());
        assertTrue(stopped.getCause().getMessage().contains("removed from the ring by its leader n0"),
                stopped.getCause().getMessage());
        List<TestNode> rest = ring.subList(0, 2);
        cluster.awaitOneRing(rest);
        rest.forEach(n -> cluster.awaitUntil(() -> assertTrue(n.saw(RingEvent.Kind.MODERATION, "n2 was removed"), n::toString)));
        // the name is banned, in any case, through any member
        Throwable banned = cluster.joinFailure(Cluster.config("N2").joinVia(ring.get(1).address()).build());
        assertTrue(banned.getMessage().contains("banned"), banned.getMessage());
        moderate(leader, Moderation.UNBAN, "n2");
        TestNode back = cluster.join("n2", ring.get(1));
        cluster.awaitOneRing(List.of(ring.get(0), ring.get(1), back));
    }

    @Test
    void moderationSurvivesALeaderCrash() {
        List<TestNode> ring = cluster.ring(4);
        moderate(ring.get(0), Moderation.SILENCE, "n3");
        moderate(ring.get(0), Moderation.REMOVE, "n2");
        List<TestNode> rest = List.of(ring.get(0), ring.get(1), ring.get(3));
        cluster.awaitOneRing(rest);
        cluster.awaitUntil(() -> rest.forEach(n -> assertTrue(n.view().silenced("n3"), n::toString)));
        cluster.crash(ring.get(0));
        List<TestNode> survivors = List.of(ring.get(1), ring.get(3));
        cluster.awaitOneRing(survivors);
        assertEquals("n1", ring.get(3).view().leader().name());
        // the new leader enforces what the old one decided
        cluster.send(ring.get(3), "still silenced");
        cluster.awaitUntil(() -> assertTrue(ring.get(3).saw(RingEvent.Kind.WARNING, "you are silenced")));
        Throwable banned = cluster.joinFailure(Cluster.config("n2").joinVia(ring.get(1).address()).build());
        assertTrue(banned.getMessage().contains("banned"), banned.getMessage());
        cluster.send(ring.get(1), "marker");
        cluster.awaitUntil(() -> survivors.forEach(n -> assertTrue(n.texts().contains("marker"))));
        survivors.forEach(n -> assertFalse(n.texts().contains("still silenced")));
    }
}
