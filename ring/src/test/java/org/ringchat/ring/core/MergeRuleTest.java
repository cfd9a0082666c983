package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.RingIdentity;
import org.ringchat.protocol.RingIdentity.RingId;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.MergeRule.Decision;
import org.ringchat.ring.core.MergeRule.Merged;
import org.ringchat.ring.core.MergeRule.Rename;

/** {@link MergeRule}: which piece of a split ring absorbs the other, and the merged ring's first view. */
class MergeRuleTest {

    private static final NodeAddress FOUNDER = address(5000);
    /** The ring both pieces come from. */
    private static final RingId RING = new RingId(1_700_000_000_000L, FOUNDER);

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static Member member(String name, int port, long rank) {
        return new Member(name, address(port), rank);
    }

    private static RingIdentity ring(long term, Member leader) {
        return new RingIdentity(RING, term, leader, 3);
    }

    private static void assertMirror(RingIdentity a, RingIdentity b, Decision aDoes) {
        assertEquals(aDoes, MergeRule.decide(a, b));
        Decision mirror = switch (aDoes) {
            case ABSORB -> Decision.ABSORBED;
            case ABSORBED -> Decision.ABSORB;
            default -> aDoes;
        };
        assertEquals(mirror, MergeRule.decide(b, a), "the other side decides the mirror image");
    }

    @Test
    void thePieceLedByTheMoreSeniorMemberAbsorbsTheOther() {
        // alice (rank 1) kept leading term 4; carol (rank 3) was elected on the other side, term 5
        RingIdentity alices = ring(4, member("alice", 5000, 1));
        RingIdentity carols = ring(5, member("carol", 5002, 3));
        assertMirror(alices, carols, Decision.ABSORB);
        // even when alice's side has been through more terms since (a merge raises the term)
        assertMirror(ring(9, member("alice", 5000, 1)), carols, Decision.ABSORB);
    }

    @Test
    void leadersOfEqualRankAreToldApartByTermThenAddress() {
        // both leaders joined after the split, each piece handing out rank 7 next
        Member dan = member("dan", 5007, 7);
        Member eve = member("eve", 5008, 7);
        assertMirror(ring(5, eve), ring(6, dan), Decision.ABSORB);
        // the same term too (two pieces can reach one term): the lower address absorbs
        assertMirror(ring(6, dan), ring(6, eve), Decision.ABSORB);
    }

    @Test
    void theSameRingOrAnUnrelatedOneMergesNothing() {
        Member alice = member("alice", 5000, 1);
        // the same leader at another view version: one ring, one node a little behind
        assertMirror(ring(4, alice), new RingIdentity(RING, 4, alice, 9), Decision.SAME_RING);
        // a ring started anew (someone restarted a lost member with -l): another id
        RingIdentity other = new RingIdentity(new RingId(1_700_000_500_000L, address(5002)), 1,
                member("carol", 5002, 1), 1);
        assertMirror(ring(4, alice), other, Decision.UNRELATED);
    }

    @Test
    void exactlyOnePieceAbsorbsAndBothSidesAgreeOverManyRandomPairs() {
        Random random = new Random(9);
        for (int i = 0; i < 100_000; i++) {
            RingIdentity a = randomPiece(random);
            RingIdentity b = randomPiece(random);
            Decision ab = MergeRule.decide(a, b);
            Decision ba = MergeRule.decide(b, a);
            if (a.leader().address().equals(b.leader().address())) {
                assertEquals(Decision.SAME_RING, ab);
                assertEquals(Decision.SAME_RING, ba);
                continue;
            }
            // exactly one absorbs, and it is the same one computed from either side
            assertTrue(ab == Decision.ABSORB ^ ba == Decision.ABSORB, a + " / " + b);
            assertTrue(ab == Decision.ABSORBED ^ ba == Decision.ABSORBED, a + " / " + b);
            // the decision does not depend on the view versions the two happened to hold
            RingIdentity later = new RingIdentity(a.ringId(), a.term(), a.leader(), a.version() + 17);
            assertEquals(ab, MergeRule.decide(later, b));
        }
    }

