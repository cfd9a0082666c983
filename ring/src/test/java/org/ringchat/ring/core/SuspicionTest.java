package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.Ping;
import org.ringchat.protocol.Message.Probe;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.core.Suspicion.Purpose;
import org.ringchat.ring.core.Suspicion.Verdict;

/** {@link Suspicion}: pings, probes through a witness, and the verdicts they end in. */
class SuspicionTest {

    private static final long PROBE_TIMEOUT = 200;
    private static final long WITNESS_TIMEOUT = 600;

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final NodeAddress BOB = address(5002);
    private static final NodeAddress CAROL = address(5003);
    private static final NodeAddress DAVE = address(5004);

    private static final Purpose SILENT = new Suspicion.Silent();

    /** One message this node sent, and to whom. */
    private record Sent(NodeAddress to, Message message) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Suspicion suspicion = new Suspicion((to, m) -> sent.add(new Sent(to, m)), PROBE_TIMEOUT, WITNESS_TIMEOUT);

    private static Optional<Verdict> alive(NodeAddress peer, Purpose purpose) {
        return Optional.of(new Verdict(peer, purpose, true));
    }

    private static Verdict dead(NodeAddress peer, Purpose purpose) {
        return new Verdict(peer, purpose, false);
    }

    // ---- a ping of our own ----

    @Test
    void aPongFromThePeerPingedSaysItIsAlive() {
        // bob went silent: ping it
        suspicion.ping(BOB, SILENT, 0);
        assertEquals(List.of(new Sent(BOB, new Ping(1))), sent);
        assertEquals(PROBE_TIMEOUT, suspicion.nextDeadline());
        // bob answers
        assertEquals(alive(BOB, SILENT), suspicion.onPong(BOB, 1));
        assertEquals(0, suspicion.openChecks());
        // a second Pong (a duplicate) ends nothing more
        assertEquals(Optional.empty(), suspicion.onPong(BOB, 1));
    }

    @Test
    void aPongFromAPeerInNoRingSaysItIsGoneForTheRing() {
        // bob was removed and is joining again: it answers, from no ring (term 0)
        Purpose witnessing = new Suspicion.Witnessing(DAVE, 42);
        suspicion.ping(BOB, SILENT, 0);
        suspicion.ping(BOB, witnessing, 0);
        assertEquals(Optional.of(dead(BOB, SILENT)), suspicion.onPong(BOB, 1, false));
        assertEquals(Optional.of(dead(BOB, witnessing)), suspicion.onPong(BOB, 2, false));
        assertEquals(0, suspicion.openChecks());
    }

    @Test
    void aPongFromAnotherPeerOrForAnotherNonceIsIgnored() {
        suspicion.ping(BOB, SILENT, 0);
        // carol answers with bob's nonce: it proves nothing about bob
        assertEquals(Optional.empty(), suspicion.onPong(CAROL, 1));
        // bob answers a nonce never sent
        assertEquals(Optional.empty(), suspicion.onPong(BOB, 2));
        // the check is still open, and bob's real answer still counts
        assertEquals(1, suspicion.openChecks());
        assertEquals(alive(BOB, SILENT), suspicion.onPong(BOB, 1));
    }

    @Test
    void theVerdictCarriesThePurposeOfTheCheck() {
        Purpose reported = new Suspicion.Reported(CAROL, true);
        Purpose witnessing = new Suspicion.Witnessing(DAVE, 42);
        // one check reported by carol, one made as dave's witness, both of bob
        suspicion.ping(BOB, reported, 0);
        suspicion.ping(BOB, witnessing, 0);
        assertEquals(List.of(new Sent(BOB, new Ping(1)), new Sent(BOB, new Ping(2))), sent);
        // each Pong ends its own check
        assertEquals(alive(BOB, witnessing), suspicion.onPong(BOB, 2));
        assertEquals(alive(BOB, reported), suspicion.onPong(BOB, 1));
    }

