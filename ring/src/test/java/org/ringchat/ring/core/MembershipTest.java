package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.Membership.Repair;

/** {@link Membership}: a node's neighbours in the leader's view, with the members it found dead routed around. */
class MembershipTest {

    private static NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    private static final Member ALICE = new Member("alice", address(5001), 1);
    private static final Member BOB = new Member("bob", address(5002), 2);
    private static final Member CAROL = new Member("carol", address(5003), 3);
    private static final Member DAVE = new Member("dave", address(5004), 4);
    private static final Member ERIN = new Member("erin", address(5005), 5);
    private static final NodeAddress A = ALICE.address();
    private static final NodeAddress B = BOB.address();
    private static final NodeAddress C = CAROL.address();
    private static final NodeAddress D = DAVE.address();
    private static final NodeAddress E = ERIN.address();
    private static final NodeAddress STRANGER = address(5999);

    /** Five members in ring order, alice leading. */
    private static final View VIEW = new View(2, 4, A, List.of(ALICE, BOB, CAROL, DAVE, ERIN), 6);

    private static Membership at(NodeAddress self) {
        return new Membership(self, VIEW);
    }

    // ---- spare links ----

    @Test
    void theDeputyAndEveryMemberKeepSparesToEachOther() {
        // bob, the most senior member but the leader, would win an election: it keeps spares to
        // every member but the leader, and every member one to it; the leader keeps none
        assertEquals(List.of(C, D, E), at(B).spares());
        assertEquals(List.of(B), at(C).spares());
        assertEquals(List.of(B), at(E).spares());
        assertEquals(List.of(), at(A).spares());
    }

    @Test
    void sparesSkipMembersRoutedAround() {
        // dave found bob dead: carol is the deputy as dave sees it, and dave keeps its spare there
        Membership dave = at(D);
        dave.routeAround(B);
        assertEquals(List.of(C), dave.spares());
        // bob found dave dead: no spare to it
        Membership bob = at(B);
        bob.routeAround(D);
        assertEquals(List.of(C, E), bob.spares());
        // a ring of the leader and one member: the deputy has nobody to keep a spare to
        assertEquals(List.of(), new Membership(B, new View(1, 2, A, List.of(ALICE, BOB), 3)).spares());
    }

    // ---- neighbours ----

    @Test
    void onlyTheNextMayBeTheNext() {
        Membership carol = at(C);
        assertTrue(carol.mayBeNext(D, A));
        assertFalse(carol.mayBeNext(E, A), "dave lies between carol and erin");
        assertFalse(carol.mayBeNext(B, A), "bob is carol's previous, not its next");
        assertFalse(carol.mayBeNext(STRANGER, A), "not a member");
    }

    @Test
    void theNextMaySkipTheLostMemberAndThoseRoutedAround() {
        // dave is the leader the sender lost: erin may be carol's next now
        assertTrue(at(C).mayBeNext(E, D));
        // alice lost erin; carol routed around dave itself: carol's next, as alice sees it, is carol
        Membership carol = at(C);
        carol.routeAround(D);
        assertTrue(carol.mayBeNext(A, E));
        assertFalse(carol.mayBeNext(B, E), "routing around goes one way");
        // alone: a node is its own next once it routed around every other
        Membership alone = at(A);
        for (NodeAddress a : List.of(B, C, D, E)) {
            alone.routeAround(a);
        }
        assertTrue(alone.mayBeNext(A, B));
    }

    @Test
    void nextAndPreviousFollowRingOrderAndWrap() {
        // in the middle
        assertEquals(D, at(C).next());
        assertEquals(B, at(C).previous());
        // the last member's next is the first
        assertEquals(A, at(E).next());
        assertEquals(D, at(E).previous());
        // the first member's previous is the last
        assertEquals(B, at(A).next());
        assertEquals(E, at(A).previous());
    }

    @Test
    void neighboursSkipMembersRoutedAroundAndWrap() {
        Membership erin = at(E);
        // alice and bob dead: erin's next wraps past both to carol
        erin.routeAround(A);
        erin.routeAround(B);
        assertEquals(C, erin.next());
        assertEquals(D, erin.previous());
        // dave dead too: carol is both next and previous
        erin.routeAround(D);
        assertEquals(C, erin.next());
        assertEquals(C, erin.previous());
    }

    @Test
    void aNodeAloneIsItsOwnNeighbour() {
        Member me = new Member("solo", A, 1);
        Membership solo = new Membership(A, new View(1, 1, A, List.of(me), 2));
        assertEquals(A, solo.next());
        assertEquals(A, solo.previous());
        assertEquals(List.of(), solo.others());
        assertEquals(Set.of(), solo.watched());
    }

    @Test
    void aNodeNotInTheViewHasOnlyItself() {
        Membership outsider = new Membership(STRANGER, VIEW);
        assertEquals(STRANGER, outsider.next());
        assertEquals(STRANGER, outsider.previous());
        assertFalse(outsider.contains(STRANGER));
    }

    // ---- routing around ----

    @Test
    void aMemberHeardFromAfterAllTakesItsPlaceAgain() {
        Membership carol = at(C);
        carol.routeAround(D);
        // dave was only slow: carol hears from him and he is her next again
        assertEquals(new Repair(true, true, false), carol.restore(D));
        assertEquals(D, carol.next());
        assertTrue(carol.isReachable(D));
        // restoring someone never routed around changes nothing
        assertEquals(Repair.NONE, carol.restore(D));
        assertEquals(Repair.NONE, carol.restore(A));
    }

