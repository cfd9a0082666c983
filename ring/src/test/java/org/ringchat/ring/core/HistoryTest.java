package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.NodeAddress;

/** {@link History}: exactly once and in order, the history kept, and what a member remembers of each sender. */
class HistoryTest {

    private static final Member ALICE = new Member("alice", new NodeAddress("127.0.0.1", 5001), 1);
    private static final Member BOB = new Member("bob", new NodeAddress("127.0.0.1", 5002), 2);
    private static final Member CAROL = new Member("carol", new NodeAddress("127.0.0.1", 5003), 3);

    private final History history = new History(100);

    /** Message {@code seq} of the ring's order, bob's message {@code seq}. */
    private static ChatDeliver d(long seq) {
        return d(seq, BOB, seq);
    }

    private static ChatDeliver d(long seq, Member sender, long msgId) {
        return new ChatDeliver(seq, 1, sender, msgId, sender.name() + " #" + msgId, 10 * seq);
    }

    private static List<ChatDeliver> ds(long from, long to) {
        List<ChatDeliver> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            out.add(d(seq));
        }
        return out;
    }

    private void acceptAll(long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            history.accept(d(seq));
        }
    }

    // ---- delivery ----

    @Test
    void holdsTermTellsWhetherAHeldMessageWasOrderedInThatTerm() {
        acceptAll(1, 2); // term 1
        history.accept(new ChatDeliver(3, 4, CAROL, 1, "carol #1", 30)); // a leader's own, term 4
        history.accept(new ChatDeliver(4, 4, ALICE, 1, "alice #1", 40));
        assertTrue(history.holdsTerm(1));
        assertTrue(history.holdsTerm(4));
        assertFalse(history.holdsTerm(2));
        history.rewindTo(2); // a merge's rewind forgets #3 and #4
        assertFalse(history.holdsTerm(4));
        assertTrue(history.holdsTerm(1));
    }

    @Test
    void droppedWaitingMessagesAreNotLetThroughByAnotherNumberingOfTheGap() {
        acceptAll(1, 2);
        history.accept(d(4)); // the lost leader's #4 waits for #3
        history.dropWaiting(); // a new leader catches up from #2
        assertEquals(0, history.waiting());
        ChatDeliver own = d(3, CAROL, 1); // the new leader numbers #3 itself
        assertEquals(List.of(own), history.accept(own));
        assertEquals(3, history.delivered());
        assertEquals(-1, history.firstWaiting());
    }

    @Test
    void messagesAreDeliveredOnceInOrder() {
        assertEquals(0, history.delivered());
        assertEquals(List.of(d(1)), history.accept(d(1)));
        assertEquals(List.of(d(2)), history.accept(d(2)));
        // both again (a resend): dropped
        assertEquals(List.of(), history.accept(d(1)));
        assertEquals(List.of(), history.accept(d(2)));
        assertEquals(2, history.delivered());
        assertEquals(ds(1, 2), history.after(0));
    }

    @Test
    void aGapHoldsBackWhatFollowsUntilTheMissingMessageArrivesLast() {
        history.accept(d(1));
        // #3 and #4 arrive before #2
        assertEquals(List.of(), history.accept(d(3)));
        assertEquals(List.of(), history.accept(d(4)));
        assertEquals(2, history.waiting());
        assertEquals(3, history.firstWaiting());
        assertEquals(1, history.delivered());
        // #2 arrives last: the whole run is delivered, in order
        assertEquals(ds(2, 4), history.accept(d(2)));
        assertEquals(0, history.waiting());
        assertEquals(-1, history.firstWaiting());
        assertEquals(4, history.delivered());
    }

    @Test
    void aRunStopsAtTheNextGap() {
        history.accept(d(1));
        history.accept(d(3));
        history.accept(d(5));
        // #2 lets #3 through; #5 still waits for #4
        assertEquals(ds(2, 3), history.accept(d(2)));
        assertEquals(5, history.firstWaiting());
        assertEquals(ds(4, 5), history.accept(d(4)));
    }

    @Test
    void anEarlyDuplicateIsDroppedAndTheFirstCopyKept() {
        history.accept(d(1));
        ChatDeliver first = d(3);
        // another #3 (say from a resend in a later term, with another stamp)
        ChatDeliver second = new ChatDeliver(3, 2, CAROL, 1, "other", 999);
        assertEquals(List.of(), history.accept(first));
        assertEquals(List.of(), history.accept(second));
        assertEquals(1, history.waiting());
        assertEquals(List.of(d(2), first), history.accept(d(2)));
    }

    @Test
    void theHighestMessageIdOfEverySenderIsRemembered() {
        history.accept(d(1, BOB, 1));
        history.accept(d(2, ALICE, 1));
        history.accept(d(3, BOB, 2));
        assertEquals(2, history.lastMsgId(BOB.address()));
        assertEquals(1, history.lastMsgId(ALICE.address()));
        // carol has sent nothing
        assertEquals(0, history.lastMsgId(CAROL.address()));
        assertTrue(history.isOrdered(BOB.address(), 2));
        assertTrue(history.isOrdered(BOB.address(), 1));
        assertFalse(history.isOrdered(BOB.address(), 3));
        // a message waiting behind a gap is not ordered yet, as far as this member knows
        history.accept(d(5, CAROL, 1));
        assertEquals(0, history.lastMsgId(CAROL.address()));
    }

    // ---- a joiner's start ----

    @Test
    void startFromCountsTheLeadersHistoryAsDelivered() {
        // a newcomer inherits #5..#7 from the leader
        history.startFrom(ds(5, 7));
        assertEquals(7, history.delivered());
        assertEquals(ds(5, 7), history.after(0));
        assertEquals(5, history.oldestHeld());
        assertEquals(7, history.lastMsgId(BOB.address()));
        // #7 again is a duplicate; #8 is next
        assertEquals(List.of(), history.accept(d(7)));
        assertEquals(List.of(d(8)), history.accept(d(8)));
    }

    @Test
    void startFromKeepsOnlyWhatIsNewerThanWhatWasDelivered() {
        history.startFrom(ds(1, 3));
        // an overlapping list: only #4 is new
        history.startFrom(ds(2, 4));
        assertEquals(ds(1, 4), history.after(0));
    }

    @Test
    void startFromDropsWaitingMessagesItCovers() {
        // #3 came early
        history.accept(d(3));
        history.startFrom(ds(1, 4));
        assertEquals(0, history.waiting());
        assertEquals(ds(1, 4), history.after(0));
    }

    @Test
    void aWaitingMessageRightAfterTheInheritedHistoryIsNotStuck() {
        // #3 came early
        history.accept(d(3));
        // the inherited history ends at #2: #3 is next in line and comes out at once
        List<ChatDeliver> out = new ArrayList<>(history.startFrom(ds(1, 2)));
        // #4 arrives, and #3 is sent again (the member asks for its stuck gap): a duplicate now
        out.addAll(history.accept(d(4)));
        out.addAll(history.accept(d(3)));
        // #3 and #4 are delivered once each, in order
        assertEquals(ds(3, 4), out);
        assertEquals(4, history.delivered());
    }

    // ---- gaps nobody can fill, and rewinding ----

    @Test
    void skipToMovesPastAGapAndDeliversWhatWaitedBehindIt() {
        history.accept(d(1));
        history.accept(d(4));
        history.accept(d(5));
        history.accept(d(7));
        // #2 and #3 are lost for good
        assertEquals(ds(4, 5), history.skipTo(3));
        assertEquals(5, history.delivered());
        // #7 still waits for #6
        assertEquals(7, history.firstWaiting());
        assertEquals(List.of(d(1), d(4), d(5)), history.after(0));
    }

    @Test
    void skipToAPointAlreadyPassedDoesNothing() {
        acceptAll(1, 5);
        history.accept(d(7));
        assertEquals(List.of(), history.skipTo(5));
        assertEquals(List.of(), history.skipTo(2));
        assertEquals(5, history.delivered());
        assertEquals(7, history.firstWaiting());
    }

    @Test
    void skipToGivesUpOnTheWaitingMessagesUpToThePointSkippedTo() {
        history.accept(d(3));
        history.accept(d(5));
        // skipping to #3 counts #3 as skipped too; #5 still waits for #4
        assertEquals(List.of(), history.skipTo(3));
        assertEquals(3, history.delivered());
        assertEquals(1, history.waiting());
        assertEquals(List.of(), history.after(0));
    }

    @Test
    void rewindToForgetsLaterMessagesAndTheirSendersIds() {
        // bob #1, #2, #3, alice #1, bob #4 at seq 1..5
        history.accept(d(1, BOB, 1));
        history.accept(d(2, BOB, 2));
        history.accept(d(3, BOB, 3));
        history.accept(d(4, ALICE, 1));
        history.accept(d(5, BOB, 4));
        history.accept(d(7, CAROL, 1));
        // #3..#5 were ordered here but never shown: the ring numbered others since
        history.rewindTo(2);
        assertEquals(2, history.delivered());
        assertEquals(List.of(d(1, BOB, 1), d(2, BOB, 2)), history.after(0));
        // bob's #3 and #4 and alice's #1 are not ordered any more; the waiting #7 is gone too
        assertEquals(2, history.lastMsgId(BOB.address()));
        assertEquals(0, history.lastMsgId(ALICE.address()));
        assertFalse(history.isOrdered(ALICE.address(), 1));
        assertEquals(0, history.waiting());
        // the ring's #3 is another message: it is delivered
        ChatDeliver other = d(3, CAROL, 1);
        assertEquals(List.of(other), history.accept(other));
    }

    @Test
    void rewindToAPointNotYetReachedDropsOnlyWaitingMessages() {
        acceptAll(1, 3);
        history.accept(d(5));
        history.rewindTo(10);
        assertEquals(3, history.delivered());
        assertEquals(ds(1, 3), history.after(0));
        assertEquals(0, history.waiting());
    }

    // ---- reading the history ----

    @Test
    void afterAndTailReadTheHistoryOldestFirst() {
        acceptAll(1, 10);
        assertEquals(ds(8, 10), history.after(7));
        assertEquals(List.of(), history.after(10));
        assertEquals(ds(1, 10), history.after(0));
        assertEquals(ds(8, 10), history.tail(3));
        // asking for more than there is gives all there is
        assertEquals(ds(1, 10), history.tail(20));
        assertEquals(List.of(), history.tail(0));
    }

    @Test
    void theHistoryKeepsOnlyTheNewestMessagesUpToItsLimit() {
        History small = new History(3);
        for (long seq = 1; seq <= 5; seq++) {
            small.accept(d(seq));
        }
        assertEquals(ds(3, 5), small.after(0));
        assertEquals(ds(3, 5), small.tail(5));
        assertEquals(3, small.oldestHeld());
        // the ids it no longer holds are still known as ordered
        assertEquals(5, small.lastMsgId(BOB.address()));
    }

    @Test
    void anEmptyHistoryHoldsFromTheNextMessage() {
        assertEquals(1, history.oldestHeld());
        assertEquals(List.of(), history.tail(5));
        history.skipTo(4);
        assertEquals(5, history.oldestHeld());
    }

    @Test
    void theLimitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new History(0));
    }

    // ---- lost messages ----

    @Test
    void aGapIsStuckOnlyWhenTheSameGapIsStillOpenAtTheNextCall() {
        // no gap: never stuck
        assertFalse(history.gapStuck());
        history.accept(d(1));
        assertFalse(history.gapStuck());
        // #3 waits: the first look finds it merely late
        history.accept(d(3));
        assertFalse(history.gapStuck());
        // still open a heartbeat later: lost, ask for it
        assertTrue(history.gapStuck());
        // and asked for again while it stays open
        assertTrue(history.gapStuck());
        // filled: not stuck
        history.accept(d(2));
        assertFalse(history.gapStuck());
    }

    @Test
    void aNewGapIsNotStuckAtFirstSight() {
        history.accept(d(1));
        history.accept(d(3));
        assertFalse(history.gapStuck());
        // #2 fills it and #5 opens another before the next look: a new gap, merely late
        history.accept(d(2));
        history.accept(d(5));
        assertFalse(history.gapStuck());
        assertTrue(history.gapStuck());
    }

    @Test
    void aGapThatNarrowsButStillLacksAMessageSeenBeforeIsStuck() {
        history.accept(d(1));
        // #4 waits for #2 and #3
        history.accept(d(4));
        assertFalse(history.gapStuck());
        // #2 comes, #3 does not: #3 was already lacking at the last look
        history.accept(d(2));
        assertTrue(history.gapStuck());
    }
}
