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

    private final Admission admission = new Admission(2);

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
    void badNamesAreRefusedWithTheNameAndWhatIsWrongInTheReason() {
        // a symbol, a combining mark with no letter: the joiner hears which name, why, and the rule
        // (a space, an empty or a long name does not even make a request: the wire refuses it)
        assertEquals(new Reject("bad name 'dave!': it contains '!' (U+0021); use 1-32 letters, digits, '_', '-' or '.'"),
                admission.decide(firstJoin("dave!", DAVE), VIEW));
        assertEquals(new Reject("bad name '\u0301dave': it contains a combining mark with no letter before it (U+0301);"
                + " use 1-32 letters, digits, '_', '-' or '.'"), admission.decide(firstJoin("\u0301dave", DAVE), VIEW));
    }

    @Test
    void aNameThatLooksLikeAMembersIsRefusedWithWhoseItLooksLike() {
        // "bоb" with a Cyrillic о looks like bob
        assertEquals(new Reject("the name 'b\u043eb' looks like the name of bob(127.0.0.1:5002)"),
                admission.decide(firstJoin("b\u043eb", DAVE), VIEW));
        // in capitals, with a Greek Α: like alice whatever the case
        assertEquals(new Reject("the name '\u0391LICE' looks like the name of alice(127.0.0.1:5001)"),
                admission.decide(firstJoin("\u0391LICE", DAVE), VIEW));
        // "caro1" with a digit one
        assertEquals(new Reject("the name 'caro1' looks like the name of carol(127.0.0.1:5005)"),
                admission.decide(firstJoin("caro1", DAVE), VIEW));
    }

    @Test
    void aNameIsFreeAgainOnceItsMemberLeft() {
        assertTrue(admission.decide(firstJoin("BOB", DAVE), VIEW) instanceof Reject);
        // bob left: the same admission (which keeps the members' keys) lets BOB in
        View withoutBob = new View(3, 8, ALICE.address(), List.of(ALICE, CAROL), 6);
        assertEquals(new Member("BOB", DAVE, 6), ((Admit) admission.decide(firstJoin("BOB", DAVE), withoutBob)).joiner());
    }

    @Test
    void aNameTakenInAnotherScriptsCaseIsTaken() {
        // Unicode case folding, not ASCII: ΣΟΦΙΑ is σοφια (final sigma too), STRASSE is straße
        View greek = new View(3, 7, ALICE.address(), List.of(ALICE, new Member("\u03c3\u03bf\u03c6\u03b9\u03b1", address(5003), 2),
                new Member("stra\u00dfe", address(5004), 3)), 6);
        assertEquals(new Reject("the name '\u03a3\u039f\u03a6\u0399\u0391' is taken by \u03c3\u03bf\u03c6\u03b9\u03b1(127.0.0.1:5003)"),
                admission.decide(firstJoin("\u03a3\u039f\u03a6\u0399\u0391", DAVE), greek));
        assertEquals(new Reject("the name 'STRASSE' is taken by stra\u00dfe(127.0.0.1:5004)"),
                admission.decide(firstJoin("STRASSE", DAVE), greek));
    }

    @Test
    void namesInAnyScriptThatLookLikeNoMemberGetIn() {
        for (String name : List.of("\u0437\u043e\u044f", "\u674e\u96f7", "\u0939\u093f\u0928\u094d\u0926\u0940", "jos\u00e9", "bob2", "carol_")) {
            Admission.Decision decision = admission.decide(firstJoin(name, DAVE), VIEW);
            assertTrue(decision instanceof Admit, name + ": " + decision);
        }
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
        Handover handover = Admission.handover(firstJoin("dave", DAVE), history, history.delivered(),
                new FrameBudget(MAX_FRAME), 4);
        assertEquals(new Handover(delivers(7, 10), List.of()), handover);
    }

    @Test
    void aNewcomerGetsTheLeadersUnshownOrderingsAsMessagesOfTheirOwn() {
        History history = historyOf(10, 100);
        // the leader showed up to #8; #9 and #10 wait for a member's acknowledgement: the
        // newcomer gets them as deliveries, and acknowledges them, rather than as its past
        Handover handover = Admission.handover(firstJoin("dave", DAVE), history, 8, new FrameBudget(MAX_FRAME), 4);
        assertEquals(new Handover(delivers(5, 8), delivers(9, 10)), handover);
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
        Handover handover = Admission.handover(firstJoin("dave", DAVE), history, history.delivered(),
                new FrameBudget(MAX_FRAME), 8);
        // the newest two, not the oldest two; nothing is replayed to a newcomer
        assertEquals(new Handover(all.subList(8, 10), List.of()), handover);
    }

    @Test
    void aNodeBackAfterARemovalIsReplayedEverythingAfterItsLastDelivery() {
        History history = historyOf(10, 100);
        // it last delivered #6: #7..#10 follow, one frame each; nothing in the answer (no gap)
        Handover handover = Admission.handover(new JoinRequest("bob", BOB.address(), 6), history, history.delivered(),
                new FrameBudget(MAX_FRAME), 2);
        assertEquals(new Handover(List.of(), delivers(7, 10)), handover);
    }

    @Test
    void aNodeBackAfterARemovalHearsWhereTheHistoryStartsWhenThereIsAGap() {
        // the leader keeps five messages (#6..#10); the returning node last delivered #2
        History history = historyOf(10, 5);
        Handover handover = Admission.handover(new JoinRequest("bob", BOB.address(), 2), history, history.delivered(),
                new FrameBudget(MAX_FRAME), 2);
        // #6 in the answer tells it #3..#5 are gone; #7..#10 follow
        assertEquals(new Handover(delivers(6, 6), delivers(7, 10)), handover);
    }

    @Test
    void aNodeBackAfterARemovalThatMissedNothingGetsItsLastMessageToCompare() {
        History history = historyOf(10, 100);
        // it last delivered #10 and asks after #9, to compare #10 with its own (RejoinCheck)
        assertEquals(new Handover(List.of(), delivers(10, 10)), Admission.handover(new JoinRequest("bob", BOB.address(), 9),
                history, history.delivered(), new FrameBudget(MAX_FRAME), 4));
    }

    @Test
    void aNodeBackFurtherThanTheLeadersHistoryHearsTheLeadersLastMessage() {
        // the leader's ring ordered up to #5; the returning node holds #10 (its piece ordered
        // #6..#10 there), and asks after #9. Nothing after #9 here, but an empty answer would
        // leave the node unsure until the leader's next ordering: #5 tells it at once that this
        // ring lacks its lines, so it carries them before submitting new ones (seed 743)
        History history = historyOf(5, 100);
        assertEquals(new Handover(delivers(5, 5), List.of()), Admission.handover(new JoinRequest("bob", BOB.address(), 9),
                history, history.delivered(), new FrameBudget(MAX_FRAME), 4));
        // and so when the leader holds the position before the node's last (#10 lacking)
        assertEquals(new Handover(delivers(5, 5), List.of()), Admission.handover(new JoinRequest("bob", BOB.address(), 5),
                history, history.delivered(), new FrameBudget(MAX_FRAME), 4));
    }

    @Test
    void aNodeBackToAnEmptyHistoryGetsNothing() {
        assertEquals(new Handover(List.of(), List.of()), Admission.handover(new JoinRequest("bob", BOB.address(), 9),
                new History(100), 0, new FrameBudget(MAX_FRAME), 4));
    }

    @Test
    void aNodeBackThatHadDeliveredNothingGetsTheWholeHistoryReplayed() {
        // afterSeq 0 is a rejoin, not a first join: everything from #1, no gap
        History history = historyOf(3, 100);
        assertEquals(new Handover(List.of(), delivers(1, 3)), Admission.handover(new JoinRequest("bob", BOB.address(), 0),
                history, history.delivered(), new FrameBudget(MAX_FRAME), 1));
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
