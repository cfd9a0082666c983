package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
