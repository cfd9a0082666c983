package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Departure.Reason;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.CatchUp.Outcome;
import org.ringchat.ring.core.CatchUp.Phase;

/**
 * {@link CatchUp}: bob won the election for term 5 after alice, the leader of term 4, died. It
 * asks carol, dave and erin how far they got before it publishes its first view.
 */
class CatchUpTest {

    private static final long TERM = 5;
    private static final long DEADLINE = 3000;

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final Member ALICE = new Member("alice", address(5001), 1);
    private static final Member BOB = new Member("bob", address(5002), 2);
    private static final Member CAROL = new Member("carol", address(5003), 3);
    private static final Member DAVE = new Member("dave", address(5004), 4);
    private static final Member ERIN = new Member("erin", address(5005), 6);
    /** Alice's last view: version 9 of term 4, rank 7 already handed out. */
    private static final View OLD = new View(4, 9, ALICE.address(), List.of(ALICE, BOB, CAROL, DAVE, ERIN), 8);
    private static final List<NodeAddress> ASKED = List.of(CAROL.address(), DAVE.address(), ERIN.address());

    private final CatchUp catchUp = new CatchUp();

    private static View firstView(Member... members) {
        return new View(TERM, 1, BOB.address(), List.of(members), 8);
    }

    @Test
    void idleUntilItBegins() {
        assertEquals(Phase.IDLE, catchUp.phase());
        assertFalse(catchUp.accepts(CAROL.address(), TERM));
        assertFalse(catchUp.expired(Long.MAX_VALUE));
        // a reply with no round running counts for nothing
        assertFalse(catchUp.onReply(CAROL.address(), TERM, 10, true));
    }

    @Test
    void theNewViewHasSelfAndEveryoneWhoAnsweredInTheOldRingOrder() {
        // alice's death was seen during the election
        catchUp.noteDeath(ALICE.address(), Reason.CRASHED);
        catchUp.begin(TERM, ASKED, DEADLINE);
        assertEquals(Phase.COLLECTING, catchUp.phase());
        assertEquals(TERM, catchUp.term());
        assertEquals(DEADLINE, catchUp.deadline());
        // erin answers first, then carol; dave never does
        assertFalse(catchUp.onReply(ERIN.address(), TERM, 12, true));
        assertFalse(catchUp.onReply(CAROL.address(), TERM, 10, true));
        // the time is up at the deadline, not before
        assertFalse(catchUp.expired(DEADLINE - 1));
        assertTrue(catchUp.expired(DEADLINE));
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        // bob, carol, erin in ring order (not answer order); term 5, version 1, rank 8 still next
        assertEquals(firstView(BOB, CAROL, ERIN), outcome.view());
        // alice for the reason noted, dave for not answering
        assertEquals(List.of(new Departure(ALICE, Reason.CRASHED), new Departure(DAVE, Reason.UNRESPONSIVE)),
                outcome.departed());
        assertEquals(Map.of(ERIN.address(), 12L, CAROL.address(), 10L), outcome.positions());
        // the round is over
        assertEquals(Phase.IDLE, catchUp.phase());
        assertFalse(catchUp.expired(Long.MAX_VALUE));
    }

    @Test
    void aPostponedRoundExpiresAtItsNewDeadlineAndAnIdleOneIgnoresIt() {
        catchUp.postpone(DEADLINE); // no round: nothing to move
        assertFalse(catchUp.expired(Long.MAX_VALUE));
        catchUp.begin(TERM, ASKED, DEADLINE);
        // the winner slept through the deadline: the round gets its time again
        catchUp.postpone(DEADLINE + 1000);
        assertEquals(DEADLINE + 1000, catchUp.deadline());
        assertFalse(catchUp.expired(DEADLINE));
        assertFalse(catchUp.expired(DEADLINE + 999));
        assertTrue(catchUp.expired(DEADLINE + 1000));
    }

