package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.NodeAddress;

/**
 * {@link FailureDetector} with a suspicion threshold of 1000 ms, checked every 200 ms (a
 * heartbeat) unless a test pauses it.
 */
class FailureDetectorTest {

    private static final long SUSPECT_MS = 1000;
    private static final long TICK = 200;

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final NodeAddress BOB = address(5002);
    private static final NodeAddress CAROL = address(5003);
    private static final NodeAddress DAVE = address(5004);

    private final FailureDetector detector = new FailureDetector(SUSPECT_MS);

    /** Checks every tick after {@code from} up to and including {@code to}; returns everyone reported. */
    private List<NodeAddress> tickThrough(long from, long to) {
        List<NodeAddress> reported = new ArrayList<>();
        for (long t = from + TICK; t <= to; t += TICK) {
            reported.addAll(detector.check(t));
        }
        return reported;
    }

    @Test
    void theNextSilenceIsDueWhenTheFirstUnsuspectedPeerWouldRunOutOfItsAllowedSilence() {
        assertEquals(Long.MAX_VALUE, detector.nextSilenceDue()); // nobody watched
        detector.watch(Set.of(BOB, CAROL), 0);
        detector.check(0);
        detector.heard(BOB, 300);
        detector.heard(CAROL, 100);
        assertEquals(1101, detector.nextSilenceDue()); // carol's, the first possible suspicion
        assertEquals(List.of(), tickThrough(0, 1000));
        assertEquals(List.of(), detector.check(1100));
        assertEquals(List.of(CAROL), detector.check(1101)); // as due, not at the next tick
        // a suspected peer is due no more: bob's silence is next
        assertEquals(1301, detector.nextSilenceDue());
        // a peer suspected wrongly is allowed twice the silence from now on
        detector.cleared(CAROL, 1200);
        assertEquals(1301, detector.nextSilenceDue());
        detector.heard(BOB, 1250);
        assertEquals(2251, detector.nextSilenceDue());
        detector.heard(BOB, 2500);
        assertEquals(3201, detector.nextSilenceDue()); // carol's (1200 + 2 × 1000 + 1), before bob's 3501
    }

    @Test
    void aPeerSilentBeyondTheThresholdIsSuspectedOnceUntilItIsHeard() {
        detector.watch(Set.of(BOB, CAROL), 0);
        detector.check(0);
        // carol speaks now and then (any frame); bob says nothing
        detector.heard(CAROL, 400);
        detector.heard(CAROL, 800);
        assertEquals(List.of(), tickThrough(0, 1000));
        // bob: 1200 ms of silence
        assertEquals(List.of(BOB), detector.check(1200));
        assertTrue(detector.isSuspected(BOB));
        assertFalse(detector.isSuspected(CAROL));
        assertEquals(1200, detector.silence(BOB, 1200));
        // still silent: not reported again
        assertEquals(List.of(), detector.check(1400));
        assertTrue(detector.isSuspected(BOB));
        // bob speaks: no longer suspected, and his clock starts again
        detector.heard(BOB, 1500);
        assertFalse(detector.isSuspected(BOB));
        // carol, last heard at 800, is past the threshold by 2000; bob, heard at 1500, by 2600
        assertEquals(List.of(), detector.check(1600));
        assertEquals(List.of(), detector.check(1800));
        assertEquals(List.of(CAROL), detector.check(2000));
        assertEquals(List.of(), tickThrough(2000, 2400));
        assertEquals(List.of(BOB), detector.check(2600));
    }