    @Test
    void aRefusedConnectToThePeerIsDeathAtOnce() {
        Purpose reconnect = new Suspicion.Reconnect();
        suspicion.ping(BOB, reconnect, 0);
        // the fresh connection to bob is refused long before the ping's deadline
        assertEquals(List.of(dead(BOB, reconnect)), suspicion.onConnectFailed(BOB, true, 10));
        assertEquals(0, suspicion.openChecks());
        assertEquals(Long.MAX_VALUE, suspicion.nextDeadline());
        // nothing else was sent
        assertEquals(List.of(new Sent(BOB, new Ping(1))), sent);
    }

    @Test
    void anUnansweredConnectToThePeerLeavesThePingToItsDeadline() {
        suspicion.ping(BOB, SILENT, 0);
        // the connect carrying the ping timed out: the SYN may have been lost, bob may live
        assertEquals(List.of(), suspicion.onConnectFailed(BOB, false, 10));
        assertEquals(1, suspicion.openChecks());
        // an answer that comes after all (bob connected to us) still counts
        assertEquals(alive(BOB, SILENT), suspicion.onPong(BOB, 1));
    }

    @Test
    void anUnansweredConnectToAWitnessDropsItAsARefusalDoes() {
        suspicion.check(BOB, SILENT, List.of(CAROL), 0);
        // carol cannot be reached: no witness is left, so this node pings bob itself
        assertEquals(List.of(), suspicion.onConnectFailed(CAROL, false, 10));
        assertEquals(List.of(new Sent(CAROL, new Probe(BOB, 1)), new Sent(BOB, new Ping(2))), sent);
    }

    @Test
    void aRefusedConnectToSomeoneElseLeavesThePingOpen() {
        suspicion.ping(BOB, SILENT, 0);
        // carol is not part of this check
        assertEquals(List.of(), suspicion.onConnectFailed(CAROL, true, 10));
        assertEquals(1, suspicion.openChecks());
    }

    // ---- a probe through a witness ----

    @Test
    void aProbeGoesToTheWitnessAndOnlyItsAnswerCounts() {
        // ask carol whether bob is alive
        suspicion.check(BOB, SILENT, List.of(CAROL), 0);
        assertEquals(List.of(new Sent(CAROL, new Probe(BOB, 1))), sent);
        assertEquals(WITNESS_TIMEOUT, suspicion.nextDeadline());
        // dave answers carol's probe: ignored
        assertEquals(Optional.empty(), suspicion.onProbeResult(DAVE, 1, true));
        // a Pong with the probe's nonce (even from bob) is not the witness's answer
        assertEquals(Optional.empty(), suspicion.onPong(BOB, 1));
        // carol's answer decides
        assertEquals(Optional.of(dead(BOB, SILENT)), suspicion.onProbeResult(CAROL, 1, false));
        assertEquals(0, suspicion.openChecks());
    }

    @Test
    void theWitnessCanSayThePeerIsAlive() {
        suspicion.check(BOB, SILENT, List.of(CAROL), 0);
        assertEquals(alive(BOB, SILENT), suspicion.onProbeResult(CAROL, 1, true));
        // a repeated answer finds no open check
        assertEquals(Optional.empty(), suspicion.onProbeResult(CAROL, 1, true));
    }

    @Test
    void aSilentWitnessTurnsIntoOurOwnPingNotADeathVerdict() {
        suspicion.check(BOB, SILENT, List.of(CAROL), 0);
        // not yet
        assertEquals(List.of(), suspicion.expire(WITNESS_TIMEOUT - 1));
        assertEquals(List.of(new Sent(CAROL, new Probe(BOB, 1))), sent);
        // carol's time is up: no verdict, but this node pings bob itself, with a ping's timeout from now
        assertEquals(List.of(), suspicion.expire(WITNESS_TIMEOUT));
        assertEquals(List.of(new Sent(CAROL, new Probe(BOB, 1)), new Sent(BOB, new Ping(2))), sent);
        assertEquals(1, suspicion.openChecks());
        assertEquals(WITNESS_TIMEOUT + PROBE_TIMEOUT, suspicion.nextDeadline());
        // carol's late answer belongs to no open check
        assertEquals(Optional.empty(), suspicion.onProbeResult(CAROL, 1, false));
        // bob answers our ping: alive, for the original purpose
        assertEquals(alive(BOB, SILENT), suspicion.onPong(BOB, 2));
    }

