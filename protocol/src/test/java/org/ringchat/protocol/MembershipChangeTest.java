package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.Message.MembershipChange;
import org.ringchat.protocol.RingIdentity.RingId;

/** A view written as its change from the view before it: built, applied, refused. */
@Timeout(10)
class MembershipChangeTest {

    private static final NodeAddress A = NodeAddress.parse("127.0.0.1:5000");
    private static final RingId RING = new RingId(1_767_225_600_000L, A);

    private static Member member(int i) {
        return new Member("m" + i, new NodeAddress("127.0.0.1", 5000 + i), i);
    }

    /** A ring of {@code n} members led by the first, with a room and a silenced name. */
    private static View ring(int n) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(member(i));
        }
        return new View(4, 9, A, members, n, Map.of(member(2).address().toString(), "ops"), List.of("troll"),
                List.of("spammer"), RING);
    }

    /** The leader m0 crashed: its departure. */
    private static final List<Departure> LEADER_CRASHED = List.of(new Departure(member(0), Departure.Reason.CRASHED));

    /** m1's first view after m0 crashed, in term 5, as {@code CatchUp.finish} builds it. */
    private static View firstViewOfM1(View base) {
        return base.next(5, 1, member(1).address(), without(base, member(0)), base.nextRank());
    }

    private static List<Member> without(View view, Member... gone) {
        List<Member> out = new ArrayList<>(view.members());
        out.removeAll(List.of(gone));
        return out;
    }

    @Test
    void aNewLeadersFirstViewIsTheOldOneWithoutTheDeadLeaderInANewTerm() {
        View base = ring(300);
        View first = firstViewOfM1(base);

        MembershipChange change = MembershipChange.between(base, first, LEADER_CRASHED).orElseThrow();

        // it names the base, says who left and nothing joined, and makes exactly the first view
        assertEquals(List.of(4L, 9L, base.digest()), List.of(change.baseTerm(), change.baseVersion(), change.baseDigest()));
        assertEquals(LEADER_CRASHED, change.departed());
        assertEquals(List.of(), change.joined());
        assertEquals(first, change.applyTo(base).orElseThrow());
    }

    @Test
    void itIsSmallWhereTheWholeViewGrowsWithTheRing() {
        View base = ring(300);
        View first = firstViewOfM1(base);
        MembershipChange change = MembershipChange.between(base, first, LEADER_CRASHED).orElseThrow();

        int changeBytes = bytes(change);
        int wholeBytes = bytes(new Message.MembershipUpdate(first, LEADER_CRASHED));

        assertTrue(changeBytes < 400, changeBytes + " bytes");
        assertTrue(wholeBytes > 40 * changeBytes, wholeBytes + " bytes against " + changeBytes);
    }

    @Test
    void joinsAndRemovalsInOneTermAreChangesToo() {
        // a join: the newcomer after the others, the next rank one up
        View base = ring(5);
        Member newcomer = new Member("new", new NodeAddress("10.0.0.9", 6000), base.nextRank());
        List<Member> grown = new ArrayList<>(base.members());
        grown.add(newcomer);
        View joined = base.next(4, 10, A, grown, base.nextRank() + 1);
        MembershipChange join = MembershipChange.between(base, joined, List.of()).orElseThrow();
        assertEquals(List.of(newcomer), join.joined());
        assertEquals(joined, join.applyTo(base).orElseThrow());

        // a removal: the room of the member gone is forgotten, as View.next does
        List<Departure> departed = List.of(new Departure(member(2), Departure.Reason.UNRESPONSIVE));
        View smaller = joined.next(4, 11, A, without(joined, member(2)), joined.nextRank());
        MembershipChange removal = MembershipChange.between(joined, smaller, departed).orElseThrow();
        assertEquals(Map.of(), removal.applyTo(joined).orElseThrow().rooms());
        assertEquals(smaller, removal.applyTo(joined).orElseThrow());
    }

    @Test
    void aChangeThatCannotSayItAllIsNotWritten() {
        View base = ring(5);
        // rooms and moderation change nothing in the membership: the whole view goes
        assertTrue(MembershipChange.between(base, base.withRoom(member(3).address(), "dev"), List.of()).isEmpty());
        assertTrue(MembershipChange.between(base, base.withModeration(List.of(), List.of()), List.of()).isEmpty());
        // a member that left without being listed as departed
        View smaller = base.next(4, 10, A, without(base, member(4)), base.nextRank());
        assertTrue(MembershipChange.between(base, smaller, List.of()).isEmpty());
    }

    @Test
    void aMemberWhoseViewIsNotTheBaseCannotApplyIt() {
        View base = ring(5);
        View first = firstViewOfM1(base);
        MembershipChange change = MembershipChange.between(base, first, LEADER_CRASHED).orElseThrow();

        // an older view, and another piece's view of the same term and version (other members)
        View older = new View(4, 8, A, base.members(), base.nextRank(), base.rooms(), base.silenced(), base.banned(), RING);
        View otherPiece = new View(4, 9, A, without(base, member(4)), base.nextRank(), base.rooms(), base.silenced(),
                base.banned(), RING);
        assertTrue(change.applyTo(older).isEmpty());
        assertTrue(change.applyTo(otherPiece).isEmpty());
        assertTrue(change.applyTo(first).isEmpty());
    }

    @Test
    void aChangeThatWouldMakeAnInvalidViewAppliesToNothing() {
        // a "joined" member ranked below members kept: no view, not an exception
        View base = ring(5);
        MembershipChange bad = new MembershipChange(4, 9, base.digest(), 4, 10, A, 5,
                List.of(new Member("sneaky", new NodeAddress("10.0.0.9", 6000), 1)), List.of());
        assertTrue(bad.applyTo(base).isEmpty());
    }

    @Test
    void theDigestSeesEveryFieldOfTheView() {
        View base = ring(5);
        assertEquals(base.digest(), ring(5).digest());
        List<View> others = List.of(
                base.next(4, 10, A, base.members(), base.nextRank()),
                base.next(5, 9, A, base.members(), base.nextRank()),
                base.next(4, 9, member(1).address(), base.members(), base.nextRank()),
                base.next(4, 9, A, base.members(), base.nextRank() + 1),
                base.next(4, 9, A, without(base, member(3)), base.nextRank()),
                base.withRoom(member(3).address(), "dev"),
                base.withModeration(List.of("troll", "other"), base.banned()),
                base.withModeration(base.silenced(), List.of()),
                new View(4, 9, A, base.members(), base.nextRank(), base.rooms(), base.silenced(), base.banned(), null));
        for (View other : others) {
            assertNotEquals(base.digest(), other.digest(), other.toString());
        }
    }

    @Test
    void itsCountsAndListsAreBounded() {
        View base = ring(3);
        List<Departure> tooMany = new ArrayList<>();
        for (int i = 0; i <= Bounds.MAX_MEMBERS; i++) {
            tooMany.add(new Departure(member(0), Departure.Reason.LEFT));
        }
        assertThrows(IllegalArgumentException.class,
                () -> new MembershipChange(4, 9, base.digest(), 5, 1, A, 3, List.of(), tooMany));
        assertThrows(IllegalArgumentException.class,
                () -> new MembershipChange(4, 9, 0, 5, -1, A, 3, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new MembershipChange(4, Bounds.MAX_COUNTER + 1, 0, 5, 1, A, 3, List.of(), List.of()));
    }

    private static int bytes(Message m) {
        ByteBuf frame = new WireFormat(WireFormat.DEFAULT_MAX_FRAME_BYTES)
                .encode(new Envelope(A, 1, m), UnpooledByteBufAllocator.DEFAULT);
        try {
            return frame.readableBytes();
        } finally {
            frame.release();
        }
    }
}
