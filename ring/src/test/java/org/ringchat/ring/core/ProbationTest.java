package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.Probation.Phase;

/** {@link Probation}: a leader back from a pause waits for every member to confirm it from its own term. */
class ProbationTest {

    /** The leader's view is of term 5. */
    private static final long TERM = 5;

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final NodeAddress BOB = address(5002);
    private static final NodeAddress CAROL = address(5003);
    private static final NodeAddress DAVE = address(5004);
    private static final NodeAddress STRANGER = address(5999);
    private static final List<NodeAddress> MEMBERS = List.of(BOB, CAROL, DAVE);

    private final Probation probation = new Probation();

    @Test
    void notOnProbationAtFirst() {
        assertEquals(Phase.NONE, probation.phase());
        assertFalse(probation.active());
        // answers outside a probation end nothing
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        assertFalse(probation.check(MEMBERS));
        assertEquals(Phase.NONE, probation.phase());
    }

    @Test
    void everyMemberMustConfirmFromTheLeadersTerm() {
        // the leader woke from a pause
        probation.begin(0);
        assertEquals(Phase.ON_PROBATION, probation.phase());
        assertTrue(probation.active());
        // bob and carol confirm: not enough
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        assertFalse(probation.onAnswer(CAROL, TERM, TERM, MEMBERS));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        // bob again does not stand in for dave
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        // dave confirms: the probation is over
        assertTrue(probation.onAnswer(DAVE, TERM, TERM, MEMBERS));
        assertEquals(Phase.NONE, probation.phase());
        assertFalse(probation.active());
        // a late answer does not end it twice
        assertFalse(probation.onAnswer(DAVE, TERM, TERM, MEMBERS));
    }

    @Test
    void itTellsWhoConfirmedTheLeaderSinceThePause() {
        assertFalse(probation.confirmedBy(BOB)); // no probation, no confirmation
        probation.begin(0);
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        assertFalse(probation.onAnswer(CAROL, TERM - 1, TERM, MEMBERS)); // outside any ring: confirms nothing
        assertTrue(probation.confirmedBy(BOB));
        assertFalse(probation.confirmedBy(CAROL));
        assertFalse(probation.confirmedBy(DAVE));
        // deposed by an answer from a newer term: nobody's confirmation stands for the leader now
        assertFalse(probation.onAnswer(DAVE, TERM + 1, TERM, MEMBERS));
        assertFalse(probation.confirmedBy(BOB));
    }

