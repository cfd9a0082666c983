package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LongSummaryStatistics;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages a failure-free Chang–Roberts election sends, against the theory. Messages travel
 * {@code i -> i+1} and a lower rank wins, so ranks ascending in the direction of travel are the
 * worst case (every candidacy runs until it wraps to rank 0: n(n+1)/2) and descending the best
 * (every candidacy but the winner's dies at the next hop: 2n-1). Prints the table quoted in
 * {@code docs/election.md}.
 */
@Timeout(20)
class ChangRobertsMessageCountTest {

    private static final int[] SIZES = {10, 50, 100, 200};
    private static final int SEEDS = 20;

    /** Every node starts before any message moves; returns the Election messages sent. */
    private static long everyNodeInitiating(long[] ranks, Random interleaving) {
        SimulatedRing ring = new SimulatedRing(ranks, interleaving);
        int n = ranks.length;
        ring.startAll();
        ring.runUntilQuiet((long) n * n + n);
        assertEquals(ring.mostSeniorLive(), ring.agreedLeader().orElseThrow());
        assertEquals(n, ring.electedSent(), "Elected goes round exactly once");
        return ring.electionsSent();
    }

    /** One node in the middle starts; returns the Election messages sent. */
    private static long oneInitiating(long[] ranks) {
        SimulatedRing ring = new SimulatedRing(ranks, null);
        int n = ranks.length;
        ring.start(n / 2);
        ring.runUntilQuiet(3L * n);
        assertEquals(ring.mostSeniorLive(), ring.agreedLeader().orElseThrow());
        assertEquals(n, ring.electedSent(), "Elected goes round exactly once");
        return ring.electionsSent();
    }

    private static double harmonic(int n) {
        double h = 0;
        for (int k = 1; k <= n; k++) {
            h += 1.0 / k;
        }
        return h;
    }

    @Test
    void electionMessageCountsMatchTheTheory() {
        StringBuilder table = new StringBuilder("""
                | n | ascending, all initiate | descending, all initiate | shuffled, all initiate: mean (min–max) of %d | n·H_n | shuffled, one initiator: mean (min–max) | worst n(n+1)/2 | best 2n−1 | Elected |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """.formatted(SEEDS));
        for (int n : SIZES) {
            long worst = (long) n * (n + 1) / 2;
            long best = 2L * n - 1;
            double average = n * harmonic(n);

            // ascending ranks along the ring reach the worst case exactly, in any delivery order
            long ascending = everyNodeInitiating(SimulatedRing.ascending(n), null);
            assertEquals(worst, ascending, "ascending n=" + n);
            assertEquals(ascending, everyNodeInitiating(SimulatedRing.ascending(n), new Random(n)));

            // descending ranks reach the best case exactly
            long descending = everyNodeInitiating(SimulatedRing.descending(n), null);
            assertEquals(best, descending, "descending n=" + n);
            assertEquals(descending, everyNodeInitiating(SimulatedRing.descending(n), new Random(n)));

            // random layouts stay within the bounds and average about n·H_n
            LongSummaryStatistics shuffled = new LongSummaryStatistics();
            LongSummaryStatistics single = new LongSummaryStatistics();
            for (long seed = 1; seed <= SEEDS; seed++) {
                long[] ranks = SimulatedRing.shuffled(n, seed);
                long all = everyNodeInitiating(ranks, new Random(seed));
                assertTrue(all >= best && all <= worst, "shuffled n=" + n + " seed=" + seed + ": " + all);
                shuffled.accept(all);
                // one initiator: up to n-1 hops to reach the winner, then n back to it
                long one = oneInitiating(ranks);
                assertTrue(one >= n && one <= best, "one initiator n=" + n + " seed=" + seed + ": " + one);
                single.accept(one);
            }
            double ratio = shuffled.getAverage() / average;
            assertTrue(ratio > 0.9 && ratio < 1.1, "shuffled mean / n·H_n = " + ratio + " for n=" + n);

            table.append("| %d | %d | %d | %.0f (%d–%d) | %.0f | %.0f (%d–%d) | %d | %d | %d |%n".formatted(
                    n, ascending, descending, shuffled.getAverage(), shuffled.getMin(), shuffled.getMax(), average,
                    single.getAverage(), single.getMin(), single.getMax(), worst, best, n));
        }
        System.out.print(table);
    }
}