    @Test
    void eachWrongSuspicionDoublesThePeersAllowedSilenceUpToTheCap() {
        detector.watch(Set.of(BOB, CAROL), 0);
        assertEquals(Set.of(BOB, CAROL), Set.copyOf(tickThrough(0, 1200)));
        // bob answered the check: he is let off, and may be silent twice as long from now on
        detector.cleared(BOB, 1200);
        assertEquals(2 * SUSPECT_MS, detector.allowedSilence(BOB));
        assertEquals(SUSPECT_MS, detector.allowedSilence(CAROL)); // carol never fooled anyone
        assertEquals(List.of(), tickThrough(1200, 3200)); // 2000 ms of silence: within what he is allowed
        assertEquals(List.of(BOB), detector.check(3400));
        detector.cleared(BOB, 3400);
        assertEquals(4 * SUSPECT_MS, detector.allowedSilence(BOB));
        detector.cleared(BOB, 3400);
        detector.cleared(BOB, 3400);
        long cap = SUSPECT_MS << FailureDetector.MAX_PATIENCE_DOUBLINGS;
        assertEquals(cap, detector.allowedSilence(BOB));
        assertEquals(List.of(), tickThrough(3400, 3400 + cap));
        assertEquals(List.of(BOB), detector.check(3400 + cap + TICK));
    }

    @Test
    void patienceHalvesAgainAfterAQuietWhile() {
        detector.watch(Set.of(BOB), 0);
        detector.check(0);
        detector.cleared(BOB, 100);
        detector.cleared(BOB, 200);
        assertEquals(4 * SUSPECT_MS, detector.allowedSilence(BOB));
        long t = 200;
        for (long end = t + FailureDetector.PATIENCE_DECAY_MS - TICK; t < end; t += TICK) {
            detector.heard(BOB, t);
            detector.check(t);
        }
        assertEquals(4 * SUSPECT_MS, detector.allowedSilence(BOB)); // not quite quiet long enough
        for (long end = 200 + 2 * FailureDetector.PATIENCE_DECAY_MS; t <= end; t += TICK) {
            detector.heard(BOB, t);
            detector.check(t);
        }
        assertEquals(SUSPECT_MS, detector.allowedSilence(BOB)); // two quiet whiles: as anyone else
    }

    @Test
    void aPeerNotWatchedEarnsNoPatience() {
        detector.watch(Set.of(BOB), 0);
        detector.cleared(CAROL, 100); // a check of a peer this node does not watch
        assertEquals(SUSPECT_MS, detector.allowedSilence(CAROL));
    }

    @Test
    void aPauseThresholdBelowTheSuspicionOneShowsShorterPauses() {
        FailureDetector d = new FailureDetector(SUSPECT_MS, 500); // a ping waits 500 ms
        d.watch(Set.of(BOB), 0);
        d.check(0);
        assertFalse(d.wasPaused(500)); // late, but no ping of this node can have timed out
        assertTrue(d.wasPaused(501));
        assertEquals(501, d.sinceLastCheck(501));
        assertEquals(List.of(), d.check(501)); // every clock starts again; nobody is suspected
        assertFalse(d.wasPaused(701));
    }

    @Test
    void silenceOfExactlyTheThresholdIsNotYetSuspicious() {
        detector.watch(Set.of(BOB), 0);
        detector.check(0);
        tickThrough(0, 800);
        assertEquals(List.of(), detector.check(1000));
        assertEquals(List.of(BOB), detector.check(1001));
    }

    @Test
    void framesFromPeersNotWatchedAreNoConcern() {
        detector.watch(Set.of(BOB), 0);
        // dave is not watched: hearing him starts nothing
        detector.heard(DAVE, 100);
        assertEquals(-1, detector.silence(DAVE, 100));
        assertEquals(List.of(BOB), tickThrough(0, 1200));
        assertFalse(detector.isSuspected(DAVE));
    }

    @Test
    void watchStartsTheClocksOfNewPeersAndForgetsOldOnes() {
        detector.watch(Set.of(BOB, CAROL), 0);
        // at 600 the neighbours change: carol stays (her clock is not restarted), dave is new, bob goes
        detector.watch(Set.of(CAROL, DAVE), 600);
        assertEquals(-1, detector.silence(BOB, 600));
        assertEquals(600, detector.silence(CAROL, 600));
        assertEquals(0, detector.silence(DAVE, 600));
        // carol is suspected after 1000 ms from 0, dave after 1000 ms from 600
        assertEquals(List.of(CAROL), tickThrough(0, 1200));
        assertEquals(List.of(DAVE), tickThrough(1200, 1800));
    }