    @Test
    void aSilentWitnessAndASilentPeerEndInDeath() {
        suspicion.check(BOB, SILENT, List.of(CAROL), 0);
        suspicion.expire(WITNESS_TIMEOUT);
        // our own ping of bob goes unanswered too
        assertEquals(List.of(), suspicion.expire(WITNESS_TIMEOUT + PROBE_TIMEOUT - 1));
        assertEquals(List.of(dead(BOB, SILENT)), suspicion.expire(WITNESS_TIMEOUT + PROBE_TIMEOUT));
        assertEquals(0, suspicion.openChecks());
    }

    @Test
    void aWitnessWhoseConnectFailsTurnsIntoOurOwnPing() {
        suspicion.check(BOB, SILENT, List.of(CAROL), 0);
        // nobody listens at carol's address: that says nothing about bob
        assertEquals(List.of(), suspicion.onConnectFailed(CAROL, true, 50));
        assertEquals(List.of(new Sent(CAROL, new Probe(BOB, 1)), new Sent(BOB, new Ping(2))), sent);
        assertEquals(50 + PROBE_TIMEOUT, suspicion.nextDeadline());
        // and then bob's connect fails too: dead
        assertEquals(List.of(dead(BOB, SILENT)), suspicion.onConnectFailed(BOB, true, 60));
    }

    @Test
    void twoWitnessesAreAskedAtOnceAndTheFirstAliveDecides() {
        // carol and dave are both asked, with the same nonce
        suspicion.check(BOB, SILENT, List.of(CAROL, DAVE), 0);
        assertEquals(List.of(new Sent(CAROL, new Probe(BOB, 1)), new Sent(DAVE, new Probe(BOB, 1))), sent);
        // dave could not reach bob: no verdict while carol may still reach him (bob's link may be lossy)
        assertEquals(Optional.empty(), suspicion.onProbeResult(DAVE, 1, false));
        // carol did: alive
        assertEquals(alive(BOB, SILENT), suspicion.onProbeResult(CAROL, 1, true));
        assertEquals(0, suspicion.openChecks());
    }

    @Test
    void deadOnceEveryWitnessSaysSo() {
        suspicion.check(BOB, SILENT, List.of(CAROL, DAVE), 0);
        assertEquals(Optional.empty(), suspicion.onProbeResult(DAVE, 1, false));
        assertEquals(Optional.of(dead(BOB, SILENT)), suspicion.onProbeResult(CAROL, 1, false));
        assertEquals(0, suspicion.openChecks());
        // no ping of our own: two witnesses failed to reach bob
        assertEquals(2, sent.size());
    }

    @Test
    void oneWitnessSaysDeadAndTheOtherIsSilentUntilTheDeadline() {
        suspicion.check(BOB, SILENT, List.of(CAROL, DAVE), 0);
        assertEquals(Optional.empty(), suspicion.onProbeResult(DAVE, 1, false));
        assertEquals(List.of(), suspicion.expire(WITNESS_TIMEOUT - 1));
        // carol (hung, perhaps) never answers: dave's answer stands
        assertEquals(List.of(dead(BOB, SILENT)), suspicion.expire(WITNESS_TIMEOUT));
        // or carol cannot be reached at all: the same
        suspicion.check(BOB, SILENT, List.of(CAROL, DAVE), 1000);
        suspicion.onProbeResult(DAVE, 2, false);
        assertEquals(List.of(dead(BOB, SILENT)), suspicion.onConnectFailed(CAROL, true, 1010));
        assertEquals(0, suspicion.openChecks());
    }

