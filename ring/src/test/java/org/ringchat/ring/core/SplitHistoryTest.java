package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.core.SplitHistory.Outcome;

/** {@link SplitHistory}: each side of a healed split is shown the other's messages, once, in the other's order. */
class SplitHistoryTest {

    private static Member member(String name, int port, long rank) {
        return new Member(name, new NodeAddress("127.0.0.1", port), rank);
    }

    // alice's side (absorbing): alice, bob; carol's side (absorbed): carol, dave
    private static final Member ALICE = member("alice", 5000, 1);
    private static final Member BOB = member("bob", 5001, 2);
    private static final Member CAROL = member("carol", 5002, 3);
    private static final Member DAVE = member("dave", 5003, 4);

    private static ChatDeliver line(long seq, long term, Member sender, long msgId, String text) {
        return line(seq, term, sender, msgId, text, "general");
    }

    private static ChatDeliver line(long seq, long term, Member sender, long msgId, String text, String room) {
        return new ChatDeliver(seq, term, sender, msgId, text, 100 * seq + term, room, 0);
    }

    private static List<String> texts(List<ChatDeliver> messages) {
        return messages.stream().map(ChatDeliver::text).toList();
    }

    private static List<Long> seqs(List<ChatDeliver> messages) {
        return messages.stream().map(ChatDeliver::seq).toList();
    }

    /** Before the split, in term 4: messages 11 and 12. */
    private static final ChatDeliver M11 = line(11, 4, BOB, 1, "before 1");
    private static final ChatDeliver M12 = line(12, 4, CAROL, 1, "before 2");

    @Test
    void eachSideIsShownTheOthersMessagesInTheOthersOrderNumberedOnAsOne() {
        // alice's side went on in term 4; carol's side elected carol in term 5; both from 12
        List<ChatDeliver> alices = List.of(M11, M12, line(13, 4, ALICE, 1, "a1"), line(14, 4, BOB, 2, "a2"));
        List<ChatDeliver> carols = List.of(M11, M12, line(13, 5, DAVE, 1, "c1"), line(14, 5, CAROL, 2, "c2"),
                line(15, 5, DAVE, 2, "c3"));
        Outcome outcome = SplitHistory.merge(10, alices, carols);
        // they agree up to 12
        assertEquals(12, outcome.commonSeq());
        // alice's side keeps its numbers and is shown carol's side's three, numbered 15 to 17
        assertEquals(List.of("a1", "a2"), texts(outcome.absorbingOwn()));
        assertEquals(List.of("c1", "c2", "c3"), texts(outcome.appended()));
        assertEquals(List.of(15L, 16L, 17L), seqs(outcome.appended()));
        // carol's side is shown alice's side's two, with their numbers
        assertEquals(List.of("a1", "a2"), texts(outcome.showToAbsorbed()));
        assertEquals(List.of(13L, 14L, 15L, 16L, 17L), seqs(outcome.merged()));
        assertEquals(17, outcome.lastSeq());
        // a re-based message keeps who sent it, its id, its stamp and the term that ordered it
        ChatDeliver c1 = outcome.appended().get(0);
        assertEquals(DAVE, c1.sender());
        assertEquals(1, c1.msgId());
        assertEquals(1305, c1.stamp());
        assertEquals(5, c1.term());
        assertEquals(List.of(), outcome.alreadyOrdered());
    }

    @Test
    void aSideThatOrderedNothingIsShownEverythingAndShowsNothing() {
        List<ChatDeliver> alices = List.of(M11, M12, line(13, 4, ALICE, 1, "a1"), line(14, 4, BOB, 2, "a2"));
        // carol's side only elected: nothing new
        Outcome quietAbsorbed = SplitHistory.merge(10, alices, List.of(M11, M12));
        assertEquals(List.of(), quietAbsorbed.appended());
        assertEquals(List.of("a1", "a2"), texts(quietAbsorbed.showToAbsorbed()));
        assertEquals(14, quietAbsorbed.lastSeq());
        // the other way round: alice's side ordered nothing; carol's lines take 13 on
        Outcome quietAbsorbing = SplitHistory.merge(10, List.of(M11, M12),
                List.of(M11, M12, line(13, 5, DAVE, 1, "c1")));
        assertEquals(List.of(13L), seqs(quietAbsorbing.appended()));
        assertEquals(List.of(), quietAbsorbing.showToAbsorbed());
        // and neither: nothing to show, nothing to number
        Outcome none = SplitHistory.merge(12, List.of(), List.of());
        assertEquals(12, none.commonSeq());
        assertEquals(12, none.lastSeq());
    }

