package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message.ChatSubmit;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.core.Sequencer.Phase;
import org.ringchat.ring.core.Sequencer.Submission;

/**
 * {@link Sequencer}: what the leader orders next. The caller passes each sender's last ordered id,
 * as its history knows it; here the test keeps that number itself.
 */
class SequencerTest {

    private static final int MAX_AHEAD = 8;
    private static final int MAX_HELD = 4;

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final NodeAddress ALICE = address(5001);
    private static final NodeAddress BOB = address(5002);
    private static final NodeAddress CAROL = address(5003);

    private final Sequencer sequencer = new Sequencer(MAX_AHEAD, MAX_HELD);

    private static ChatSubmit submit(long msgId) {
        return new ChatSubmit(msgId, "line " + msgId);
    }

    /** A sequencer that orders (a leader past its catch-up). */
    private Sequencer ordering() {
        sequencer.open();
        return sequencer;
    }

    @Test
    void aSendersEarliestWaitingLineCanBeLetThroughWithTheOnesAfterIt() {
        Sequencer s = ordering();
        // bob's line 4 came first to a new leader that ordered his 1 last: 2 and 3 may follow
        // (resubmitted after a lost connection, seed 505519) or never come (ordered elsewhere)
        assertEquals(List.of(), s.offer(BOB, submit(4), 1));
        assertEquals(List.of(), s.offer(BOB, submit(6), 1));
        assertEquals(submit(4), s.firstEarly(BOB));
        assertEquals(null, s.firstEarly(ALICE));
        assertEquals(MAX_AHEAD, s.maxAhead());
        // they never came: the leader lets 4 through, as if 3 were ordered; 6 still waits for 5
        assertEquals(List.of(submit(4)), s.offer(BOB, s.firstEarly(BOB), 3));
        assertEquals(submit(6), s.firstEarly(BOB));
        assertEquals(List.of(submit(5), submit(6)), s.offer(BOB, submit(5), 4));
        assertEquals(null, s.firstEarly(BOB));
    }

    @Test
    void aNewSequencerHoldsEverythingUntilOpenedAndThenGivesItBackInArrivalOrder() {
        assertEquals(Phase.HOLDING, sequencer.phase());
        // the leader is still catching up: nothing is ordered
        assertEquals(List.of(), sequencer.offer(BOB, submit(1), 0));
        assertEquals(List.of(), sequencer.offer(ALICE, submit(1), 0));
        assertEquals(List.of(), sequencer.offer(BOB, submit(2), 0));
        assertEquals(3, sequencer.heldCount());
        // it may order now: the held submissions come back as they arrived, to be offered again
        assertEquals(List.of(new Submission(BOB, submit(1)), new Submission(ALICE, submit(1)), new Submission(BOB, submit(2))),
                sequencer.open());
        assertEquals(Phase.ORDERING, sequencer.phase());
        assertEquals(0, sequencer.heldCount());
        // opened again, there is nothing left
        assertEquals(List.of(), sequencer.open());
    }

    @Test
    void holdingKeepsDuplicatesAndEarlyOnesAlikeForTheirTurnAfterOpening() {
        // while holding, ids are not looked at
        sequencer.offer(BOB, submit(3), 5);
        sequencer.offer(BOB, submit(9), 5);
        assertEquals(List.of(new Submission(BOB, submit(3)), new Submission(BOB, submit(9))), sequencer.open());
        // offered again, #3 is a duplicate and #9 waits for #6..#8
        assertEquals(List.of(), sequencer.offer(BOB, submit(3), 5));
        assertEquals(List.of(), sequencer.offer(BOB, submit(9), 5));
        assertEquals(1, sequencer.earlyCount());
    }

    @Test
    void aSubmissionInTurnIsOrderedAtOnce() {
        ordering();
        assertEquals(List.of(submit(1)), sequencer.offer(BOB, submit(1), 0));
        assertEquals(List.of(submit(2)), sequencer.offer(BOB, submit(2), 1));
        // alice's ids are her own
        assertEquals(List.of(submit(1)), sequencer.offer(ALICE, submit(1), 0));
    }