    @Test
    void aFrameFromThePeerEndsEveryCheckOfItAlive() {
        // bob is checked three ways at once: a ping of ours, through witnesses, and as a witness for dave
        Purpose witnessing = new Suspicion.Witnessing(DAVE, 7);
        suspicion.ping(BOB, SILENT, 0);
        suspicion.check(BOB, new Suspicion.Reconnect(), List.of(CAROL), 0);
        suspicion.ping(BOB, witnessing, 0);
        suspicion.ping(CAROL, SILENT, 0);
        // a heartbeat from bob comes through (his Pongs are stuck behind a lost segment): all three end, alive
        assertEquals(List.of(new Verdict(BOB, SILENT, true), new Verdict(BOB, new Suspicion.Reconnect(), true),
                new Verdict(BOB, witnessing, true)), suspicion.onHeard(BOB));
        // the check of carol goes on
        assertEquals(1, suspicion.openChecks());
        assertEquals(List.of(), suspicion.onHeard(DAVE));
        assertEquals(List.of(dead(CAROL, SILENT)), suspicion.expire(PROBE_TIMEOUT));
    }

    @Test
    void aWitnessThatCannotBeReachedLeavesTheOtherToAnswer() {
        suspicion.check(BOB, SILENT, List.of(CAROL, DAVE), 0);
        // carol is gone: no ping of our own yet, dave still answers
        assertEquals(List.of(), suspicion.onConnectFailed(CAROL, true, 10));
        assertEquals(2, sent.size());
        assertEquals(alive(BOB, SILENT), suspicion.onProbeResult(DAVE, 1, true));
        // with both witnesses gone, this node pings bob itself
        suspicion.check(BOB, SILENT, List.of(CAROL, DAVE), 20);
        suspicion.onConnectFailed(CAROL, true, 30);
        suspicion.onConnectFailed(DAVE, true, 40);
        assertEquals(new Sent(BOB, new Ping(3)), sent.get(sent.size() - 1));
    }

    @Test
    void aPauseOfThisNodeMovesEveryDeadlineOn() {
        suspicion.ping(BOB, SILENT, 0);
        // this node was stopped for 5 s: bob's Pong may be waiting unread, so no verdict yet
        suspicion.postpone(5000);
        assertEquals(List.of(), suspicion.expire(5000));
        assertEquals(5000 + PROBE_TIMEOUT, suspicion.nextDeadline());
        assertEquals(alive(BOB, SILENT), suspicion.onPong(BOB, 1));
    }

    @Test
    void aLongPauseOfThisNodeMakesEveryCheckAgainAndIgnoresTheOldAnswers() {
        suspicion.check(BOB, SILENT, List.of(CAROL, DAVE), 0);
        suspicion.ping(CAROL, SILENT, 0);
        // this node slept 3 s; carol's and dave's "dead" for bob were written while bob slept too
        suspicion.renew(3000);
        assertEquals(2, suspicion.openChecks());
        assertEquals(List.of(new Sent(CAROL, new Probe(BOB, 1)), new Sent(DAVE, new Probe(BOB, 1)),
                new Sent(CAROL, new Ping(2)), new Sent(CAROL, new Probe(BOB, 3)), new Sent(DAVE, new Probe(BOB, 3)),
                new Sent(CAROL, new Ping(4))), sent);
        assertEquals(Optional.empty(), suspicion.onProbeResult(CAROL, 1, false));
        assertEquals(Optional.empty(), suspicion.onProbeResult(DAVE, 1, false));
        assertEquals(Optional.empty(), suspicion.onPong(CAROL, 2));
        // the deadlines start again from the waking
        assertEquals(3000 + PROBE_TIMEOUT, suspicion.nextDeadline());
        // the new checks decide as any
        assertEquals(alive(BOB, SILENT), suspicion.onProbeResult(DAVE, 3, true));
        assertEquals(alive(CAROL, SILENT), suspicion.onPong(CAROL, 4));
        assertEquals(0, suspicion.openChecks());
    }

    // ---- deadlines ----