    @Test
    void aLiveSendersLineOrderedOnBothSidesAppearsOnce() {
        // alice ordered dave's line 1 as 13 just before the cut; dave never saw it come back and
        // submitted it again to carol, who ordered it as 13 too, then dave's 2 and 3
        ChatDeliver inFlightAtAlices = line(13, 4, DAVE, 1, "in flight");
        ChatDeliver inFlightAtCarols = line(13, 5, DAVE, 1, "in flight");
        List<ChatDeliver> alices = List.of(M11, M12, inFlightAtAlices, line(14, 4, BOB, 2, "a1"));
        List<ChatDeliver> carols = List.of(M11, M12, inFlightAtCarols, line(14, 5, DAVE, 2, "d2"),
                line(15, 5, DAVE, 3, "d3"));
        Outcome outcome = SplitHistory.merge(10, alices, carols);
        // the copies differ (term, stamp), so the pieces part at 12
        assertEquals(12, outcome.commonSeq());
        // the line keeps alice's place, 13; carol's copy is dropped
        assertEquals(List.of(inFlightAtCarols), outcome.alreadyOrdered());
        assertEquals(List.of("in flight", "a1", "d2", "d3"), texts(outcome.merged()));
        assertEquals(List.of(13L, 14L, 15L, 16L), seqs(outcome.merged()));
        // alice's side sees d2 and d3; carol's side, which showed the line already, sees a1 only
        assertEquals(List.of("d2", "d3"), texts(outcome.appended()));
        assertEquals(List.of("a1"), texts(outcome.showToAbsorbed()));
        // dave's ids still come in his order in the merged history: 1, 2, 3
        assertEquals(List.of(1L, 2L, 3L), outcome.merged().stream()
                .filter(d -> d.sender().equals(DAVE)).map(ChatDeliver::msgId).toList());
    }

    @Test
    void aLineSilencedOnOneSideOnlyIsStillOneLine() {
        // alice had silenced dave before his line reached her; carol had not
        ChatDeliver silenced = new ChatDeliver(13, 4, DAVE, 1, "", 1304, "general", 0, true);
        ChatDeliver spoken = line(13, 5, DAVE, 1, "hello");
        Outcome outcome = SplitHistory.merge(12, List.of(silenced), List.of(spoken));
        assertEquals(List.of(silenced), outcome.merged());
        assertEquals(List.of(), outcome.appended());
        assertEquals(List.of(), outcome.showToAbsorbed());
    }

    @Test
    void aRestartedSenderReusingAnIdWithAnotherTextIsTwoLines() {
        // dave restarted on alice's side and was given id 1 again, for another line
        Outcome outcome = SplitHistory.merge(12, List.of(line(13, 4, DAVE, 1, "hi again")),
                List.of(line(13, 5, DAVE, 1, "hi")));
        assertEquals(List.of("hi again", "hi"), texts(outcome.merged()));
        assertEquals(List.of("hi"), texts(outcome.appended()));
        assertEquals(List.of("hi again"), texts(outcome.showToAbsorbed()));
    }

