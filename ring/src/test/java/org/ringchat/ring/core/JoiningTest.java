package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.Joining.Phase;

/** {@link Joining}: whom a joiner asks, until when, and whom next after a failure. */
class JoiningTest {

    private static final long TIMEOUT = 8000;

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final NodeAddress ALICE = address(5001);
    private static final NodeAddress BOB = address(5002);
    private static final NodeAddress CAROL = address(5003);
    private static final NodeAddress DAVE = address(5004);

    /** A ring whose leader, carol, is not its first member; bob is the node joining again. */
    private static final View VIEW = new View(4, 2, CAROL, List.of(
            new Member("alice", ALICE, 1), new Member("bob", BOB, 2),
            new Member("carol", CAROL, 3), new Member("dave", DAVE, 4)), 5);

    private final Joining joining = new Joining(TIMEOUT);

    @Test
    void nothingIsAskedAtFirst() {
        assertEquals(Phase.IDLE, joining.phase());
        assertFalse(joining.active());
        assertNull(joining.target());
        assertFalse(joining.expired(Long.MAX_VALUE));
    }

    @Test
    void aFirstJoinGivesUpAtOnceOnFailure() {
        // asking alice at t=1000: the answer is due by 9000
        joining.join(ALICE, 1000);
        assertEquals(Phase.JOINING, joining.phase());
        assertTrue(joining.active());
        assertEquals(ALICE, joining.target());
        assertEquals(9000, joining.deadline());
        // alice does not answer: nobody else is tried, the join is over
        assertNull(joining.failed(9000, false));
        assertEquals(Phase.IDLE, joining.phase());
        assertFalse(joining.active());
        assertFalse(joining.expired(20_000));
    }

    @Test
    void aRejoinAsksTheLeaderFirstThenEveryOtherMemberButItself() {
        // removed from the ring: carol (the leader) first
        assertEquals(CAROL, joining.rejoin(VIEW, BOB, 0));
        assertEquals(Phase.REJOINING, joining.phase());
        assertEquals(CAROL, joining.target());
        assertEquals(8000, joining.deadline());
        // carol is silent: the others in ring order, skipping carol and bob itself, each with a fresh deadline
        assertEquals(ALICE, joining.failed(8000, false));
        assertEquals(ALICE, joining.target());
        assertEquals(16_000, joining.deadline());
        assertEquals(DAVE, joining.failed(9000, false));
        assertEquals(17_000, joining.deadline());
        // nobody is left: the rejoin is over
        assertNull(joining.failed(17_000, false));
        assertEquals(Phase.IDLE, joining.phase());
    }

    @Test
    void aRejoinThroughAGivenMemberAsksTheLeaderNextThenTheOthers() {
        // probed by dave from a newer term: dave first, then carol (the leader it knew), then alice
        assertEquals(DAVE, joining.rejoin(VIEW, DAVE, BOB, 0));
        assertEquals(Phase.REJOINING, joining.phase());
        assertEquals(CAROL, joining.failed(8000, false));
        assertEquals(ALICE, joining.failed(16_000, false));
        assertNull(joining.failed(24_000, false));
        assertEquals(Phase.IDLE, joining.phase());
    }

    @Test
    void aRefusalEndsARejoin() {
        joining.rejoin(VIEW, BOB, 0);
        // carol refuses (JoinRejected): no point asking the others
        assertNull(joining.failed(100, true));
        assertEquals(Phase.IDLE, joining.phase());
        assertFalse(joining.active());
    }

    @Test
    void aRefusalFromAnAlternativeEndsARejoinToo() {
        joining.rejoin(VIEW, BOB, 0);
        // carol is silent, alice refuses: dave is not asked
        assertEquals(ALICE, joining.failed(8000, false));
        assertNull(joining.failed(8100, true));
        assertEquals(Phase.IDLE, joining.phase());
    }

    @Test
    void theDeadlineIsDueAtTheTimeoutAndNotBefore() {
        joining.join(ALICE, 1000);
        // one millisecond early: still waiting
        assertFalse(joining.expired(8999));
        // at the deadline and after: no answer in time
        assertTrue(joining.expired(9000));
        assertTrue(joining.expired(12_000));
    }

    @Test
    void theNextMemberAskedGetsAFullTimeout() {
        joining.rejoin(VIEW, BOB, 0);
        assertTrue(joining.expired(8000));
        // alice is asked at 8500: she has until 16500
        joining.failed(8500, false);
        assertFalse(joining.expired(16_499));
        assertTrue(joining.expired(16_500));
    }

    @Test
    void admittedResetsEverything() {
        joining.rejoin(VIEW, BOB, 0);
        joining.failed(8000, false);
        // alice admits it
        joining.admitted();
        assertEquals(Phase.IDLE, joining.phase());
        assertFalse(joining.active());
        assertNull(joining.target());
        assertFalse(joining.expired(Long.MAX_VALUE));
        // a late failure report asks nobody: the alternatives are gone
        assertNull(joining.failed(20_000, false));
    }

    @Test
    void aFirstJoinForgetsTheAlternativesOfAnEarlierRejoin() {
        joining.rejoin(VIEW, BOB, 0);
        // a first join through dave replaces the rejoin
        joining.join(DAVE, 100);
        assertEquals(Phase.JOINING, joining.phase());
        assertEquals(DAVE, joining.target());
        // it fails: alice and dave from the rejoin are not tried
        assertNull(joining.failed(8100, false));
    }

    @Test
    void aRejoinOfAnotherViewStartsItsOwnList() {
        joining.rejoin(VIEW, BOB, 0);
        // removed again, this time from a ring of alice (leader) and dave
        View smaller = new View(5, 1, ALICE, List.of(new Member("alice", ALICE, 1), new Member("dave", DAVE, 4)), 5);
        assertEquals(ALICE, joining.rejoin(smaller, BOB, 100));
        assertEquals(DAVE, joining.failed(8100, false));
        assertNull(joining.failed(16_100, false));
    }
}
