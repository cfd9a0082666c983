package org.ringchat.ring.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * Runs many seeds, one simulation per task on {@code availableProcessors()} threads (each
 * simulation stays on its one thread), and turns a failure into a report: the seed, its fault
 * schedule, the command that replays it, and the tail of its trace, the whole trace written to
 * {@code ring/target/sim/seed-<n>.trace}.
 */
final class SimRunner {

    static final Path TRACES = Path.of("target", "sim");

    private SimRunner() {
    }

    /** Seeds {@code first} .. {@code first + count - 1}; returns the failed results (untraced). */
    static List<SimResult> runSeeds(long first, int count, LongFunction<SimResult> run) {
        return runUntil(first, count, Long.MAX_VALUE, run).stream().filter(r -> !r.ok()).toList();
    }

    /** As many seeds as fit before {@code deadlineNanos} (System.nanoTime), at most {@code count}; returns every result. */
    static List<SimResult> runUntil(long first, long count, long deadlineNanos, LongFunction<SimResult> run) {
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<SimResult> done = new ArrayList<>();
        AtomicBoolean timeUp = new AtomicBoolean();
        try (QuietLogs quiet = new QuietLogs()) {
            List<Future<SimResult>> results = new ArrayList<>();
            for (long s = first; s < first + count; s++) {
                long seed = s;
                results.add(pool.submit(() -> {
                    if (timeUp.get() || System.nanoTime() > deadlineNanos) {
                        timeUp.set(true);
                        return null;
                    }
                    return run.apply(seed);
                }));
            }
            for (Future<SimResult> f : results) {
                SimResult r = f.get();
                if (r != null) {
                    done.add(r);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        return done;
    }

    /** Runs a failed seed again with its trace on, writes the trace, and says how to replay it. */
    static String report(long seed, LongFunction<SimResult> tracedRun) {
        SimResult r;
        try (QuietLogs quiet = new QuietLogs()) {
            r = tracedRun.apply(seed);
        }
        Path file = TRACES.resolve("seed-" + seed + ".trace");
        String where;
        try {
            r.trace().write(file);
            where = file.toAbsolutePath().toString();
        } catch (IOException e) {
            where = "(could not write " + file + ": " + e + ")";
        }
        return r.summary() + "\n  replay: " + SimResult.replayCommand(seed) + "\n  trace: " + where
                + "\n  last lines of the trace:\n" + r.trace().tail(Integer.getInteger("sim.tail", 100)) + "\n";
    }
}