    @Test
    void expireEndsOnlyChecksWhoseDeadlineHasCome() {
        Purpose reconnect = new Suspicion.Reconnect();
        // bob at t=0 (due 200), carol at t=100 (due 300)
        suspicion.ping(BOB, SILENT, 0);
        suspicion.ping(CAROL, reconnect, 100);
        assertEquals(200, suspicion.nextDeadline());
        assertEquals(List.of(), suspicion.expire(199));
        // bob's time is up, carol's is not
        assertEquals(List.of(dead(BOB, SILENT)), suspicion.expire(200));
        assertEquals(300, suspicion.nextDeadline());
        assertEquals(List.of(dead(CAROL, reconnect)), suspicion.expire(300));
        assertEquals(Long.MAX_VALUE, suspicion.nextDeadline());
    }

    @Test
    void expireReportsEveryCheckDueInTheOrderTheyWereMade() {
        suspicion.ping(CAROL, SILENT, 10);
        suspicion.ping(BOB, SILENT, 0);
        // both long overdue
        assertEquals(List.of(dead(CAROL, SILENT), dead(BOB, SILENT)), suspicion.expire(1000));
    }

    @Test
    void noOpenCheckMeansNoDeadline() {
        assertEquals(Long.MAX_VALUE, suspicion.nextDeadline());
        assertEquals(List.of(), suspicion.expire(Long.MAX_VALUE));
    }

    // ---- one verification at a time, and forgetting ----

    @Test
    void beginVerifyingLetsOneVerificationRunPerPeer() {
        assertTrue(suspicion.beginVerifying(BOB));
        assertTrue(suspicion.isVerifying(BOB));
        // a second suspicion of bob while the first is checked: no second check
        assertFalse(suspicion.beginVerifying(BOB));
        // carol is another matter
        assertTrue(suspicion.beginVerifying(CAROL));
        // bob's check ended: it may be verified again
        suspicion.endVerifying(BOB);
        assertFalse(suspicion.isVerifying(BOB));
        assertTrue(suspicion.beginVerifying(BOB));
    }

    @Test
    void clearForgetsEveryCheckAndVerification() {
        suspicion.beginVerifying(BOB);
        suspicion.check(BOB, SILENT, List.of(CAROL), 0);
        suspicion.ping(DAVE, SILENT, 0);
        // this node left the ring it was checking for
        suspicion.clear();
        assertEquals(0, suspicion.openChecks());
        assertEquals(Long.MAX_VALUE, suspicion.nextDeadline());
        assertFalse(suspicion.isVerifying(BOB));
        // late answers to the forgotten checks end nothing
        assertEquals(Optional.empty(), suspicion.onProbeResult(CAROL, 1, false));
        assertEquals(Optional.empty(), suspicion.onPong(DAVE, 2));
        assertEquals(List.of(), suspicion.expire(10_000));
        // a new check does not reuse a forgotten nonce
        suspicion.ping(DAVE, SILENT, 20_000);
        assertEquals(new Sent(DAVE, new Ping(3)), sent.get(sent.size() - 1));
        assertEquals(Optional.empty(), suspicion.onPong(DAVE, 2));
        assertEquals(alive(DAVE, SILENT), suspicion.onPong(DAVE, 3));
    }

    @Test
    void onlyTheLeadersPongAnswersWhetherItStillLeads() {
        Purpose summoned = new Suspicion.Summoned();
        suspicion.ping(BOB, summoned, 0);
        suspicion.ping(BOB, SILENT, 0);
        // a heartbeat of bob's ends the check of its silence, but not the question whether it
        // leads: that takes its Pong, with its term
        assertEquals(List.of(new Verdict(BOB, SILENT, true)), suspicion.onHeard(BOB));
        assertEquals(1, suspicion.openChecks());
        assertEquals(alive(BOB, summoned), suspicion.onPong(BOB, 1));
        // unanswered, the question ends in "gone" like any ping
        suspicion.ping(BOB, summoned, 1000);
        assertEquals(List.of(dead(BOB, summoned)), suspicion.expire(1000 + PROBE_TIMEOUT));
    }
}
