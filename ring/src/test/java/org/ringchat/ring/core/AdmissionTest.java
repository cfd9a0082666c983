package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.JoinRequest;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.Admission.Admit;
import org.ringchat.ring.core.Admission.Handover;
import org.ringchat.ring.core.Admission.Readmit;
import org.ringchat.ring.core.Admission.Reject;

/** {@link Admission}: the leader's decision on a join, the history a joiner gets, and held joins. */
class AdmissionTest {

    private static final int MAX_FRAME = 64 * 1024;

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final Member ALICE = new Member("alice", address(5001), 1);
    private static final Member BOB = new Member("bob", address(5002), 2);
    private static final Member CAROL = new Member("carol", address(5005), 5);
    private static final NodeAddress DAVE = address(5006);
    private static final NodeAddress STRANGER = address(5999);

    /** Term 3, seven views issued; ranks 3 and 4 were given to members that left since, so the next is 6. */
    private static final View VIEW = new View(3, 7, ALICE.address(), List.of(ALICE, BOB, CAROL), 6);

    private final Admission admission = new Admission(name -> name.matches("[A-Za-z0-9_.-]{1,32}"), 2);

    private static JoinRequest firstJoin(String name, NodeAddress joiner) {
        return new JoinRequest(name, joiner, -1);
    }

    /** Ordered messages 1..count from bob, as the leader delivered them. */
    private static History historyOf(int count, int limit) {
        History history = new History(limit);
        for (int seq = 1; seq <= count; seq++) {
            history.accept(deliver(seq, "line " + seq));
        }
        return history;
    }

    private static ChatDeliver deliver(long seq, String text) {
        return new ChatDeliver(seq, 3, BOB, seq, text, 100 + seq);
    }

