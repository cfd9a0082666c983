package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real node code, N nodes at a time on the simulated network, under faults drawn from a
 * seed. A failure prints its seed, its schedule, a command that replays it and the tail of its
 * trace (the whole trace goes to {@code ring/target/sim/seed-<n>.trace}).
 */
@Timeout(900)
class SimulationTest {

    /**
     * Seeds the CI sweep runs; {@code -Dsim.seeds=N} and {@code -Dsim.first=S} change them, and
     * {@code -Dsim.list=S1,S2,...} runs just those (the failures of a wider sweep, after a change).
     */
    static final int CI_SEEDS = 2000;

    /** What the CI sweep draws from; see {@link KnownFailures} for what it leaves out and why. */
    static final FaultPlan.Options CI_OPTIONS = KnownFailures.CI_OPTIONS;

    /** Failing seeds re-run with their trace on and reported in full; the rest are listed. */
    private static final int REPORTED = 3;

    @Test
    void ciSeedsKeepEveryInvariant() {
        long[] listed = Arrays.stream(System.getProperty("sim.list", "").split(","))
                .map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        long first = listed.length > 0 ? 0 : Long.getLong("sim.first", 1);
        int count = listed.length > 0 ? listed.length : Integer.getInteger("sim.seeds", CI_SEEDS);
        LongPredicate swept = listed.length > 0
                ? seed -> Arrays.stream(listed).anyMatch(l -> l == seed)
                : seed -> seed >= first && seed < first + count;
        long start = System.nanoTime();
        List<SimResult> failed = SimRunner.runSeeds(first, count,
                i -> Simulation.run(listed.length > 0 ? listed[(int) i] : i, false, CI_OPTIONS));
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("simulation: %d seeds from %s in %.1f s (%.1f schedules/s), %d failed%n",
                count, listed.length > 0 ? "a list" : String.valueOf(first), secs, count / secs, failed.size());
        List<SimResult> unexpected = new ArrayList<>();
        int known = 0;
        for (SimResult r : failed) {
            String expected = KnownFailures.CI.get(r.seed());
            if (expected != null && r.violation().startsWith(expected)) {
                known++;
            } else {
                unexpected.add(r);
            }
        }
        long fixed = KnownFailures.CI.keySet().stream()
                .filter(seed -> swept.test(seed) && failed.stream().noneMatch(r -> r.seed() == seed))
                .count();
        System.out.printf("simulation: %d known failures (bugs not fixed yet), %d listed seeds pass now%n", known, fixed);
        if (!unexpected.isEmpty()) {
            StringBuilder report = new StringBuilder(unexpected.size() + " seed(s) broke an invariant:\n");
            unexpected.forEach(r -> report.append("  ").append(r.seed()).append(": ").append(r.violation().lines()
                    .findFirst().orElse("")).append("\n    replay: ").append(SimResult.replayCommand(r.seed())).append('\n'));
            report.append("as KnownFailures lines, once diagnosed:\n");
            unexpected.forEach(r -> report.append("            ").append(r.seed()).append(" | ")
                    .append(r.violation(), 0, r.violation().indexOf(':')).append('\n'));
            for (SimResult r : unexpected.subList(0, Math.min(REPORTED, unexpected.size()))) {
                report.append('\n').append(SimRunner.report(r.seed(), seed -> Simulation.run(seed, true, CI_OPTIONS)));
            }
            System.out.println(report);
            fail(report.toString());
        }
    }

    @Test
    void aSeedGivesTheSameTraceByteForByte() throws Exception {
        try (QuietLogs quiet = new QuietLogs()) {
            for (long seed : new long[] {3, 21, 51}) {
                // the second run on another thread, while a third runs beside it
                String once = Simulation.run(seed, true).trace().text();
                CompletableFuture<String> again = CompletableFuture.supplyAsync(() -> Simulation.run(seed, true).trace().text());
                CompletableFuture<String> beside = CompletableFuture.supplyAsync(() -> Simulation.run(seed + 1, true).trace().text());
                assertEquals(once, again.get(), "seed " + seed + " ran differently the second time");
                assertTrue(once.lines().count() > 1000, "a trace tells the run step by step");
                beside.get();
            }
        }
    }

    /**
     * Every bug the simulator found keeps its seed here, run with every fault kind. While the bug
     * is not fixed, its seed still breaks the same invariant and the test is skipped (aborted),
     * saying so; once fixed it passes; any other outcome fails.
     */
    @ParameterizedTest(name = "seed {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = KnownFailures.REGRESSIONS)
    void regression(long seed, String knownViolation) {
        SimResult r;
        try (QuietLogs quiet = new QuietLogs()) {
            r = Simulation.run(seed, false);
        }
        if (!r.ok() && r.violation().startsWith(knownViolation)) {
            Assumptions.abort("known bug, not fixed yet: " + r.violation().lines().findFirst().orElse(""));
        }
        if (!r.ok()) {
            fail(SimRunner.report(seed, s -> Simulation.run(s, true)));
        }
    }

    /** Replays one seed with its trace: {@code -Dsim.seed=N}. */
    @Test
    @EnabledIfSystemProperty(named = "sim.seed", matches = "-?\\d+")
    void replay() {
        long seed = Long.getLong("sim.seed");
        String report = SimRunner.report(seed, s -> Simulation.run(s, true));
        System.out.println(report);
        SimResult r;
        try (QuietLogs quiet = new QuietLogs()) {
            r = Simulation.run(seed, false);
        }
        if (!r.ok()) {
            fail(report);
        }
    }

    /** Soak mode: {@code -Dsim.soak.minutes=N} or {@code -Dsim.soak.seeds=N}, from {@code -Dsim.first=S}. */
    @Test
    @EnabledIf("soakAsked")
    void soak() {
        double minutes = Double.parseDouble(System.getProperty("sim.soak.minutes", "0"));
        long seeds = Long.getLong("sim.soak.seeds", minutes > 0 ? Long.MAX_VALUE / 4 : 1000);
        List<SimResult> failures = SimSoak.soak(Long.getLong("sim.first", 1_000_000), seeds, minutes);
        assertTrue(failures.isEmpty(), failures.size() + " seeds failed; see the output above");
    }

    static boolean soakAsked() {
        return System.getProperty("sim.soak.minutes") != null || System.getProperty("sim.soak.seeds") != null;
    }
}