    @Test
    void aSubmissionAlreadyOrderedGivesNothing() {
        ordering();
        // bob submits #4 and #5 again to a new leader that ordered up to #5 from him already
        assertEquals(List.of(), sequencer.offer(BOB, submit(4), 5));
        assertEquals(List.of(), sequencer.offer(BOB, submit(5), 5));
        assertEquals(0, sequencer.earlyCount());
        // #6 is new
        assertEquals(List.of(submit(6)), sequencer.offer(BOB, submit(6), 5));
    }

    @Test
    void earlySubmissionWaitsForItsTurnInsteadOfBeingDropped() {
        ordering();
        // #2 was lost with a dropped connection; #3 and #4 arrive
        assertEquals(List.of(), sequencer.offer(BOB, submit(3), 1));
        assertEquals(List.of(), sequencer.offer(BOB, submit(4), 1));
        assertEquals(2, sequencer.earlyCount());
        // bob submits #2 again: it goes, and lets #3 and #4 through behind it
        assertEquals(List.of(submit(2), submit(3), submit(4)), sequencer.offer(BOB, submit(2), 1));
        assertEquals(0, sequencer.earlyCount());
    }

    @Test
    void aGapFurtherOnKeepsItsSuccessorsWaiting() {
        ordering();
        // #3, #4 and #6 arrive early; #2 and #5 are missing
        sequencer.offer(BOB, submit(6), 1);
        sequencer.offer(BOB, submit(4), 1);
        sequencer.offer(BOB, submit(3), 1);
        // #2 lets #3 and #4 through, not #6
        assertEquals(List.of(submit(2), submit(3), submit(4)), sequencer.offer(BOB, submit(2), 1));
        assertEquals(1, sequencer.earlyCount());
        // #5, the missing one, arrives last: #6 follows it
        assertEquals(List.of(submit(5), submit(6)), sequencer.offer(BOB, submit(5), 4));
        assertEquals(0, sequencer.earlyCount());
    }

    @Test
    void anotherSendersSubmissionReleasesNothingOfBobs() {
        ordering();
        sequencer.offer(BOB, submit(2), 0);
        // alice's #1 is hers alone
        assertEquals(List.of(submit(1)), sequencer.offer(ALICE, submit(1), 0));
        assertEquals(1, sequencer.earlyCount());
        assertEquals(List.of(submit(1), submit(2)), sequencer.offer(BOB, submit(1), 0));
    }

    @Test
    void earlyOnesOrderedMeanwhileAreNotOrderedTwice() {
        ordering();
        // #3 waits for #2
        sequencer.offer(BOB, submit(3), 1);
        // the catch-up ordered #2 and #3 from elsewhere; bob's #4 comes in turn
        assertEquals(List.of(submit(4)), sequencer.offer(BOB, submit(4), 3));
        // the waiting #3 is forgotten, not ordered again later
        assertEquals(0, sequencer.earlyCount());
        assertEquals(List.of(submit(5)), sequencer.offer(BOB, submit(5), 4));
    }

    @Test
    void aRepeatedEarlySubmissionWaitsOnce() {
        ordering();
        sequencer.offer(BOB, submit(3), 1);
        sequencer.offer(BOB, submit(3), 1);
        assertEquals(1, sequencer.earlyCount());
        assertEquals(List.of(submit(2), submit(3)), sequencer.offer(BOB, submit(2), 1));
    }

    @Test
    void idsBeyondMaxAheadAreDropped() {
        ordering();
        // next is #1; #8 is as far ahead as an honest sender with a window of 8 gets: it waits
        assertEquals(List.of(), sequencer.offer(BOB, submit(MAX_AHEAD), 0));
        // #9 is further: dropped
        assertEquals(List.of(), sequencer.offer(BOB, submit(MAX_AHEAD + 1), 0));
        assertEquals(1, sequencer.earlyCount());
        // #1..#7 in turn: #7 lets #8 through, and #9 is not there
        for (long id = 1; id < MAX_AHEAD - 1; id++) {
            assertEquals(List.of(submit(id)), sequencer.offer(BOB, submit(id), id - 1));
        }
        assertEquals(List.of(submit(MAX_AHEAD - 1), submit(MAX_AHEAD)),
                sequencer.offer(BOB, submit(MAX_AHEAD - 1), MAX_AHEAD - 2));
        assertEquals(0, sequencer.earlyCount());
        // submitted again in its turn, #9 goes
        assertEquals(List.of(submit(MAX_AHEAD + 1)), sequencer.offer(BOB, submit(MAX_AHEAD + 1), MAX_AHEAD));
    }