    private static List<ChatDeliver> delivers(long from, long to) {
        List<ChatDeliver> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            out.add(deliver(seq, "line " + seq));
        }
        return out;
    }

    // ---- the decision ----

    @Test
    void badNamesAreRefusedWithTheNameInTheReason() {
        // a space, a name too long: the predicate says no, and the joiner hears which name (an
        // empty one does not even make a request: the wire refuses it)
        assertEquals(new Reject("bad name 'dave smith'"), admission.decide(firstJoin("dave smith", DAVE), VIEW));
        String tooLong = "d".repeat(33);
        assertEquals(new Reject("bad name '" + tooLong + "'"), admission.decide(firstJoin(tooLong, DAVE), VIEW));
    }

    @Test
    void aNameTakenWhateverItsCaseIsRefusedWithWhoHasIt() {
        // "BOB" clashes with bob: the joiner is told who holds the name, and where
        assertEquals(new Reject("the name 'BOB' is taken by bob(127.0.0.1:5002)"),
                admission.decide(firstJoin("BOB", DAVE), VIEW));
        // the leader's own name is taken too
        assertEquals(new Reject("the name 'Alice' is taken by alice(127.0.0.1:5001)"),
                admission.decide(firstJoin("Alice", DAVE), VIEW));
    }

    @Test
    void aNewcomerGetsTheNextRankAndThePlaceAtTheEndOfTheRing() {
        Admission.Decision decision = admission.decide(firstJoin("dave", DAVE), VIEW);
        // rank 6 (ranks 3 and 4 are never reused), after the most junior member; same term, next version
        Member dave = new Member("dave", DAVE, 6);
        View next = new View(3, 8, ALICE.address(), List.of(ALICE, BOB, CAROL, dave), 7);
        assertEquals(new Admit(dave, next, List.of()), decision);
    }

    @Test
    void theNextJoinerGetsTheRankAfterThat() {
        // the view the first admission made is the one the second is decided on
        Admit first = (Admit) admission.decide(firstJoin("dave", DAVE), VIEW);
        Admit second = (Admit) admission.decide(firstJoin("erin", address(5007)), first.view());
        assertEquals(new Member("erin", address(5007), 7), second.joiner());
        assertEquals(9, second.view().version());
        assertEquals(8, second.view().nextRank());
        assertEquals(List.of(ALICE, BOB, CAROL, first.joiner(), second.joiner()), second.view().members());
    }

    @Test
    void aJoinerAtAnAddressAlreadyInTheRingReplacesTheOldIncarnation() {
        // bob's process restarted under another name: the old bob leaves (REPLACED), the new one goes to the end
        Admission.Decision decision = admission.decide(new JoinRequest("robert", BOB.address(), 12), VIEW);
        Member robert = new Member("robert", BOB.address(), 6);
        View next = new View(3, 8, ALICE.address(), List.of(ALICE, CAROL, robert), 7);
        assertEquals(new Admit(robert, next, List.of(new Departure(BOB, Departure.Reason.REPLACED))), decision);
    }

    @Test
    void aRepeatedRequestFromAMemberReadmitsItAndLeavesTheRingAsItIs() {
        // bob's request reached the leader twice (passed on by two members, or sent again after a
        // timeout): deciding it again must not give bob a second rank, which his node would never learn
        assertEquals(new Readmit(BOB), admission.decide(firstJoin("bob", BOB.address()), VIEW));
        assertEquals(new Readmit(BOB), admission.decide(new JoinRequest("bob", BOB.address(), 12), VIEW));
    }

    @Test
    void theOldIncarnationsNameIsNotTakenFromItsSuccessor() {
        // the same name, in another case, from the same address: its own old name is no clash
        Admission.Decision decision = admission.decide(firstJoin("Bob", BOB.address()), VIEW);
        Member newBob = new Member("Bob", BOB.address(), 6);
        assertEquals(new Admit(newBob, new View(3, 8, ALICE.address(), List.of(ALICE, CAROL, newBob), 7),
                List.of(new Departure(BOB, Departure.Reason.REPLACED))), decision);
    }

    @Test
    void aReplacementUnderSomeoneElsesNameIsRefused() {
        // from bob's address, but carol's name: the name check still applies
        assertEquals(new Reject("the name 'CAROL' is taken by carol(127.0.0.1:5005)"),
                admission.decide(firstJoin("CAROL", BOB.address()), VIEW));
    }

    // ---- the handover ----

    @Test
    void aNewcomerGetsTheRecentTailAndNoReplay() {
        History history = historyOf(10, 100);
        // joinHistory 4: the last four messages travel in the JoinAccepted
        Handover handover = Admission.handover(firstJoin("dave", DAVE), history, new FrameBudget(MAX_FRAME), 4);
        assertEquals(new Handover(delivers(7, 10), List.of()), handover);
    }

    @Test
    void aNewcomersTailIsCutToWhatFitsOneFrame() {
        // ten long messages: each is estimated at 512 + 6 * (2000 + 3) bytes, so two fit half a 64 KiB frame
        History history = new History(100);
        List<ChatDeliver> all = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            ChatDeliver d = deliver(seq, "x".repeat(2000));
            all.add(d);
            history.accept(d);
        }
        Handover handover = Admission.handover(firstJoin("dave", DAVE), history, new FrameBudget(MAX_FRAME), 8);
        // the newest two, not the oldest two; nothing is replayed to a newcomer
        assertEquals(new Handover(all.subList(8, 10), List.of()), handover);
    }

    @Test
    void aNodeBackAfterARemovalIsReplayedEverythingAfterItsLastDelivery() {
        History history = historyOf(10, 100);
        // it last delivered #6: #7..#10 follow, one frame each; nothing in the answer (no gap)
        Handover handover = Admission.handover(new JoinRequest("bob", BOB.address(), 6), history,
                new FrameBudget(MAX_FRAME), 2);
        assertEquals(new Handover(List.of(), delivers(7, 10)), handover);
    }

    @Test
    void aNodeBackAfterARemovalHearsWhereTheHistoryStartsWhenThereIsAGap() {
        // the leader keeps five messages (#6..#10); the returning node last delivered #2
        History history = historyOf(10, 5);
        Handover handover = Admission.handover(new JoinRequest("bob", BOB.address(), 2), history,
                new FrameBudget(MAX_FRAME), 2);
        // #6 in the answer tells it #3..#5 are gone; #7..#10 follow
        assertEquals(new Handover(delivers(6, 6), delivers(7, 10)), handover);
    }

    @Test
    void aNodeBackAfterARemovalThatMissedNothingGetsNothing() {
        History history = historyOf(10, 100);
        assertEquals(new Handover(List.of(), List.of()), Admission.handover(new JoinRequest("bob", BOB.address(), 10),
                history, new FrameBudget(MAX_FRAME), 4));
    }

    @Test
    void aNodeBackThatHadDeliveredNothingGetsTheWholeHistoryReplayed() {
        // afterSeq 0 is a rejoin, not a first join: everything from #1, no gap
        History history = historyOf(3, 100);
        assertEquals(new Handover(List.of(), delivers(1, 3)), Admission.handover(new JoinRequest("bob", BOB.address(), 0),
                history, new FrameBudget(MAX_FRAME), 1));
    }

    // ---- joins held while there is no leader ----

    @Test
    void joinsDuringAnElectionAreHeldAndReleasedInArrivalOrder() {
        JoinRequest dave = firstJoin("dave", DAVE);
        JoinRequest erin = firstJoin("erin", address(5007));
        // an election runs: both are held
        assertTrue(admission.hold(dave));
        assertTrue(admission.hold(erin));
        // a leader is known: they go on, oldest first, and are no longer held
        assertEquals(List.of(dave, erin), admission.release());
        assertEquals(List.of(), admission.release());
    }

    @Test
    void heldJoinsAreBounded() {
        JoinRequest dave = firstJoin("dave", DAVE);
        JoinRequest erin = firstJoin("erin", address(5007));
        JoinRequest frank = firstJoin("frank", address(5008));
        assertTrue(admission.hold(dave));
        assertTrue(admission.hold(erin));
        // the third is refused (the caller tells the joiner to try again); the held ones are kept
        assertFalse(admission.hold(frank));
        assertEquals(List.of(dave, erin), admission.release());
        // released, there is room again
        assertTrue(admission.hold(frank));
        assertEquals(List.of(frank), admission.release());
    }

    // ---- who may ask ----

    @Test
    void theJoinerItselfAMemberOrThisNodeMayAskButNoStranger() {
        JoinRequest dave = firstJoin("dave", DAVE);
        NodeAddress self = ALICE.address();
        // the joiner itself
        assertTrue(Admission.mayAsk(DAVE, dave, VIEW, self));
        // a member forwarding it
        assertTrue(Admission.mayAsk(CAROL.address(), dave, VIEW, self));
        // this node (releasing what it held)
        assertTrue(Admission.mayAsk(self, dave, VIEW, self));
        // somebody else, asking on dave's behalf
        assertFalse(Admission.mayAsk(STRANGER, dave, VIEW, self));
    }

    @Test
    void outsideARingOnlyTheJoinerOrThisNodeMayAsk() {
        JoinRequest dave = firstJoin("dave", DAVE);
        NodeAddress self = ALICE.address();
        // no view: nobody counts as a member
        assertTrue(Admission.mayAsk(DAVE, dave, null, self));
        assertTrue(Admission.mayAsk(self, dave, null, self));
        assertFalse(Admission.mayAsk(CAROL.address(), dave, null, self));
    }
}
