package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CandidateTest {

    private static final NodeAddress A = NodeAddress.parse("10.0.0.1:5000");
    private static final NodeAddress B = NodeAddress.parse("10.0.0.2:5000");

    @Test
    void lowerRankIsBetterWhateverTheAddress() {
        // rank 1 joined before rank 2, so it is more senior
        Candidate senior = new Candidate(1, B);
        Candidate junior = new Candidate(2, A);

        assertTrue(senior.betterThan(junior));
        assertFalse(junior.betterThan(senior));
        assertTrue(senior.compareTo(junior) < 0);
    }

    @Test
    void equalRanksAreSettledByAddress() {
        // cannot happen with leader-issued ranks, but the order must still be total
        Candidate a = new Candidate(3, A);
        Candidate b = new Candidate(3, B);

        assertTrue(a.betterThan(b));
        assertFalse(b.betterThan(a));
    }

    @Test
    void noCandidateIsBetterThanItself() {
        Candidate c = new Candidate(5, A);

        assertFalse(c.betterThan(c));
        assertFalse(c.betterThan(new Candidate(5, A)));
        assertEquals(0, c.compareTo(new Candidate(5, A)));
    }

    @Test
    void memberCandidateCarriesItsRankAndAddress() {
        assertEquals(new Candidate(9, B), new Member("bob", B, 9).candidate());
    }

    @Test
    void nullAddressIsRejected() {
        assertThrows(NullPointerException.class, () -> new Candidate(1, null));
    }

    @Test
    void orderIsTotalAndConsistentWithEquals() {
        // candidates with colliding ranks and addresses, from a fixed seed
        Random random = new Random(11);
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            all.add(new Candidate(random.nextInt(6), new NodeAddress("10.0.0." + random.nextInt(3), 5000 + random.nextInt(2))));
        }

        for (Candidate x : all) {
            for (Candidate y : all) {
                int xy = Integer.signum(x.compareTo(y));

                // antisymmetric, and zero exactly when equal
                assertEquals(-xy, Integer.signum(y.compareTo(x)), x + " vs " + y);
                assertEquals(x.equals(y), xy == 0, x + " vs " + y);

                // exactly one of: x better, y better, same candidate
                int wins = (x.betterThan(y) ? 1 : 0) + (y.betterThan(x) ? 1 : 0) + (x.equals(y) ? 1 : 0);
                assertEquals(1, wins, x + " vs " + y);

                // transitive
                for (Candidate z : all) {
                    if (x.compareTo(y) < 0 && y.compareTo(z) < 0) {
                        assertTrue(x.compareTo(z) < 0, x + " < " + y + " < " + z);
                    }
                }
            }
        }
    }

    @Test
    void sortingPutsTheWinnerFirst() {
        // the election winner is the minimum: most senior rank
        List<Candidate> expected = List.of(new Candidate(1, B), new Candidate(2, A),
                new Candidate(2, B), new Candidate(7, A));
        List<Candidate> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(3));

        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
        assertEquals(new Candidate(1, B), Collections.min(shuffled));
    }
}