    @Test
    void roomsKeepEachSidesOrderAndEachRoomSeesOnlyItsOwn() {
        List<ChatDeliver> alices = List.of(line(13, 4, ALICE, 1, "a-general"), line(14, 4, BOB, 1, "a-ops-1", "ops"),
                line(15, 4, BOB, 2, "a-ops-2", "ops"));
        List<ChatDeliver> carols = List.of(line(13, 5, CAROL, 1, "c-ops-1", "ops"), line(14, 5, DAVE, 1, "c-games", "games"),
                line(15, 5, CAROL, 2, "c-ops-2", "ops"));
        Outcome outcome = SplitHistory.merge(12, alices, carols);
        // bob, in ops on alice's side, is shown carol's side's two ops lines in their order
        assertEquals(List.of("c-ops-1", "c-ops-2"), texts(SplitHistory.shownIn(outcome.appended(), "ops")));
        assertEquals(List.of(), SplitHistory.shownIn(outcome.appended(), "general"));
        // carol, in ops, is shown alice's side's ops lines; dave, in games, nothing
        assertEquals(List.of("a-ops-1", "a-ops-2"), texts(SplitHistory.shownIn(outcome.showToAbsorbed(), "ops")));
        assertEquals(List.of(), SplitHistory.shownIn(outcome.showToAbsorbed(), "games"));
        // every room's messages keep their room through the re-basing
        assertEquals(List.of("ops", "games", "ops"), outcome.appended().stream().map(ChatDeliver::room).toList());
        // a silenced line is in the history but nobody shows it
        ChatDeliver silenced = new ChatDeliver(16, 5, DAVE, 2, "", 1605, "games", 0, true);
        assertEquals(List.of(), SplitHistory.shownIn(List.of(silenced), "games"));
    }

    @Test
    void theCommonPointIsFoundWhereverTheBaseLies() {
        // the leaders only know a point at or before the split: 10 here, while they part after 12
        List<ChatDeliver> alices = List.of(M11, M12, line(13, 4, ALICE, 1, "a1"));
        List<ChatDeliver> carols = List.of(M11, M12, line(13, 5, CAROL, 2, "c1"));
        assertEquals(12, SplitHistory.merge(10, alices, carols).commonSeq());
        assertEquals(12, SplitHistory.merge(11, alices.subList(1, 3), carols.subList(1, 3)).commonSeq());
        assertEquals(12, SplitHistory.merge(12, alices.subList(2, 3), carols.subList(2, 3)).commonSeq());
    }

    @Test
    void anAbsorbedHistoryStartingPastTheAbsorbingOnesEndFollowsIt() {
        // alice's side is at 14; carol's holds only 20..22 (its oldest, a newcomer's), numbered
        // after the split, with dave's line a2's twin: each side is shown the other's, once
        List<ChatDeliver> alices = List.of(M12, line(13, 4, ALICE, 1, "a1"), line(14, 4, DAVE, 1, "a2"));
        List<ChatDeliver> carols = List.of(line(20, 5, CAROL, 2, "c1"), line(21, 5, DAVE, 1, "a2"),
                line(22, 5, CAROL, 3, "c2"));
        Outcome outcome = SplitHistory.mergeParted(11, alices, carols);
        assertEquals(11, outcome.commonSeq());
        assertEquals(List.of("c1", "c2"), texts(outcome.appended()));
        assertEquals(List.of(15L, 16L), seqs(outcome.appended()));
        assertEquals(List.of("before 2", "a1"), texts(outcome.showToAbsorbed()));
        assertEquals(List.of(12L, 13L, 14L, 15L, 16L), seqs(outcome.merged()));
        assertEquals(16, outcome.lastSeq());
        assertThrows(IllegalArgumentException.class,
                () -> SplitHistory.mergeParted(11, alices, List.of(carols.get(0), carols.get(2))));
    }