    @Test
    void routingAroundTheNextSaysTheNextChanged() {
        Membership carol = at(C);
        // dave is carol's next: he is skipped, erin is next now
        assertEquals(new Repair(true, true, false), carol.routeAround(D));
        assertEquals(E, carol.next());
        // then erin: the next wraps to alice
        assertEquals(new Repair(true, true, false), carol.routeAround(E));
        assertEquals(A, carol.next());
    }

    @Test
    void routingAroundThePreviousSaysThePreviousChanged() {
        Membership carol = at(C);
        Repair repair = carol.routeAround(B);
        assertEquals(new Repair(true, false, true), repair);
        assertTrue(repair.neighboursChanged());
        assertEquals(A, carol.previous());
    }

    @Test
    void routingAroundAMemberFurtherAwayIsNewsButNoNeighbourChange() {
        Membership carol = at(C);
        Repair repair = carol.routeAround(A);
        assertEquals(new Repair(true, false, false), repair);
        assertFalse(repair.neighboursChanged());
        assertFalse(carol.isReachable(A));
        assertEquals(List.of(BOB, CAROL, DAVE, ERIN), carol.live());
    }

    @Test
    void routingAroundTheLastOtherMemberLeavesTheNodeAlone() {
        Membership bob = new Membership(B, new View(2, 1, A, List.of(ALICE, BOB), 3));
        // alice was both next and previous
        assertEquals(new Repair(true, true, true), bob.routeAround(A));
        assertEquals(B, bob.next());
        assertEquals(B, bob.previous());
    }

    @Test
    void selfStrangersAndRepeatsChangeNothing() {
        Membership carol = at(C);
        // carol does not route around herself
        assertEquals(Repair.NONE, carol.routeAround(C));
        assertTrue(carol.isReachable(C));
        // nor around someone not in the view
        assertEquals(Repair.NONE, carol.routeAround(STRANGER));
        // dave once is news; dave again is not
        assertEquals(new Repair(true, true, false), carol.routeAround(D));
        assertEquals(Repair.NONE, carol.routeAround(D));
        assertFalse(Repair.NONE.neighboursChanged());
        assertEquals(E, carol.next());
    }

    @Test
    void adoptingAViewClearsWhatWasRoutedAround() {
        Membership carol = at(C);
        carol.routeAround(D);
        carol.routeAround(A);
        // the leader's next view settles it: everyone is in after all
        View next = new View(2, 5, A, VIEW.members(), 6);
        carol.adopt(next);
        assertEquals(next, carol.view());
        assertTrue(carol.isReachable(D));
        assertTrue(carol.isReachable(A));
        assertEquals(D, carol.next());
        assertEquals(VIEW.members(), carol.live());
    }

    @Test
    void aDeadMemberRemovedByTheLeaderIsGoneFromTheAdoptedView() {
        Membership carol = at(C);
        carol.routeAround(D);
        // the leader removed dave
        carol.adopt(new View(2, 5, A, List.of(ALICE, BOB, CAROL, ERIN), 6));
        assertEquals(E, carol.next());
        assertFalse(carol.contains(D));
        assertEquals(Optional.empty(), carol.member(D));
        assertEquals(Optional.of(ERIN), carol.member(E));
        // routing around a member no longer in the view is no news
        assertEquals(Repair.NONE, carol.routeAround(D));
    }

    // ---- who is watched ----

    @Test
    void theLeaderWatchesEveryLiveMember() {
        Membership alice = at(A);
        assertTrue(alice.isLeader());
        assertEquals(Set.of(B, C, D, E), alice.watched());
        // dave routed around: no longer watched
        alice.routeAround(D);
        assertEquals(Set.of(B, C, E), alice.watched());
    }

    @Test
    void aMemberWatchesItsNeighboursAndTheLeader() {
        Membership carol = at(C);
        assertFalse(carol.isLeader());
        assertEquals(Set.of(B, D, A), carol.watched());
        // next to the leader: the leader is also its previous
        assertEquals(Set.of(A, C), at(B).watched());
    }

    @Test
    void anUnreachableLeaderIsNotWatched() {
        Membership carol = at(C);
        carol.routeAround(A);
        assertEquals(Set.of(B, D), carol.watched());
        // bob, whose previous was the leader, watches its new previous instead
        Membership bob = at(B);
        bob.routeAround(A);
        assertEquals(Set.of(C, E), bob.watched());
    }

    @Test
    void neighboursMovePastDeadOnesInWatched() {
        Membership carol = at(C);
        carol.routeAround(D);
        carol.routeAround(B);
        assertEquals(Set.of(A, E), carol.watched());
    }

    // ---- others and live ----

    @Test
    void othersAreTheLiveMembersButSelfInRingOrder() {
        Membership carol = at(C);
        assertEquals(List.of(A, B, D, E), carol.others());
        assertEquals(VIEW.members(), carol.live());
        carol.routeAround(B);
        carol.routeAround(E);
        assertEquals(List.of(A, D), carol.others());
        assertEquals(List.of(ALICE, CAROL, DAVE), carol.live());
    }

    @Test
    void knowsItselfAndTheMembersOfTheView() {
        Membership carol = at(C);
        assertEquals(C, carol.self());
        assertEquals(VIEW, carol.view());
        assertTrue(carol.contains(A));
        assertFalse(carol.contains(STRANGER));
        assertEquals(Optional.of(DAVE), carol.member(D));
    }
}
