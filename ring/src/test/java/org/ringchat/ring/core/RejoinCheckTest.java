package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.core.RejoinCheck.Verdict;

/**
 * {@link RejoinCheck}: a node back after a removal compares the new leader's message at its own
 * last position with its own, to learn whether it rejoined a piece that numbers otherwise.
 */
class RejoinCheckTest {

    private static final Member ALICE = new Member("alice", new NodeAddress("127.0.0.1", 5001), 1);
    private static final Member BOB = new Member("bob", new NodeAddress("127.0.0.1", 5002), 2);

    private final History history = new History(100);
    private final RejoinCheck check = new RejoinCheck();

    private static ChatDeliver line(long seq, long term, Member sender, long msgId) {
        return new ChatDeliver(seq, term, sender, msgId, sender.name() + " #" + msgId, 10 * seq + term);
    }

    /** This node delivered #1..#5 of term 1 (alice's ids 1..5). */
    private void deliverFive() {
        for (int seq = 1; seq <= 5; seq++) {
            history.accept(line(seq, 1, ALICE, seq));
        }
    }

    @Test
    void aRejoinAsksFromOneBeforeItsLastToCompareIt() {
        deliverFive();
        assertEquals(4, check.askAfter(history));
        // the leader's #5 is this node's #5: one numbering, nothing to do
        assertEquals(Verdict.SAME, check.first(line(5, 1, ALICE, 5)));
        // checked once: later messages go the usual way
        assertEquals(Verdict.NONE, check.first(line(6, 1, ALICE, 6)));
    }

    @Test
    void anotherLineAtItsLastPositionIsAnotherPiecesNumbering() {
        deliverFive();
        check.askAfter(history);
        // the other piece numbered bob's line #5 after the split (seeds 1405, 1826)
        assertEquals(Verdict.FOREIGN, check.first(line(5, 2, BOB, 1)));
    }

    @Test
    void aLeaderWhoseNumbersEndBeforeItsLastIsAnotherPiece() {
        deliverFive();
        check.askAfter(history);
        // the leader had nothing at #5 to send back, and orders its own #4 now
        assertEquals(Verdict.FOREIGN, check.first(line(4, 2, BOB, 1)));
    }

    @Test
    void aLeaderWhoseHistoryStartsLaterCannotBeCompared() {
        deliverFive();
        check.askAfter(history);
        assertEquals(Verdict.UNKNOWN, check.first(line(9, 1, ALICE, 9)));
    }

    @Test
    void aLaterOrderingOnTheStreamWaitsForTheAnswerAskedAgain() {
        deliverFive();
        check.askAfter(history);
        // the history's frames were lost with a reset connection: a new ordering comes first
        assertEquals(Verdict.PAST, check.first(line(9, 2, BOB, 4), false));
        assertTrue(check.pending());
        assertEquals(4, check.askAgainAfter());
        // the answer to the request asked again decides: the other piece's line at #5
        assertEquals(Verdict.FOREIGN, check.first(line(5, 2, BOB, 1), true));
        assertEquals(-1, check.askAgainAfter());
    }

    @Test
    void anAnswerThatStartsLaterEndsTheCheck() {
        deliverFive();
        check.askAfter(history);
        assertEquals(Verdict.PAST, check.first(line(9, 2, BOB, 4), false));
        assertEquals(Verdict.UNKNOWN, check.first(line(7, 2, BOB, 2), true));
        assertEquals(Verdict.NONE, check.first(line(10, 2, BOB, 5), false));
    }

    @Test
    void nothingToCompareMeansNoCheck() {
        // nothing delivered: it asks from 0, as before
        assertEquals(0, check.askAfter(history));
        assertEquals(Verdict.NONE, check.first(line(1, 1, ALICE, 1)));
        // a gap skipped up to #7 holds no message at #7: it asks from 7
        deliverFive();
        history.skipTo(7);
        assertEquals(7, check.askAfter(history));
        assertEquals(Verdict.NONE, check.first(line(8, 1, ALICE, 8)));
    }

    @Test
    void aClearedCheckIsOver() {
        deliverFive();
        check.askAfter(history);
        check.clear();
        assertEquals(Verdict.NONE, check.first(line(5, 2, BOB, 1)));
    }

    @Test
    void restartingTheHistoryTakesTheOtherNumbering() {
        deliverFive();
        history.restartAt(2);
        assertEquals(2, history.delivered());
        assertTrue(history.after(0).isEmpty());
        // the other piece's #3 follows on; alice's ids stay known as ordered
        assertEquals(1, history.accept(line(3, 2, BOB, 1)).size());
        assertTrue(history.isOrdered(ALICE.address(), 5));
    }

    // ---- what a node that went over carries -------------------------------------------------