    @Test
    void heldSubmissionsAreBoundedPerSender() {
        // five submissions from bob while holding, room for four of his
        for (long id = 1; id <= 5; id++) {
            assertEquals(List.of(), sequencer.offer(BOB, submit(id), 0));
        }
        assertEquals(MAX_HELD, sequencer.heldCount());
        // bob's flood takes no room from carol
        assertEquals(List.of(), sequencer.offer(CAROL, submit(1), 0));
        // the first four of bob's come back, then carol's; bob's #5 was dropped
        assertEquals(List.of(new Submission(BOB, submit(1)), new Submission(BOB, submit(2)),
                new Submission(BOB, submit(3)), new Submission(BOB, submit(4)), new Submission(CAROL, submit(1))),
                sequencer.open());
        // holding again, bob has room for four anew
        sequencer.hold();
        for (long id = 5; id <= 8; id++) {
            sequencer.offer(BOB, submit(id), 4);
        }
        assertEquals(MAX_HELD, sequencer.heldCount());
    }

    @Test
    void earlySubmissionsOfSendersNoLongerInTheRingAreForgotten() {
        ordering();
        sequencer.offer(BOB, submit(3), 1);
        sequencer.offer(CAROL, submit(5), 2);
        // bob left the ring
        sequencer.retain(List.of(CAROL));
        assertEquals(1, sequencer.earlyCount());
        assertEquals(List.of(submit(3)), sequencer.offer(CAROL, submit(3), 2));
        assertEquals(List.of(submit(2)), sequencer.offer(BOB, submit(2), 1));
    }

    @Test
    void holdingAgainKeepsWhatWaitsForItsTurn() {
        ordering();
        // #3 waits for #2
        sequencer.offer(BOB, submit(3), 1);
        // the leader goes on probation; #2 arrives and is held
        sequencer.hold();
        assertEquals(Phase.HOLDING, sequencer.phase());
        assertEquals(List.of(), sequencer.offer(BOB, submit(2), 1));
        // confirmed: #2 is offered again and #3 follows it
        List<Submission> held = sequencer.open();
        assertEquals(List.of(new Submission(BOB, submit(2))), held);
        assertEquals(List.of(submit(2), submit(3)), sequencer.offer(BOB, submit(2), 1));
    }

    @Test
    void resetForgetsWhatIsHeldAndWhatWaits() {
        ordering();
        sequencer.offer(BOB, submit(3), 1);
        sequencer.hold();
        sequencer.offer(ALICE, submit(1), 0);
        // no longer the leader
        sequencer.reset();
        assertEquals(Phase.HOLDING, sequencer.phase());
        assertEquals(0, sequencer.heldCount());
        assertEquals(0, sequencer.earlyCount());
        // leading again later: nothing comes back, and bob's #2 lets nothing through behind it
        assertEquals(List.of(), sequencer.open());
        assertEquals(List.of(submit(2)), sequencer.offer(BOB, submit(2), 1));
    }

    @Test
    void forgetDropsOnlyTheLeaversEarlySubmissions() {
        ordering();
        sequencer.offer(BOB, submit(3), 1);
        sequencer.offer(BOB, submit(4), 1);
        sequencer.offer(ALICE, submit(5), 3);
        // bob left the ring
        sequencer.forget(BOB);
        assertEquals(1, sequencer.earlyCount());
        // alice's wait is untouched
        assertEquals(List.of(submit(4), submit(5)), sequencer.offer(ALICE, submit(4), 3));
        // forgetting someone with nothing waiting changes nothing
        sequencer.forget(BOB);
        assertEquals(0, sequencer.earlyCount());
    }
}
