package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Bounds;
import org.ringchat.protocol.Departure.Reason;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;

/** {@link LostMembers}: who is worth finding again after a failure, and when to look. */
class LostMembersTest {

    private static Member member(String name, int port, long rank) {
        return new Member(name, new NodeAddress("127.0.0.1", port), rank);
    }

    private static final Member BOB = member("bob", 5001, 2);
    private static final Member CAROL = member("carol", 5002, 3);
    private static final Member DAVE = member("dave", 5003, 4);

    private final LostMembers lost = new LostMembers();

    /** The probe times of one member lost at 0, found by asking every millisecond until {@code until}. */
    private static List<Long> probeTimes(LostMembers lost, long until) {
        List<Long> times = new ArrayList<>();
        for (long now = 0; now <= until; now++) {
            if (!lost.due(now).isEmpty()) {
                times.add(now);
            }
        }
        return times;
    }

    @Test
    void onlyCrashedAndUnresponsiveMembersAreRemembered() {
        // a crash and a hang may be a partition seen from this side
        assertTrue(lost.lost(BOB, Reason.CRASHED, 0, 10));
        assertTrue(lost.lost(CAROL, Reason.UNRESPONSIVE, 0, 10));
        // a goodbye, a removal and a new incarnation are not
        assertFalse(lost.lost(DAVE, Reason.LEFT, 0, 10));
        assertFalse(lost.lost(DAVE, Reason.REMOVED, 0, 10));
        assertFalse(lost.lost(DAVE, Reason.REPLACED, 0, 10));
        assertEquals(2, lost.size());
        assertFalse(lost.contains(DAVE.address()));
        assertEquals(10, lost.get(BOB.address()).orElseThrow().lostAtSeq());
    }

    @Test
    void aLaterGracefulDepartureForgetsAMemberLostBefore() {
        lost.lost(BOB, Reason.UNRESPONSIVE, 0, 0);
        // bob came back (rejoined), then left with a goodbye: nothing to find any more
        assertFalse(lost.lost(BOB, Reason.LEFT, 100, 0));
        assertFalse(lost.contains(BOB.address()));
    }

    @Test
    void probesBackOffExponentiallyUpToTheCap() {
        lost.lost(BOB, Reason.CRASHED, 0, 0);
        // 250 ms after the loss, then 500 ms, then 1 s apart for good
        assertEquals(List.of(250L, 750L, 1750L, 2750L, 3750L, 4750L), probeTimes(lost, 5000));
        assertEquals(6, lost.get(BOB.address()).orElseThrow().probes());
    }

    @Test
    void aLateCallProbesOnceAndCountsTheNextGapFromNow() {
        lost.lost(BOB, Reason.CRASHED, 0, 0);
        // the node was paused for 10 s: one probe, not a burst of the ones it missed
        assertEquals(List.of(BOB), lost.due(10_000));
        assertEquals(List.of(), lost.due(10_000));
        assertEquals(10_500, lost.nextDueAt());
        assertEquals(List.of(BOB), lost.due(10_500));
        assertEquals(11_500, lost.nextDueAt());
    }

    @Test
    void nothingIsDueBeforeItsTimeAndNextDueAtDrivesTheTimer() {
        assertEquals(Long.MAX_VALUE, lost.nextDueAt());
        lost.lost(BOB, Reason.CRASHED, 0, 0);
        lost.lost(CAROL, Reason.CRASHED, 100, 0);
        assertEquals(250, lost.nextDueAt());
        assertEquals(List.of(), lost.due(249));
        assertEquals(List.of(BOB), lost.due(250));
        assertEquals(350, lost.nextDueAt());
        assertEquals(List.of(CAROL), lost.due(350));
        // both due at once: the one lost first comes first
        assertEquals(List.of(BOB, CAROL), lost.due(1_000));
    }

    @Test
    void aMemberThatComesBackIsForgotten() {
        lost.lost(BOB, Reason.CRASHED, 0, 0);
        assertTrue(lost.forget(BOB.address()));
        assertFalse(lost.forget(BOB.address()));
        assertEquals(List.of(), lost.due(1_000));
        assertEquals(Long.MAX_VALUE, lost.nextDueAt());
    }

    @Test
    void membersAreForgottenTenMinutesAfterTheLoss() {
        assertEquals(600_000, LostMembers.REMEMBER_MS);
        lost.lost(BOB, Reason.CRASHED, 0, 0);
        lost.lost(CAROL, Reason.CRASHED, 60_000, 0);
        assertEquals(List.of(), lost.expire(599_999));
        assertEquals(List.of(BOB), lost.expire(600_000));
        // due() forgets first, so the forgotten are not probed one last time
        assertEquals(List.of(), lost.due(660_000));
        assertEquals(0, lost.size());
    }