    @Test
    void aRoundNobodyAnsweredMayGoOnTwiceAndOneWithAnAnswerIsNotUnanswered() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        assertTrue(catchUp.unanswered());
        assertEquals(Set.copyOf(ASKED), Set.copyOf(catchUp.waiting()));
        assertTrue(catchUp.retry(DEADLINE + 1000, 2));
        assertFalse(catchUp.expired(DEADLINE));
        assertTrue(catchUp.expired(DEADLINE + 1000));
        assertTrue(catchUp.retry(DEADLINE + 2000, 2));
        assertFalse(catchUp.retry(DEADLINE + 3000, 2)); // asked three times: it leads without them
        assertTrue(catchUp.expired(DEADLINE + 2000));

        // a new round may go on again; one answer, and the round is no longer unanswered
        catchUp.begin(TERM + 1, ASKED, DEADLINE);
        assertTrue(catchUp.retry(DEADLINE + 1000, 2));
        catchUp.onReply(CAROL.address(), TERM + 1, 10, true);
        assertFalse(catchUp.unanswered());
        assertEquals(Set.of(DAVE.address(), ERIN.address()), Set.copyOf(catchUp.waiting()));

        // every member lost: nobody is waited for, and nothing is unanswered
        catchUp.begin(TERM + 2, List.of(CAROL.address()), DEADLINE);
        catchUp.memberLost(CAROL.address(), Reason.CRASHED);
        assertFalse(catchUp.unanswered());
        catchUp.reset();
        assertFalse(catchUp.retry(DEADLINE, 2)); // no round
    }

    @Test
    void positionsKeepTheOrderOfTheAnswers() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        catchUp.onReply(ERIN.address(), TERM, 12, true);
        catchUp.onReply(CAROL.address(), TERM, 10, true);
        catchUp.onReply(DAVE.address(), TERM, 11, true);
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        assertEquals(List.of(ERIN.address(), CAROL.address(), DAVE.address()), List.copyOf(outcome.positions().keySet()));
        assertEquals(List.of(12L, 10L, 11L), List.copyOf(outcome.positions().values()));
    }

    @Test
    void theRoundIsCompleteWhenEveryMemberAnswered() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        assertFalse(catchUp.onReply(CAROL.address(), TERM, 10, true));
        assertFalse(catchUp.onReply(DAVE.address(), TERM, 10, true));
        // the last one completes it
        assertTrue(catchUp.onReply(ERIN.address(), TERM, 10, true));
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        assertEquals(firstView(BOB, CAROL, DAVE, ERIN), outcome.view());
        // alice was the only one left out; no reason was noted for her
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE)), outcome.departed());
    }

    @Test
    void repliesFromAnotherTermOrFromMembersNotWaitedForAreIgnored() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        // carol answers an older round, and a newer one
        assertFalse(catchUp.accepts(CAROL.address(), TERM - 1));
        assertFalse(catchUp.onReply(CAROL.address(), TERM - 1, 10, true));
        assertFalse(catchUp.onReply(CAROL.address(), TERM + 1, 10, true));
        // alice was not asked
        assertFalse(catchUp.accepts(ALICE.address(), TERM));
        assertFalse(catchUp.onReply(ALICE.address(), TERM, 99, true));
        // dave answers, then answers again with another position: the first answer stands
        catchUp.onReply(DAVE.address(), TERM, 7, true);
        assertFalse(catchUp.accepts(DAVE.address(), TERM));
        assertFalse(catchUp.onReply(DAVE.address(), TERM, 8, true));
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        assertEquals(firstView(BOB, DAVE), outcome.view());
        assertEquals(Map.of(DAVE.address(), 7L), outcome.positions());
    }

    @Test
    void onlyTheLastFrameOfAReplyCounts() {
        catchUp.begin(TERM, List.of(CAROL.address()), DEADLINE);
        // carol's answer takes two frames: the first belongs to the round but does not end her part
        assertTrue(catchUp.accepts(CAROL.address(), TERM));
        assertFalse(catchUp.onReply(CAROL.address(), TERM, 40, false));
        assertTrue(catchUp.accepts(CAROL.address(), TERM));
        // the last one does, and completes the round
        assertTrue(catchUp.onReply(CAROL.address(), TERM, 40, true));
        assertEquals(Map.of(CAROL.address(), 40L), catchUp.finish(OLD, BOB.address()).positions());
    }

    @Test
    void aMemberLearnedOfDuringTheRoundIsWaitedForOnce() {
        catchUp.begin(TERM, List.of(CAROL.address()), DEADLINE);
        assertFalse(catchUp.add(CAROL.address()), "asked already");
        // alice's last view, which came late, admitted frank: asked too, and waited for
        Member frank = new Member("frank", address(5006), 8);
        View late = new View(4, 10, ALICE.address(), List.of(ALICE, BOB, CAROL, DAVE, ERIN, frank), 9);
        assertTrue(catchUp.add(frank.address()));
        assertFalse(catchUp.add(frank.address()), "asked already");
        assertFalse(catchUp.onReply(CAROL.address(), TERM, 10, true));
        assertTrue(catchUp.onReply(frank.address(), TERM, 11, true));
        assertFalse(catchUp.add(frank.address()), "answered already");
        // the first view is built from the late view: frank is in it, rank 9 still next
        Outcome outcome = catchUp.finish(late, BOB.address());
        assertEquals(List.of(BOB, CAROL, frank), outcome.view().members());
        assertEquals(9, outcome.view().nextRank());
        // and once the round is over, nobody is added
        assertFalse(catchUp.add(DAVE.address()));
    }

    @Test
    void aMemberCrashingDuringTheRoundCompletesItWhenEveryoneElseAnswered() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        assertFalse(catchUp.onReply(CAROL.address(), TERM, 10, true));
        // dave crashes while erin has not answered yet: still waiting for erin
        assertFalse(catchUp.memberLost(DAVE.address(), Reason.CRASHED));
        assertFalse(catchUp.accepts(DAVE.address(), TERM));
        // erin answers: nobody is left to wait for
        assertTrue(catchUp.onReply(ERIN.address(), TERM, 10, true));
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        assertEquals(firstView(BOB, CAROL, ERIN), outcome.view());
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE), new Departure(DAVE, Reason.CRASHED)),
                outcome.departed());
    }

    @Test
    void theLastMemberWaitedForCrashingCompletesTheRound() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        catchUp.onReply(CAROL.address(), TERM, 10, true);
        catchUp.onReply(ERIN.address(), TERM, 10, true);
        // dave was the only one missing
        assertTrue(catchUp.memberLost(DAVE.address(), Reason.LEFT));
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE), new Departure(DAVE, Reason.LEFT)),
                catchUp.finish(OLD, BOB.address()).departed());
    }

    @Test
    void aDeathBeforeTheRoundIsNotedForTheView() {
        // during the election, before bob won: nothing to complete, but the reason is kept
        assertFalse(catchUp.memberLost(ALICE.address(), Reason.CRASHED));
        catchUp.begin(TERM, ASKED, DEADLINE);
        // a member that is not waited for completes nothing either
        assertFalse(catchUp.memberLost(ALICE.address(), Reason.UNRESPONSIVE));
        catchUp.onReply(CAROL.address(), TERM, 10, true);
        catchUp.onReply(DAVE.address(), TERM, 10, true);
        catchUp.onReply(ERIN.address(), TERM, 10, true);
        // the first reason noted stands
        assertEquals(List.of(new Departure(ALICE, Reason.CRASHED)), catchUp.finish(OLD, BOB.address()).departed());
    }

    @Test
    void aLoneSurvivorsRoundLeavesEveryoneElseOut() {
        catchUp.noteDeath(DAVE.address(), Reason.LEFT);
        // nobody to ask
        catchUp.begin(TERM, List.of(), DEADLINE);
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        assertEquals(firstView(BOB), outcome.view());
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE), new Departure(CAROL, Reason.UNRESPONSIVE),
                new Departure(DAVE, Reason.LEFT), new Departure(ERIN, Reason.UNRESPONSIVE)), outcome.departed());
        assertEquals(Map.of(), outcome.positions());
    }

    @Test
    void resetForgetsTheRoundAndTheDeathsNoted() {
        catchUp.noteDeath(ALICE.address(), Reason.CRASHED);
        catchUp.begin(TERM, ASKED, DEADLINE);
        catchUp.onReply(CAROL.address(), TERM, 10, true);
        // a new leader is known after all
        catchUp.reset();
        assertEquals(Phase.IDLE, catchUp.phase());
        assertFalse(catchUp.expired(Long.MAX_VALUE));
        assertFalse(catchUp.accepts(DAVE.address(), TERM));
        // a later round knows nothing of alice's crash or carol's answer
        catchUp.begin(TERM + 1, ASKED, DEADLINE);
        catchUp.onReply(DAVE.address(), TERM + 1, 10, true);
        catchUp.onReply(ERIN.address(), TERM + 1, 10, true);
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        assertEquals(new View(TERM + 1, 1, BOB.address(), List.of(BOB, DAVE, ERIN), 8), outcome.view());
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE), new Departure(CAROL, Reason.UNRESPONSIVE)),
                outcome.departed());
        assertEquals(Map.of(DAVE.address(), 10L, ERIN.address(), 10L), outcome.positions());
    }

    @Test
    void finishingForgetsTheDeathsNotedForTheNextLeaderChange() {
        catchUp.noteDeath(ALICE.address(), Reason.CRASHED);
        catchUp.begin(TERM, ASKED, DEADLINE);
        catchUp.finish(OLD, BOB.address());
        // the next leader change starts from nothing
        catchUp.begin(TERM + 1, List.of(), DEADLINE);
        assertEquals(new Departure(ALICE, Reason.UNRESPONSIVE), catchUp.finish(OLD, BOB.address()).departed().get(0));
    }

    @Test
    void aNewRoundForgetsTheAnswersOfTheOldOneButNotTheDeaths() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        catchUp.onReply(CAROL.address(), TERM, 10, true);
        catchUp.memberLost(DAVE.address(), Reason.CRASHED);
        // the round did not finish; bob stands again and wins term 6
        catchUp.begin(TERM + 1, ASKED, DEADLINE + 5000);
        // carol must answer again, for term 6
        assertTrue(catchUp.accepts(CAROL.address(), TERM + 1));
        assertFalse(catchUp.accepts(CAROL.address(), TERM));
        catchUp.onReply(ERIN.address(), TERM + 1, 10, true);
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        assertEquals(new View(TERM + 1, 1, BOB.address(), List.of(BOB, ERIN), 8), outcome.view());
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE), new Departure(CAROL, Reason.UNRESPONSIVE),
                new Departure(DAVE, Reason.CRASHED)), outcome.departed());
    }

    @Test
    void aMemberThatAnsweredAndThenDiedIsLeftOut() {
        catchUp.begin(TERM, ASKED, DEADLINE);
        catchUp.onReply(CAROL.address(), TERM, 10, true);
        catchUp.onReply(DAVE.address(), TERM, 10, true);
        // carol crashes after answering, before the view is published
        catchUp.memberLost(CAROL.address(), Reason.CRASHED);
        assertTrue(catchUp.onReply(ERIN.address(), TERM, 10, true));
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        // the leader knows carol is dead: she should not be in its first view
        assertEquals(firstView(BOB, DAVE, ERIN), outcome.view());
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE), new Departure(CAROL, Reason.CRASHED)),
                outcome.departed());
    }

    @Test
    void aMoreSeniorMemberThatAnsweredIsLeftOutSoTheLeaderIsTheMostSenior() {
        // alice was only cut off: the election counted her dead, but she answers bob's catch-up
        catchUp.begin(TERM, List.of(ALICE.address(), CAROL.address(), DAVE.address(), ERIN.address()), DEADLINE);
        catchUp.onReply(ALICE.address(), TERM, 10, true);
        catchUp.onReply(CAROL.address(), TERM, 10, true);
        catchUp.onReply(DAVE.address(), TERM, 10, true);
        assertTrue(catchUp.onReply(ERIN.address(), TERM, 10, true));
        Outcome outcome = catchUp.finish(OLD, BOB.address());
        // bob leads the ring he publishes, so he must be its most senior member: alice rejoins as the newest
        assertEquals(firstView(BOB, CAROL, DAVE, ERIN), outcome.view());
        assertEquals(List.of(new Departure(ALICE, Reason.UNRESPONSIVE)), outcome.departed());
    }
}