    @Test
    void aPeerNoLongerWatchedIsNoLongerSuspected() {
        detector.watch(Set.of(BOB), 0);
        tickThrough(0, 1200);
        assertTrue(detector.isSuspected(BOB));
        detector.watch(Set.of(), 1200);
        assertFalse(detector.isSuspected(BOB));
        // watched again later: a fresh clock, and it can be reported again
        detector.watch(Set.of(BOB), 1400);
        assertEquals(List.of(), tickThrough(1200, 2400));
        assertEquals(List.of(BOB), detector.check(2600));
    }

    @Test
    void aPauseOfTheDetectorItselfRestartsTheClocksAndSuspectsNobody() {
        detector.watch(Set.of(BOB, CAROL), 0);
        assertFalse(detector.wasPaused(0));
        assertEquals(0, detector.sinceLastCheck(0));
        tickThrough(-TICK, 400);
        assertEquals(200, detector.sinceLastCheck(600));
        // this node stopped from 400 to 3000: the gap since its last check is its own
        assertTrue(detector.wasPaused(3000));
        assertEquals(2600, detector.sinceLastCheck(3000));
        assertEquals(List.of(), detector.check(3000));
        assertFalse(detector.wasPaused(3000));
        // every silence counts from now
        assertEquals(0, detector.silence(BOB, 3000));
        assertEquals(0, detector.silence(CAROL, 3000));
        // a peer that stays silent is suspected a full threshold later
        assertEquals(List.of(), tickThrough(3000, 4000));
        assertEquals(Set.of(BOB, CAROL), Set.copyOf(detector.check(4200)));
    }

    @Test
    void aCheckLateByExactlyTheThresholdIsNotAPause() {
        detector.watch(Set.of(BOB), 0);
        detector.check(0);
        assertFalse(detector.wasPaused(SUSPECT_MS));
        assertTrue(detector.wasPaused(SUSPECT_MS + 1));
    }

    @Test
    void clearingASuspicionRestartsThePeersClock() {
        detector.watch(Set.of(BOB), 0);
        assertEquals(List.of(BOB), tickThrough(0, 1200));
        // the verification found bob alive
        detector.cleared(BOB, 1200);
        assertFalse(detector.isSuspected(BOB));
        assertEquals(0, detector.silence(BOB, 1200));
        // he is reported again only after another full silence, twice as long now (he fooled us once)
        assertEquals(List.of(), tickThrough(1200, 3200));
        assertEquals(List.of(BOB), detector.check(3400));
    }

    @Test
    void clearingAPeerNotWatchedDoesNotStartWatchingIt() {
        detector.cleared(DAVE, 100);
        assertEquals(-1, detector.silence(DAVE, 100));
        assertEquals(List.of(), tickThrough(0, 2000));
    }

    @Test
    void aPauseBeforeTheFirstCheckSuspectsNobody() {
        // watching from t=0; the first heartbeat should have come at 200 but the node was stopped until 5000
        detector.watch(Set.of(BOB, CAROL), 0);
        assertEquals(List.of(), detector.check(5000));
    }

    @Test
    void aFrameIsRecentOnlyWhenItReallyCameNotWhenAPauseRestartedTheClocks() {
        detector.watch(Set.of(BOB, CAROL), 0);
        assertEquals(-1, detector.sinceFrame(BOB, 100)); // nothing came yet
        detector.heard(BOB, 200);
        assertEquals(300, detector.sinceFrame(BOB, 500));
        // this node was paused until 5000: the silence clocks restart, the last frame stays old
        assertEquals(List.of(), detector.check(5000));
        assertEquals(0, detector.silence(BOB, 5000));
        assertEquals(4800, detector.sinceFrame(BOB, 5000));
        // a cleared suspicion restarts the clock too, but no frame came
        detector.cleared(CAROL, 5100);
        assertEquals(-1, detector.sinceFrame(CAROL, 5100));
        // frames of a peer no longer watched are forgotten
        detector.watch(Set.of(CAROL), 5200);
        assertEquals(-1, detector.sinceFrame(BOB, 5200));
    }
}
