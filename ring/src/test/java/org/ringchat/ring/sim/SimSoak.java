package org.ringchat.ring.sim;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Soak mode: as many seeds as asked for, or as fit in N minutes, reporting schedules per second
 * and every failure with its replay command. From Maven:
 * {@code mvn -o -q -pl ring -am test -Dtest=SimulationTest#soak -Dsim.soak.minutes=10 -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dsim.soak.seeds=N} for a count, {@code -Dsim.soak.first=S} for the first seed), or run
 * {@code main} from the test classpath with {@code --minutes N | --seeds N [--first S]}.
 */
public final class SimSoak {

    private SimSoak() {
    }

    public static void main(String[] args) {
        long first = 1;
        long seeds = Long.MAX_VALUE / 4;
        double minutes = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--first" -> first = Long.parseLong(args[i + 1]);
                case "--seeds" -> seeds = Long.parseLong(args[i + 1]);
                case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (minutes == 0 && seeds == Long.MAX_VALUE / 4) {
            seeds = 1000;
        }
        System.exit(soak(first, seeds, minutes).isEmpty() ? 0 : 1);
    }

    /** Runs the seeds and prints a report; returns the failures. */
    static List<SimResult> soak(long first, long seeds, double minutes) {
        long start = System.nanoTime();
        long deadline = minutes > 0 ? start + (long) (minutes * 60e9) : Long.MAX_VALUE;
        long batch = 200;
        int ran = 0;
        List<SimResult> failures = new java.util.ArrayList<>();
        for (long s = first; s < first + seeds && System.nanoTime() < deadline; s += batch) {
            long n = Math.min(batch, first + seeds - s);
            List<SimResult> results = SimRunner.runUntil(s, n, deadline, seed -> Simulation.run(seed, false));
            List<SimResult> failed = results.stream().filter(r -> !r.ok()).toList();
            failures.addAll(failed);
            ran += results.size();
            for (SimResult r : failed) {
                System.out.println("FAILED " + r.summary() + "\n  replay: " + SimResult.replayCommand(r.seed()));
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("soak: seeds %d..%d, %d failed so far, %.1f schedules/s%n", first, s + n - 1,
                    failures.size(), ran / secs);
        }
        double secs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 1000.0;
        System.out.printf("soak: %d schedules in %.1f s (%.1f/s), %d failed%n", ran, secs, ran / secs, failures.size());
        return failures;
    }
}