    @Test
    void manyPiecesEndInOneRingLedByTheMostSeniorLeader() {
        Random random = new Random(11);
        for (int round = 0; round < 1_000; round++) {
            List<RingIdentity> pieces = new ArrayList<>();
            for (int i = 0, n = 3 + random.nextInt(5); i < n; i++) {
                RingIdentity p = randomPiece(random);
                if (pieces.stream().noneMatch(q -> q.leader().address().equals(p.leader().address()))) {
                    pieces.add(p);
                }
            }
            // whichever pairs meet first, a piece absorbed never absorbs again, and the one left is the most senior
            List<RingIdentity> left = new ArrayList<>(pieces);
            while (left.size() > 1) {
                RingIdentity a = left.get(random.nextInt(left.size()));
                RingIdentity b = left.get(random.nextInt(left.size()));
                if (a == b) {
                    continue;
                }
                RingIdentity loser = MergeRule.decide(a, b) == Decision.ABSORB ? b : a;
                RingIdentity winner = loser == a ? b : a;
                left.remove(loser);
                // the merged ring keeps its leader and a higher term: still more senior than what it beat
                left.set(left.indexOf(winner), new RingIdentity(RING, MergeRule.mergedTerm(winner, loser),
                        winner.leader(), 1));
            }
            // one ring is left, whatever the order of meetings; when the leaders' ranks differ (the
            // usual case: they were admitted before the split) it is led by the most senior of them,
            // while a tie on rank is settled by terms, which the merges themselves raise
            RingIdentity mostSenior = pieces.stream().min(MergeRule.SENIORITY).orElseThrow();
            boolean ranksDiffer = pieces.stream().map(p -> p.leader().rank()).distinct().count() == pieces.size();
            if (ranksDiffer) {
                assertEquals(mostSenior.leader(), left.get(0).leader());
            }
        }
    }

    private static RingIdentity randomPiece(Random random) {
        int port = 5000 + random.nextInt(12);
        long rank = 1 + random.nextInt(6); // small ranges so that ties on rank and term are common
        return ring(1 + random.nextInt(4), member("m" + port, port, rank));
    }

    @Test
    void theMergedTermIsPastBothPieces() {
        assertEquals(8, MergeRule.mergedTerm(ring(4, member("alice", 5000, 1)), ring(7, member("carol", 5002, 3))));
        assertEquals(5, MergeRule.mergedTerm(ring(4, member("alice", 5000, 1)), ring(4, member("carol", 5002, 3))));
    }

    // --- the merged view

    private static final Member ALICE = member("alice", 5000, 1);
    private static final Member BOB = member("bob", 5001, 2);
    private static final Member CAROL = member("carol", 5002, 3);
    private static final Member DAVE = member("dave", 5003, 4);
    private static final Member ERIN = member("erin", 5004, 5);

    @Test
    void theAbsorbedMembersFollowInTheirOldOrderRankedAfterEveryRankIssued() {
        // alice's piece admitted frank (rank 6) after the split; carol's admitted gus, also rank 6
        Member frank = member("frank", 5005, 6);
        Member gus = member("gus", 5006, 6);
        View absorbing = new View(4, 9, ALICE.address(), List.of(ALICE, BOB, frank), 7);
        View absorbed = new View(5, 3, CAROL.address(), List.of(CAROL, DAVE, ERIN, gus), 7);
        Merged merged = MergeRule.merge(absorbing, absorbed, 6);
        View view = merged.view();
        assertEquals(6, view.term());
        assertEquals(1, view.version());
        assertEquals(ALICE.address(), view.leader());
        assertEquals(List.of("alice", "bob", "frank", "carol", "dave", "erin", "gus"),
                view.members().stream().map(Member::name).toList());
        assertEquals(List.of(1L, 2L, 6L, 7L, 8L, 9L, 10L), view.members().stream().map(Member::rank).toList());
        assertEquals(11, view.nextRank());
        // so the merged ring is led by its most senior member, as an election would choose
        assertEquals(ALICE.address(), view.members().get(0).address());
        assertEquals(List.of(), merged.renamed());
        assertEquals(List.of(), merged.alreadyMembers());
    }

    @Test
    void aNameTakenOnBothSidesIsRenamedOnTheAbsorbedSideOnly() {
        // each piece admitted a "zoe" after the split; carol's side also has a "Zoe-2" already
        Member zoeA = member("zoe", 5005, 6);
        Member zoeB = member("ZOE", 5006, 6);
        Member zoe2 = member("Zoe-2", 5007, 7);
        View absorbing = new View(4, 9, ALICE.address(), List.of(ALICE, BOB, zoeA), 7);
        View absorbed = new View(5, 3, CAROL.address(), List.of(CAROL, zoeB, zoe2), 8);
        Merged merged = MergeRule.merge(absorbing, absorbed, 6);
        // ZOE is the same name as zoe whatever the case; ZOE-2 would clash with Zoe-2, placed after it
        assertEquals(List.of("alice", "bob", "zoe", "carol", "ZOE-3", "Zoe-2"),
                merged.view().members().stream().map(Member::name).toList());
        assertEquals(1, merged.renamed().size());
        Rename rename = merged.renamed().get(0);
        assertEquals(zoeB, rename.before());
        assertEquals("ZOE-3", rename.after().name());
        assertEquals(zoeB.address(), rename.after().address());
    }