    @Test
    void aMemberLostAgainStartsAfresh() {
        lost.lost(BOB, Reason.CRASHED, 0, 5);
        lost.due(250);
        lost.due(750);
        lost.due(1_750);
        // it came back and was lost again (the link flaps): probed soon, and remembered from now
        lost.lost(BOB, Reason.UNRESPONSIVE, 2_000, 9);
        LostMembers.Lost again = lost.get(BOB.address()).orElseThrow();
        assertEquals(2_250, again.nextProbeAt());
        assertEquals(0, again.probes());
        assertEquals(9, again.lostAtSeq());
        assertEquals(Reason.UNRESPONSIVE, again.reason());
        assertEquals(List.of(), lost.expire(600_000));
        assertEquals(List.of(BOB), lost.expire(602_000));
    }

    @Test
    void theOldestLossIsForgottenBeyondTheLimit() {
        LostMembers small = new LostMembers(100, 400, 60_000, 2);
        small.lost(BOB, Reason.CRASHED, 0, 0);
        small.lost(CAROL, Reason.CRASHED, 1, 0);
        // bob is lost again: now carol's loss is the oldest
        small.lost(BOB, Reason.CRASHED, 2, 0);
        small.lost(DAVE, Reason.CRASHED, 3, 0);
        assertEquals(List.of(BOB, DAVE), small.all().stream().map(LostMembers.Lost::member).toList());
    }

    @Test
    void theDefaultLimitHolds() {
        for (int i = 0; i < LostMembers.MAX_REMEMBERED + 10; i++) {
            lost.lost(member("m" + i, 6000 + i, 10 + i), Reason.CRASHED, i, 0);
        }
        assertEquals(LostMembers.MAX_REMEMBERED, lost.size());
        assertFalse(lost.contains(new NodeAddress("127.0.0.1", 6009)));
        assertTrue(lost.contains(new NodeAddress("127.0.0.1", 6010)));
    }

    @Test
    void anInheritedMemberIsProbedFromNowAndForgottenWhenItsFirstMemoryEnds() {
        // a joiner at 100 s is told of bob, lost 30 s before it joined, at #12
        assertTrue(lost.inherit(BOB, Reason.UNRESPONSIVE, 70_000, 12, 100_000));
        LostMembers.Lost bob = lost.get(BOB.address()).orElseThrow();
        assertEquals(70_000, bob.lostAt());
        assertEquals(12, bob.lostAtSeq());
        // probed on the usual back-off, from the moment it was told
        assertEquals(100_250, bob.nextProbeAt());
        assertEquals(List.of(), lost.due(100_249));
        assertEquals(List.of(BOB), lost.due(100_250));
        assertEquals(List.of(BOB), lost.due(100_750));
        assertEquals(List.of(BOB), lost.due(101_750));
        assertEquals(List.of(), lost.due(102_749));
        // forgotten ten minutes after the loss itself, not after the joiner heard of it
        assertEquals(List.of(), lost.expire(70_000 + LostMembers.REMEMBER_MS - 1));
        assertEquals(List.of(BOB), lost.expire(70_000 + LostMembers.REMEMBER_MS));
    }

    @Test
    void anInheritedMemberDoesNotReplaceThisNodesOwnMemoryNorOutliveTheMemory() {
        lost.lost(BOB, Reason.CRASHED, 5_000, 3);
        // this node's own loss of bob stands
        assertFalse(lost.inherit(BOB, Reason.UNRESPONSIVE, 1_000, 1, 6_000));
        assertEquals(5_000, lost.get(BOB.address()).orElseThrow().lostAt());
        // a goodbye or a removal is nothing to find
        assertFalse(lost.inherit(CAROL, Reason.LEFT, 5_000, 3, 6_000));
        assertFalse(lost.inherit(CAROL, Reason.REMOVED, 5_000, 3, 6_000));
        // nor is a member lost longer ago than the memory
        assertFalse(lost.inherit(DAVE, Reason.CRASHED, 0, 3, LostMembers.REMEMBER_MS));
        assertEquals(1, lost.size());
    }

    @Test
    void inheritedMembersKeepTheLimit() {
        LostMembers small = new LostMembers(100, 400, 60_000, 2);
        small.lost(BOB, Reason.CRASHED, 0, 0);
        small.inherit(CAROL, Reason.CRASHED, 0, 0, 10);
        small.inherit(DAVE, Reason.CRASHED, 0, 0, 10);
        assertEquals(List.of(CAROL, DAVE), small.all().stream().map(LostMembers.Lost::member).toList());
    }

    @Test
    void aJoinAcceptedCanTellEveryMemberALeaderRemembers() {
        assertTrue(LostMembers.MAX_REMEMBERED <= Bounds.MAX_LOST_MEMBERS);
    }

    @Test
    void aScheduleMustMakeSense() {
        assertThrows(IllegalArgumentException.class, () -> new LostMembers(0, 1_000, 1_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new LostMembers(500, 100, 1_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new LostMembers(100, 100, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LostMembers(100, 100, 1_000, 0));
    }
}