    @Test
    void aConfirmationStandsAgainstAViewThatLeavesTheDeposerOut() {
        NodeAddress erin = address(5005);
        probation.begin(0);
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        // carol stands in an election of her own (term 6) and deposes the leader
        assertFalse(probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS));
        assertEquals(Phase.DEPOSED, probation.phase());
        // a view of another piece, led by erin, without bob and carol: bob still followed this
        // leader after its pause, so that view did not replace it (seed 1526)
        View erinsPiece = new View(TERM + 1, 1, erin, List.of(new Member("erin", erin, 2), new Member("dave", DAVE, 4)), 7);
        assertTrue(probation.confirmedAgainst(BOB, erinsPiece));
        assertFalse(probation.confirmedAgainst(DAVE, erinsPiece)); // dave never confirmed
        // a view that holds carol, who deposed this leader: the ring she follows replaced it (as
        // when bob was paused with this leader, and removed with it)
        View carolsRing = new View(TERM + 1, 2, CAROL, List.of(new Member("carol", CAROL, 3), new Member("dave", DAVE, 4)), 7);
        assertFalse(probation.confirmedAgainst(BOB, carolsRing));
        // and none stands once the probation is over
        probation.reset();
        assertFalse(probation.confirmedAgainst(BOB, erinsPiece));
    }

    @Test
    void aDeposerThatAsksToJoinAgainDeposesNoMore() {
        probation.begin(0);
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        assertFalse(probation.onAnswer(CAROL, TERM, TERM, MEMBERS));
        // dave stood alone again and again (seed 317117), then gave up and asks to join again
        assertFalse(probation.onAnswer(DAVE, TERM + 2, TERM, MEMBERS));
        assertEquals(Phase.DEPOSED, probation.phase());
        assertFalse(probation.gaveUp(BOB)); // bob never deposed it
        assertTrue(probation.gaveUp(DAVE));
        // back on probation, bob and carol confirmed: dave, rejoining, is checked like any silent member
        assertEquals(Phase.ON_PROBATION, probation.phase());
        assertFalse(probation.check(MEMBERS));
        assertEquals(List.of(DAVE), probation.expire(10_000, 1_000, 3_000, MEMBERS));
        assertFalse(probation.gaveUp(DAVE)); // no probation any more
    }

    @Test
    void anAnswerFromANewerTermDeposesTheLeader() {
        probation.begin(0);
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        // carol is already electing (or led by) someone else in term 6
        assertFalse(probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS));
        assertEquals(Phase.DEPOSED, probation.phase());
        assertTrue(probation.active());
        // dave's answer from the old term comes later: it does not end a deposed leader's probation
        assertFalse(probation.onAnswer(DAVE, TERM, TERM, MEMBERS));
        assertEquals(Phase.DEPOSED, probation.phase());
        // nor does the membership shrinking while carol, who deposed it, is still a member
        assertFalse(probation.check(List.of(BOB, CAROL)));
        assertEquals(Phase.DEPOSED, probation.phase());
    }

    @Test
    void itTellsWhichMemberDeposedIt() {
        probation.begin(0);
        assertFalse(probation.deposedBy(CAROL)); // on probation, deposed by nobody yet
        assertFalse(probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS));
        assertTrue(probation.deposedBy(CAROL));
        assertFalse(probation.deposedBy(BOB));
        // carol gave her election up and follows this leader again (an answer, or an
        // acknowledgement, of its term): the deposition is over
        assertFalse(probation.onAnswer(CAROL, TERM, TERM, MEMBERS));
        assertFalse(probation.deposedBy(CAROL));
        assertEquals(Phase.ON_PROBATION, probation.phase());
    }

    @Test
    void aDeposedLeaderIsBackOnProbationWhenItsDeposerIsGone() {
        probation.begin(0);
        assertFalse(probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS));
        assertEquals(Phase.DEPOSED, probation.phase());
        // carol left (or crashed): her election may have found no followers, or she may have led
        // bob and dave before she went, and their answers not be in yet (seed 304572). The
        // probation goes on: it ends when they confirm this leader's term (or depose it again)
        assertFalse(probation.check(List.of(BOB, DAVE)));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        assertFalse(probation.onAnswer(BOB, TERM, TERM, List.of(BOB, DAVE)));
        assertTrue(probation.onAnswer(DAVE, TERM, TERM, List.of(BOB, DAVE)));
        assertEquals(Phase.NONE, probation.phase());
        assertFalse(probation.active());
    }

    @Test
    void aLeaderBackOnProbationIsDeposedAgainByTheGoneDeposersFollowers() {
        probation.begin(0);
        assertFalse(probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS));
        assertFalse(probation.check(List.of(BOB, DAVE)));
        // bob followed carol in her term, and says so now
        assertFalse(probation.onAnswer(BOB, TERM + 1, TERM, List.of(BOB, DAVE)));
        assertEquals(Phase.DEPOSED, probation.phase());
    }

    @Test
    void everyMemberThatAnswersFromANewerTermDeposesIt() {
        probation.begin(0);
        // carol leads a ring of term 6 that replaced this leader; bob follows her
        assertFalse(probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS));
        assertFalse(probation.onAnswer(BOB, TERM + 1, TERM, MEMBERS));
        assertTrue(probation.deposedBy(CAROL));
        assertTrue(probation.deposedBy(BOB));
        // carol leaves her ring: bob, in it still, deposes this leader all the same
        assertFalse(probation.check(List.of(BOB, DAVE)));
        assertEquals(Phase.DEPOSED, probation.phase());
        assertEquals(TERM + 1, probation.deposedTerm());
        // bob follows this leader again: nobody deposes it any more
        assertFalse(probation.onAnswer(BOB, TERM, TERM, List.of(BOB, DAVE)));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        assertFalse(probation.deposedBy(BOB));
    }

    @Test
    void membersRemovedMeanwhileEndItWhenTheRestConfirmed() {
        probation.begin(0);
        probation.onAnswer(BOB, TERM, TERM, MEMBERS);
        probation.onAnswer(CAROL, TERM, TERM, MEMBERS);
        // all three still members: dave is missing
        assertFalse(probation.check(MEMBERS));
        // dave never answered and was removed: everyone left has confirmed
        assertTrue(probation.check(List.of(BOB, CAROL)));
        assertEquals(Phase.NONE, probation.phase());
    }

    @Test
    void removingMembersWhoConfirmedDoesNotEndIt() {
        probation.begin(0);
        probation.onAnswer(BOB, TERM, TERM, MEMBERS);
        // bob removed, carol and dave still to confirm
        assertFalse(probation.check(List.of(CAROL, DAVE)));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        // the answers count against the membership of their time
        assertFalse(probation.onAnswer(CAROL, TERM, TERM, List.of(CAROL, DAVE)));
        assertTrue(probation.onAnswer(DAVE, TERM, TERM, List.of(CAROL, DAVE)));
    }

    @Test
    void aLeaderWithNoMembersLeftEndsItAtOnce() {
        probation.begin(0);
        // everybody else was removed: nobody to wait for
        assertTrue(probation.check(List.of()));
        assertEquals(Phase.NONE, probation.phase());
    }

    @Test
    void answersFromNonMembersAreIgnored() {
        probation.begin(0);
        // a stranger, even from a newer term, neither confirms nor deposes
        assertFalse(probation.onAnswer(STRANGER, TERM + 1, TERM, MEMBERS));
        assertFalse(probation.onAnswer(STRANGER, TERM, TERM, MEMBERS));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        // and it is not counted for later either
        probation.onAnswer(BOB, TERM, TERM, MEMBERS);
        probation.onAnswer(CAROL, TERM, TERM, MEMBERS);
        assertFalse(probation.check(List.of(BOB, CAROL, STRANGER)));
    }

    @Test
    void pastItsLimitTheConfirmedAreEnoughAndTheSilentAreNamed() {
        probation.begin(1000);
        probation.onAnswer(BOB, TERM, TERM, MEMBERS);
        // before the limit, nothing changes
        assertEquals(List.of(), probation.expire(2999, 2000, 20_000, MEMBERS));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        // at the limit: bob confirmed, carol and dave never answered
        assertEquals(List.of(CAROL, DAVE), probation.expire(3000, 2000, 20_000, MEMBERS));
        assertEquals(Phase.NONE, probation.phase());
        assertFalse(probation.active());
        // over once
        assertEquals(List.of(), probation.expire(9000, 2000, 20_000, MEMBERS));
    }

    @Test
    void withNobodyConfirmingItWaitsTheLongerLimitThenNamesEveryMember() {
        probation.begin(0);
        // every member silent: they may all follow a ring that replaced this leader, and wake
        assertEquals(List.of(), probation.expire(19_999, 2000, 20_000, MEMBERS));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        // a confirmation from one no longer a member does not count
        probation.onAnswer(BOB, TERM, TERM, MEMBERS);
        assertEquals(List.of(), probation.expire(19_999, 2000, 20_000, List.of(CAROL, DAVE)));
        assertEquals(Phase.ON_PROBATION, probation.phase());
        // nobody answered for the longer limit: all of them are checked as silent (seed 84495)
        assertEquals(List.of(CAROL, DAVE), probation.expire(20_000, 2000, 20_000, List.of(CAROL, DAVE)));
        assertEquals(Phase.NONE, probation.phase());
    }

    @Test
    void aDeposedLeaderDoesNotExpire() {
        probation.begin(0);
        probation.onAnswer(BOB, TERM, TERM, MEMBERS);
        probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS);
        assertEquals(List.of(), probation.expire(1_000_000, 2000, 20_000, MEMBERS));
        assertEquals(Phase.DEPOSED, probation.phase());
    }

    @Test
    void resetForgetsAProbationAndItsConfirmations() {
        probation.begin(0);
        probation.onAnswer(CAROL, TERM + 1, TERM, MEMBERS);
        // a new view names another leader: not leading, not on probation
        probation.reset();
        assertEquals(Phase.NONE, probation.phase());
        assertFalse(probation.active());
    }

    @Test
    void aNewProbationNeedsEveryConfirmationAgain() {
        probation.begin(0);
        probation.onAnswer(BOB, TERM, TERM, MEMBERS);
        probation.onAnswer(CAROL, TERM, TERM, MEMBERS);
        // paused again before dave answered: the confirmations from before are stale
        probation.begin(0);
        assertFalse(probation.onAnswer(DAVE, TERM, TERM, MEMBERS));
        assertFalse(probation.check(MEMBERS));
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        assertTrue(probation.onAnswer(CAROL, TERM, TERM, MEMBERS));
    }

    @Test
    void aDeposedLeaderCanBeginAgain() {
        probation.begin(0);
        probation.onAnswer(BOB, TERM + 1, TERM, MEMBERS);
        // it was deposed, then (say) re-elected and paused again: a fresh probation
        probation.begin(0);
        assertEquals(Phase.ON_PROBATION, probation.phase());
    }

    @Test
    void anAnswerFromAnOlderTermDoesNotConfirm() {
        probation.begin(0);
        // bob is not in any ring now (removed, rejoining): its Pong carries term 0
        assertFalse(probation.onAnswer(BOB, 0, TERM, MEMBERS));
        // carol and dave confirm from term 5
        assertFalse(probation.onAnswer(CAROL, TERM, TERM, MEMBERS));
        // bob never confirmed from the leader's own term, so the probation must go on
        assertFalse(probation.onAnswer(DAVE, TERM, TERM, MEMBERS));
        assertEquals(Phase.ON_PROBATION, probation.phase());
    }

    @Test
    void aDeposedLeaderKnowsTheNewerTermItWasDeposedFrom() {
        assertEquals(0, probation.deposedTerm());
        probation.begin(0);
        assertEquals(0, probation.deposedTerm()); // on probation, not deposed: its own term stands
        assertFalse(probation.onAnswer(BOB, TERM + 2, TERM, MEMBERS));
        assertEquals(Phase.DEPOSED, probation.phase());
        assertEquals(TERM + 2, probation.deposedTerm());
        // bob gave its election up and follows this leader again: the term is its own again
        assertFalse(probation.onAnswer(BOB, TERM, TERM, MEMBERS));
        assertEquals(0, probation.deposedTerm());
    }
}