    @Test
    void aLookAlikeOrABannedNameIsRenamedToo() {
        Member carolLookalike = member("caro1", 5005, 6); // looks like carol (UTS #39)
        Member mallory = member("mallory", 5006, 7);
        View absorbing = new View(4, 9, CAROL.address(), List.of(CAROL), 8, Map.of(), List.of(), List.of("Mallory"));
        View absorbed = new View(5, 3, BOB.address(), List.of(BOB, carolLookalike, mallory), 8);
        Merged merged = MergeRule.merge(absorbing, absorbed, 6);
        assertEquals(List.of("carol", "bob", "caro1-2", "mallory-2"),
                merged.view().members().stream().map(Member::name).toList());
        assertEquals(2, merged.renamed().size());
        // the ban still means the mallory it was made for
        assertEquals(List.of("Mallory"), merged.view().banned());
    }

    @Test
    void aLongNameIsCutShortByWholeCodePointsToFitItsSuffix() {
        String long32 = "\ud835\udc00".repeat(31) + "b"; // 31 letters outside the BMP, then b: 32 code points
        Member a = member(long32, 5005, 6);
        Member b = member(long32, 5006, 6);
        View absorbing = new View(4, 9, ALICE.address(), List.of(ALICE, a), 7);
        View absorbed = new View(5, 3, CAROL.address(), List.of(CAROL, b), 7);
        String renamed = MergeRule.merge(absorbing, absorbed, 6).renamed().get(0).after().name();
        assertEquals("\ud835\udc00".repeat(30) + "-2", renamed);
        assertNull(Names.problem(renamed));
    }

    @Test
    void aNodeAlreadyInTheAbsorbingRingIsNotAddedTwice() {
        // dave was removed from carol's side, rejoined alice's, and carol's view still lists him
        Member daveAtAlices = member("dave", 5003, 6);
        View absorbing = new View(4, 9, ALICE.address(), List.of(ALICE, daveAtAlices), 7);
        View absorbed = new View(5, 3, CAROL.address(), List.of(CAROL, DAVE), 5);
        Merged merged = MergeRule.merge(absorbing, absorbed, 6);
        assertEquals(List.of(ALICE, daveAtAlices, member("carol", 5002, 7)), merged.view().members());
        assertEquals(List.of(DAVE), merged.alreadyMembers());
    }

    @Test
    void roomsAreKeptPerMember() {
        View absorbing = new View(4, 9, ALICE.address(), List.of(ALICE, BOB), 6,
                Map.of(BOB.address().toString(), "ops"), List.of(), List.of());
        View absorbed = new View(5, 3, CAROL.address(), List.of(CAROL, DAVE), 6,
                Map.of(CAROL.address().toString(), "ops", DAVE.address().toString(), "games"), List.of(), List.of());
        View view = MergeRule.merge(absorbing, absorbed, 6).view();
        // one room "ops" now: bob and carol meet there; dave stays in games
        assertEquals("ops", view.room(BOB.address()));
        assertEquals("ops", view.room(CAROL.address()));
        assertEquals("games", view.room(DAVE.address()));
        assertEquals("general", view.room(ALICE.address()));
    }

    @Test
    void eachMembersSilenceIsDecidedByTheLeaderOfItsSide() {
        // before the split alice silenced dave and erin; on carol's side carol unsilenced dave
        // and silenced the renamed bob; alice silenced zed, who has left
        Member bobB = member("bob", 5009, 6);
        View absorbing = new View(4, 9, ALICE.address(), List.of(ALICE, BOB), 6, Map.of(),
                List.of("dave", "erin", "zed"), List.of());
        View absorbed = new View(5, 3, CAROL.address(), List.of(CAROL, DAVE, ERIN, bobB), 7, Map.of(),
                List.of("erin", "bob"), List.of());
        View view = MergeRule.merge(absorbing, absorbed, 6).view();
        assertTrue(view.isSilenced("erin"));
        assertTrue(view.isSilenced("bob-2"));
        assertTrue(view.isSilenced("zed"));
        assertEquals(false, view.isSilenced("dave"));
        // alice's bob was never silenced by anyone with a say over him
        assertEquals(false, view.isSilenced("bob"));
    }

    @Test
    void bansAreUnitedButCannotShutOutAMemberOfTheAbsorbingRing() {
        View absorbing = new View(4, 9, ALICE.address(), List.of(ALICE, BOB), 6, Map.of(), List.of(),
                List.of("eve"));
        View absorbed = new View(5, 3, CAROL.address(), List.of(CAROL), 6, Map.of(), List.of(),
                List.of("mallory", "BOB", "Eve"));
        View view = MergeRule.merge(absorbing, absorbed, 6).view();
        assertEquals(List.of("eve", "mallory"), view.banned());
        assertNotEquals(true, view.isBanned("bob"));
    }
}
