package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crashes and hangs of real nodes: one ring, the most senior survivor leads, chat resumes. Run
 * over each transport by {@link FailureRecoveryTest}.
 */
@Timeout(180)
abstract class FailureRecoveryScenarios extends ClusterScenarios {

    private static List<TestNode> without(List<TestNode> all, List<TestNode> gone) {
        List<TestNode> rest = new ArrayList<>(all);
        rest.removeAll(gone);
        return rest;
    }

    /** One ring of exactly the survivors, led by the most senior of them, and chat flows again. */
    private void assertHealed(List<TestNode> survivors, String probe) {
        cluster.awaitOneRing(survivors);
        TestNode senior = Cluster.mostSenior(survivors);
        assertEquals(senior.view().self(), survivors.get(0).view().leader(),
                () -> "the most senior survivor must lead\n" + cluster.describe());
        TestNode last = survivors.get(survivors.size() - 1);
        cluster.send(last, probe);
        cluster.awaitUntil(() -> survivors.forEach(n ->
                assertTrue(n.texts().contains(probe), () -> n + " lacks " + probe + "\n" + cluster.describe())));
        Cluster.assertSameHistory(survivors);
        assertEquals(0, cluster.handlerFailures());
    }


    @Test
    void followerCrashIsRepairedAroundIt() {
        List<TestNode> nodes = cluster.ring(5);
        // n2 dies without a word
        cluster.crash(nodes.get(2));
        List<TestNode> rest = without(nodes, List.of(nodes.get(2)));
        assertHealed(rest, "after follower crash");
        assertTrue(rest.get(0).saw(RingEvent.Kind.REPAIRED, "n2("), "the repair is reported");
    }

    @Test
    void leaderCrashElectsMostSeniorAndChatResumes() {
        List<TestNode> nodes = cluster.ring(5);
        cluster.send(nodes.get(3), "before");
        cluster.awaitUntil(() -> nodes.stream().allMatch(n -> n.texts().contains("before")));
        // the leader dies
        cluster.crash(nodes.get(0));
        List<TestNode> rest = without(nodes, List.of(nodes.get(0)));
        assertHealed(rest, "after leader crash");
        assertEquals("n1", rest.get(0).view().leader().name());
        assertTrue(rest.get(2).saw(RingEvent.Kind.ELECTION_STARTED, "n0("));
    }

    @Test
    void leaderAndItsNextCrashTogether() {
        List<TestNode> nodes = cluster.ring(6);
        cluster.crash(nodes.get(0));
        cluster.crash(nodes.get(1));
        assertHealed(without(nodes, nodes.subList(0, 2)), "after leader and next crash");
    }

    @Test
    void twoNonAdjacentFollowersCrash() {
        List<TestNode> nodes = cluster.ring(6);
        cluster.crash(nodes.get(1));
        cluster.crash(nodes.get(4));
        assertHealed(without(nodes, List.of(nodes.get(1), nodes.get(4))), "after two crashes");
    }

    @Test
    void halfTheRingCrashesLeaderIncluded() {
        List<TestNode> nodes = cluster.ring(8);
        List<TestNode> dead = List.of(nodes.get(0), nodes.get(2), nodes.get(3), nodes.get(6));
        dead.forEach(cluster::crash);
        assertHealed(without(nodes, dead), "after half the ring died");
    }

    @Test
    void loneSurvivorLeadsAndAdmitsJoiners() {
        List<TestNode> nodes = cluster.ring(3);
        cluster.crash(nodes.get(0));
        cluster.crash(nodes.get(1));
        TestNode last = nodes.get(2);
        assertHealed(List.of(last), "alone");
        TestNode newcomer = cluster.join("late", last);
        assertHealed(List.of(last, newcomer), "together again");
    }

    @Test
    void messagesTypedDuringTheElectionAreDeliveredOnceAfterIt() {
        List<TestNode> nodes = cluster.ring(4);
        TestNode writer = nodes.get(2);
        cluster.crash(nodes.get(0));
        // lines typed while there is no leader are held, then delivered exactly once
        for (int i = 0; i < 20; i++) {
            cluster.send(writer, "during " + i);
        }
        List<TestNode> rest = without(nodes, List.of(nodes.get(0)));
        cluster.awaitUntil(() -> rest.forEach(n ->
                assertEquals(20, n.texts().stream().filter(t -> t.startsWith("during ")).count(), n::toString)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("during " + i);
        }
        for (TestNode n : rest) {
            assertEquals(expected, n.texts().stream().filter(t -> t.startsWith("during ")).toList());
        }
        assertHealed(rest, "after the held lines");
    }

    @Test
    void hungLeaderIsReplacedAndRejoinsWhenItWakes() {
        List<TestNode> nodes = cluster.ring(4);
        TestNode leader = nodes.get(0);
        // the leader's only thread stops: sockets stay open, nothing answers
        cluster.pause(leader);
        List<TestNode> rest = without(nodes, List.of(leader));
        assertHealed(rest, "while the old leader sleeps");
        assertEquals("n1", rest.get(0).view().leader().name());

        // it wakes up, learns it was removed, and rejoins under its name without leading
        cluster.resume(leader);
        cluster.awaitUntil(() -> leader.saw(RingEvent.Kind.REMOVED, "removed"));
        assertHealed(nodes, "all back");
        assertEquals("n1", leader.view().leader().name());
        assertTrue(leader.view().self().rank() > nodes.get(3).view().self().rank(), "it came back as the newest member");
    }

    @Test
    void hungFollowerIsRemovedAfterVerificationAndRejoins() {
        List<TestNode> nodes = cluster.ring(4);
        TestNode sleeper = nodes.get(2);
        cluster.pause(sleeper);
        List<TestNode> rest = without(nodes, List.of(sleeper));
        assertHealed(rest, "without the sleeper");
        assertTrue(rest.get(0).saw(RingEvent.Kind.REPAIRED, "stopped responding"));
        cluster.resume(sleeper);
        cluster.awaitUntil(() -> sleeper.saw(RingEvent.Kind.WELCOME, "rejoined"));
        assertHealed(nodes, "sleeper back");
    }

    /**
     * The leader and another member hang at the same moment (both SIGSTOPped, say): the
     * survivors route around both, elect the most senior of themselves and chat again; when the
     * two wake, they find they were removed and rejoin.
     */
    @ParameterizedTest(name = "the leader and n{0}")
    @ValueSource(ints = {1, 2, 4})
    void leaderAndAnotherMemberHangTogether(int other) {
        List<TestNode> nodes = cluster.ring(5);
        TestNode leader = nodes.get(0);
        TestNode second = nodes.get(other);
        // both stop at once: sockets open, nothing answers
        cluster.pause(leader);
        cluster.pause(second);
        List<TestNode> survivors = without(nodes, List.of(leader, second));
        assertHealed(survivors, "after two hangs");

        // the sleepers wake, find they were removed, and rejoin; chat reaches all five
        cluster.resume(leader);
        cluster.resume(second);
        cluster.awaitOneRing(nodes);
        cluster.send(leader, "back");
        cluster.awaitUntil(() -> nodes.forEach(n ->
                assertTrue(n.texts().contains("back"), () -> n + " lacks it\n" + cluster.describe())));
        Cluster.assertSameHistory(survivors);
        assertEquals(0, cluster.handlerFailures());
    }
}