    @Test
    void eachSidesMessagesMustRunOnFromTheBase() {
        assertThrows(IllegalArgumentException.class,
                () -> SplitHistory.merge(10, List.of(M12), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SplitHistory.merge(10, List.of(), List.of(M11, line(13, 5, CAROL, 2, "gap"))));
    }

    /**
     * Many random splits: a shared past, then each side's own lines, with live senders of the
     * absorbed side whose last lines before the split were ordered on the absorbing side too.
     */
    @Test
    void nothingLostNothingTwiceOverManyRandomSplits() {
        Random random = new Random(42);
        List<Member> absorbingSenders = List.of(ALICE, BOB);
        List<Member> absorbedSenders = List.of(CAROL, DAVE);
        for (int round = 0; round < 2_000; round++) {
            Map<Member, Long> nextId = new HashMap<>();
            List<ChatDeliver> shared = new ArrayList<>();
            long base = random.nextInt(5);
            long seq = base;
            for (int i = random.nextInt(4); i > 0; i--) {
                Member s = (random.nextBoolean() ? absorbingSenders : absorbedSenders).get(random.nextInt(2));
                shared.add(line(++seq, 4, s, nextId.merge(s, 1L, Long::sum), "shared"));
            }
            List<ChatDeliver> alices = new ArrayList<>(shared);
            List<ChatDeliver> carols = new ArrayList<>(shared);
            // the old leader (alice) ordered some of the absorbed side's lines just before the cut
            Map<Member, Long> carolsNext = new HashMap<>();
            long aSeq = seq;
            for (int i = random.nextInt(3); i > 0; i--) {
                Member s = absorbedSenders.get(random.nextInt(2));
                long id = nextId.merge(s, 1L, Long::sum);
                alices.add(line(++aSeq, 4, s, id, s.name() + "#" + id));
                carolsNext.putIfAbsent(s, id); // never confirmed on carol's side: submitted again there
            }
            for (int i = random.nextInt(6); i > 0; i--) {
                Member s = absorbingSenders.get(random.nextInt(2));
                long id = nextId.merge(s, 1L, Long::sum);
                alices.add(line(++aSeq, 4, s, id, s.name() + "#" + id));
            }
            long cSeq = seq;
            for (Member s : absorbedSenders) {
                carolsNext.putIfAbsent(s, nextId.getOrDefault(s, 0L) + 1);
            }
            for (int i = random.nextInt(6); i > 0; i--) {
                Member s = absorbedSenders.get(random.nextInt(2));
                long id = carolsNext.merge(s, 1L, Long::sum) - 1;
                carols.add(line(++cSeq, 5, s, id, s.name() + "#" + id));
            }
            check(SplitHistory.merge(base, alices, carols), alices, carols, seq);
        }
    }

    private static void check(Outcome outcome, List<ChatDeliver> alices, List<ChatDeliver> carols, long split) {
        List<ChatDeliver> merged = outcome.merged();
        // numbered without a gap after the common point
        for (int i = 0; i < merged.size(); i++) {
            assertEquals(outcome.commonSeq() + 1 + i, merged.get(i).seq());
        }
        assertTrue(outcome.commonSeq() >= split);
        // every line of either side is in the merged history once (sender, id)
        Set<String> both = new HashSet<>();
        alices.stream().filter(d -> d.seq() > outcome.commonSeq()).forEach(d -> both.add(key(d)));
        carols.stream().filter(d -> d.seq() > outcome.commonSeq()).forEach(d -> both.add(key(d)));
        List<String> mergedKeys = merged.stream().map(SplitHistoryTest::key).toList();
        assertEquals(both, new HashSet<>(mergedKeys));
        assertEquals(mergedKeys.size(), new HashSet<>(mergedKeys).size(), "a line twice: " + mergedKeys);
        // each side ends up having shown every merged line exactly once: its own, then what it is shown
        List<String> absorbingSaw = new ArrayList<>();
        outcome.absorbingOwn().forEach(d -> absorbingSaw.add(key(d)));
        outcome.appended().forEach(d -> absorbingSaw.add(key(d)));
        assertEquals(mergedKeys, absorbingSaw);
        List<String> absorbedSaw = new ArrayList<>();
        carols.stream().filter(d -> d.seq() > outcome.commonSeq()).forEach(d -> absorbedSaw.add(key(d)));
        outcome.showToAbsorbed().forEach(d -> absorbedSaw.add(key(d)));
        assertEquals(mergedKeys.size(), absorbedSaw.size());
        assertEquals(new HashSet<>(mergedKeys), new HashSet<>(absorbedSaw));
        // each sender's ids rise through the merged history
        Map<NodeAddress, Long> last = new HashMap<>();
        for (ChatDeliver d : merged) {
            Long before = last.put(d.sender().address(), d.msgId());
            assertTrue(before == null || before < d.msgId(), "out of order: " + mergedKeys);
        }
    }

    private static String key(ChatDeliver d) {
        return d.sender().name() + "#" + d.msgId();
    }
}
