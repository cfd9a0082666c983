package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ViewTest {

    private static final NodeAddress A = NodeAddress.parse("127.0.0.1:5000");
    private static final NodeAddress B = NodeAddress.parse("127.0.0.1:5001");
    private static final NodeAddress C = NodeAddress.parse("127.0.0.1:5002");

    private static View view(long term, long version, Member... members) {
        return new View(term, version, A, List.of(members), 100);
    }

    private static Member member(String name, NodeAddress address, long rank) {
        return new Member(name, address, rank);
    }

    @Test
    void membersInAscendingRankAreAcceptedInRingOrder() {
        // ranks need not be consecutive, only ascending
        View v = view(1, 1, member("a", A, 1), member("b", B, 4), member("c", C, 9));

        assertEquals(3, v.size());
        assertEquals(List.of("a", "b", "c"), v.members().stream().map(Member::name).toList());
    }

    @Test
    void emptyAndSingleMemberViewsAreAccepted() {
        assertEquals(0, view(1, 1).size());
        assertEquals(1, view(1, 1, member("a", A, 7)).size());
    }

    @Test
    void descendingRanksAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> view(1, 1, member("b", B, 2), member("a", A, 1)));

        // out of order anywhere in the list, not only at the front
        assertThrows(IllegalArgumentException.class,
                () -> view(1, 1, member("a", A, 1), member("c", C, 3), member("b", B, 2)));
    }

    @Test
    void duplicateRanksAreRejected() {
        // ranks are unique election ids
        assertThrows(IllegalArgumentException.class,
                () -> view(1, 1, member("a", A, 1), member("b", B, 1)));
    }

    @Test
    void nullLeaderOrMembersAreRejected() {
        assertThrows(NullPointerException.class, () -> new View(1, 1, null, List.of(), 1));
        assertThrows(NullPointerException.class, () -> new View(1, 1, A, null, 1));
    }

    @Test
    void memberListIsACopyThatCannotChangeAfterwards() {
        // the caller's list changes after the view was built
        List<Member> list = new ArrayList<>(List.of(member("a", A, 1)));
        View v = new View(1, 1, A, list, 2);
        list.add(member("b", B, 2));

        // the view does not, and its list cannot be modified
        assertEquals(1, v.size());
        assertThrows(UnsupportedOperationException.class, () -> v.members().add(member("c", C, 3)));
    }

    @Test
    void laterTermIsNewerWhateverTheVersion() {
        View term1 = view(1, 50);
        View term2 = view(2, 1);

        assertTrue(term2.newerThan(term1));
        assertFalse(term1.newerThan(term2));
    }

    @Test
    void withinATermTheHigherVersionIsNewer() {
        View v3 = view(4, 3);
        View v4 = view(4, 4);

        assertTrue(v4.newerThan(v3));
        assertFalse(v3.newerThan(v4));
    }

    @Test
    void sameTermAndVersionIsNotNewer() {
        // even if the content differs: (term, version) alone decides
        View one = view(2, 2, member("a", A, 1));
        View other = view(2, 2, member("b", B, 2));

        assertFalse(one.newerThan(other));
        assertFalse(other.newerThan(one));
        assertFalse(one.newerThan(one));
    }

    @Test
    void anyViewIsNewerThanNone() {
        assertTrue(view(0, 0).newerThan(null));
    }

    @Test
    void ageOrdersViewsByTermThenVersion() {
        // views issued over three terms, shuffled with a fixed seed
        List<View> issued = List.of(view(1, 1), view(1, 2), view(1, 10), view(2, 0), view(2, 5), view(3, 1));
        List<View> shuffled = new ArrayList<>(issued);
        Collections.shuffle(shuffled, new Random(7));

        // sorting by AGE gives them back in the order they were issued
        shuffled.sort(View.AGE);
        assertEquals(issued, shuffled);

        // and newerThan agrees with that order for every pair
        for (int i = 0; i < issued.size(); i++) {
            for (int j = 0; j < issued.size(); j++) {
                assertEquals(i > j, issued.get(i).newerThan(issued.get(j)), i + " vs " + j);
            }
        }
    }

    @Test
    void membersAreFoundByAddress() {
        View v = view(1, 1, member("a", A, 1), member("b", B, 2));

        assertEquals(Optional.of(member("b", B, 2)), v.member(B));
        assertTrue(v.contains(A));
        assertFalse(v.contains(C));
        assertEquals(Optional.empty(), v.member(C));
    }
}