    /** #1..#upTo of alice (ids 1..upTo), term 1: the history both pieces share. */
    private static List<ChatDeliver> common(int upTo) {
        List<ChatDeliver> out = new ArrayList<>();
        for (int seq = 1; seq <= upTo; seq++) {
            out.add(line(seq, 1, ALICE, seq));
        }
        return out;
    }

    @Test
    void aNodeThatWentOverCarriesItsPiecesLinesTheRingLacks() {
        // both pieces hold #1..#3; this node's piece then ordered alice's 4 and 5, the ring bob's 1..3
        List<ChatDeliver> mine = common(5);
        List<ChatDeliver> theirs = common(3);
        for (int i = 1; i <= 3; i++) {
            theirs.add(line(3 + i, 2, BOB, i));
        }
        RejoinCheck.Carry carry = RejoinCheck.carry(mine, theirs);
        assertEquals(3, carry.base());
        assertEquals(mine.get(2), carry.atBase());
        assertEquals(mine.subList(3, 5), carry.lines());
        assertEquals(2, carry.lacking());
    }

    @Test
    void linesTheRingHoldsUnderOtherNumbersAreNotCarried() {
        // alice's 4 went over with another member first: the ring numbered it #5, after bob's 1
        List<ChatDeliver> mine = common(4);
        List<ChatDeliver> theirs = common(3);
        theirs.add(line(4, 2, BOB, 1));
        theirs.add(line(5, 2, ALICE, 4));
        assertNull(RejoinCheck.carry(mine, theirs));
        // and a node whose piece ordered nothing since the split has nothing to carry
        assertNull(RejoinCheck.carry(common(3), theirs));
    }

    @Test
    void theRingsOlderHistoryNeedNotReachBackAsFarAsThisNodes() {
        // the leader holds #3 on only; the two agree on #3
        List<ChatDeliver> mine = common(4);
        List<ChatDeliver> theirs = new ArrayList<>(common(3).subList(2, 3));
        theirs.add(line(4, 2, BOB, 1));
        RejoinCheck.Carry carry = RejoinCheck.carry(mine, theirs);
        assertEquals(3, carry.base());
        assertEquals(List.of(mine.get(3)), carry.lines());
    }

    @Test
    void historiesThatDifferFromTheFirstAgreeOnNothingButTheStart() {
        List<ChatDeliver> mine = List.of(line(1, 1, ALICE, 1));
        List<ChatDeliver> theirs = List.of(line(1, 2, BOB, 1));
        RejoinCheck.Carry carry = RejoinCheck.carry(mine, theirs);
        assertEquals(0, carry.base());
        assertNull(carry.atBase());
        assertEquals(mine, carry.lines());
    }

    @Test
    void withNoNumberBothHoldTheAgreementIsUnknownAndNothingIsCarried() {
        // the leader's history starts past this node's last
        assertNull(RejoinCheck.carry(common(4), List.of(line(9, 2, BOB, 1))));
        // this node's history starts past the leader's last, and differs from #1 nowhere it can see
        List<ChatDeliver> late = List.of(line(7, 1, ALICE, 7));
        assertNull(RejoinCheck.carry(late, common(3)));
    }

    @Test
    void aMergeThatPlacesAfterItsBaseALineHeldBeforeItSharesNoBase() {
        // this node holds alice's 4 at #4, in the numbers of a piece whose merge it missed; the
        // next merge rewinds it to #4 and brings alice's 4 again at #7 (seed 251541)
        List<ChatDeliver> mine = common(5);
        List<ChatDeliver> entries = List.of(line(5, 3, BOB, 1), line(6, 3, BOB, 2), line(7, 3, ALICE, 4));
        assertFalse(RejoinCheck.sharesBase(mine, 4, entries));
        // at the base itself, too
        assertFalse(RejoinCheck.sharesBase(mine, 4, List.of(line(5, 3, ALICE, 4))));
    }

    @Test
    void aMergeWhoseLinesAfterItsBaseAreNewHereSharesIt() {
        List<ChatDeliver> mine = common(5);
        // the other side's lines, and this node's own after the base (shown already, not again)
        List<ChatDeliver> entries = List.of(line(4, 3, BOB, 1), line(5, 3, ALICE, 4), line(6, 3, ALICE, 5));
        assertTrue(RejoinCheck.sharesBase(mine, 3, entries));
        assertTrue(RejoinCheck.sharesBase(mine, 5, List.of()));
        assertTrue(RejoinCheck.sharesBase(List.of(), 5, entries));
    }

    @Test
    void carriedLinesStopAtAGapInThisNodesHistory() {
        List<ChatDeliver> mine = new ArrayList<>(common(4));
        mine.add(line(6, 1, ALICE, 6)); // #5 was skipped
        List<ChatDeliver> theirs = new ArrayList<>(common(3));
        theirs.add(line(4, 2, BOB, 1));
        assertEquals(List.of(mine.get(3)), RejoinCheck.carry(mine, theirs).lines());
    }
}
