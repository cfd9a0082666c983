package org.ringchat.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Failover timing of real {@code ringchat.jar} processes with the default timing options. Not a
 * test: a main class, run from the repository root after a build:
 *
 * <pre>
 * mvn -q -o -DskipTests package &amp;&amp; java -cp app/target/test-classes org.ringchat.app.FailoverBench --nodes 5,25 --runs 5
 * </pre>
 *
 * <p>For each ring size it starts one ring (one process per node, joining one at a time) and, for
 * each run, takes the leader out with {@code kill -9} or {@code kill -STOP}. It measures, from the
 * moment {@code kill} returned: (a) until every survivor has printed {@code * leader: X}; (b) until
 * every survivor shows a line that the most junior member typed right after the kill (its node
 * holds it until the new leader is known). After a {@code kill -9} a fresh process joins in the
 * dead one's place; after a {@code kill -STOP} the old leader gets {@code kill -CONT} and rejoins
 * by itself. Either way the ring is back to N members, all agreeing on the leader, before the
 * next run. Times are when this harness read the lines from the processes' stdout; the table's
 * last line gives the console round trip (stdin to stdout) as a bound on that reading latency.
 * With {@code --logs DIR} every node runs with {@code -v} and its diagnostics (DEBUG: every frame
 * it sends, every election step, with wall-clock times) are written to {@code DIR} at the end, and
 * the harness prints when each {@code kill} returned on the same clock: where a failover's time goes.
 * Lives in the app's test package for {@link RingProcess}.
 */
public final class FailoverBench {

    /** The answer to {@code //status}: its leader and the size of its ring. */
    static final Pattern STATUS = Pattern.compile("\\* status: .*, leader (\\S+), ring of (\\d+), .*");
    static final long WAIT_MS = 120_000;

    enum Fault {
        KILL("kill -9"), STOP("kill -STOP"), STOP_TWO("kill -STOP leader and a member");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    private final Path root;
    /** Where each process's diagnostics go, at DEBUG ({@code -v}), when {@code --logs DIR} is given; null: not kept. */
    private static Path logs;
    /** {@code -v} when {@link #logs} are kept. */
    private static String[] nodeArgs = {};
    /** The members, most senior (the leader) first. */
    private final List<RingProcess> members = new ArrayList<>();
    private final List<RingProcess> all = new ArrayList<>();
    private final List<Long> roundTrips = new ArrayList<>();
    private int started;

    private FailoverBench(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = List.of(5, 25);
        List<Fault> faults = List.of(Fault.values());
        int runs = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> sizes = Stream.of(args[i + 1].split(",")).map(Integer::valueOf).toList();
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--faults" -> faults = Stream.of(args[i + 1].split(",")).map(f -> Fault.valueOf(f.toUpperCase(Locale.ROOT))).toList();
                case "--jar" -> System.setProperty("ringchat.jar", args[i + 1]);
                case "--logs" -> {
                    logs = Files.createDirectories(Path.of(args[i + 1]));
                    nodeArgs = new String[] {"-v"};
                }
                default -> throw new IllegalArgumentException("usage: FailoverBench [--nodes 5,25] [--runs 5] "
                        + "[--faults kill,stop,stop_two] [--jar app/target/ringchat.jar] [--logs DIR]");
            }
        }
        // the processes run in directories of their own: the jar's path must not be relative
        System.setProperty("ringchat.jar",
                Path.of(System.getProperty("ringchat.jar", "app/target/ringchat.jar")).toAbsolutePath().toString());
        List<String> rows = new ArrayList<>();
        List<Long> roundTrips = new ArrayList<>();
        for (int n : sizes) {
            Path root = Files.createTempDirectory("ringchat-bench-");
            FailoverBench bench = new FailoverBench(root);
            Thread cleanup = new Thread(bench::destroyAll);
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                bench.startRing(n);
                for (Fault fault : faults) {
                    rows.add(bench.measure(n, fault, runs));
                }
                roundTrips.addAll(bench.roundTrips);
            } finally {
                bench.destroyAll();
                Runtime.getRuntime().removeShutdownHook(cleanup);
                deleteTree(root);
            }
        }
        System.out.println();
        System.out.println("| nodes | fault | runs | every survivor names the new leader, ms | line typed right after the fault shown by every survivor, ms |");
        System.out.println("|---:|---|---:|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("median (min–max), from `kill` returning to the harness reading the last survivor's line. "
                + "Console round trip (`//status` on stdin to its answer on stdout), a bound on the reading latency: "
                + summary(roundTrips, 1) + " ms (" + roundTrips.size() + " samples).");
    }

    // ---- the ring ---------------------------------------------------------------------------

    private void startRing(int n) {
        RingProcess first = RingProcess.leader(root, name(), RingProcess.freePort(), nodeArgs);
        track(first);
        awaitLine(first, 0, l -> l.startsWith("* started a new ring"), "start");
        while (members.size() < n) {
            join(members.get(members.size() - 1));
        }
        settle();
        log("ring of %d up; leader %s", n, members.get(0));
    }

    /** Starts a new process joining through {@code via}; it becomes the most junior member. */
    private void join(RingProcess via) {
        RingProcess p = RingProcess.joiner(root, name(), RingProcess.freePort(), via.port(), nodeArgs);
        track(p);
        awaitLine(p, 0, l -> l.startsWith("* joined the ring"), "join");
    }

    private String name() {
        return "n" + (++started);
    }

    private void track(RingProcess p) {
        members.add(p);
        all.add(p);
    }

    /** Waits until every member answers {@code //status} with a ring of all of them and the same leader, members.get(0). */
    private void settle() {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            Map<RingProcess, String> leaders = new HashMap<>();
            boolean agreed = true;
            for (RingProcess p : members) {
                Matcher m = askStatus(p);
                agreed &= Integer.parseInt(m.group(2)) == members.size() && !m.group(1).equals("none");
                leaders.put(p, agreed ? m.group(1) : "?");
            }
            if (agreed && leaders.values().stream().distinct().count() == 1
                    && leaders.values().iterator().next().equals(members.get(0).display())) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the ring did not settle: " + leaders);
            }
            pause(100);
        }
    }

    private Matcher askStatus(RingProcess p) {
        int from = p.stdout().size();
        long asked = System.nanoTime();
        p.sendLine("//status");
        long answered = awaitLine(p, from, l -> STATUS.matcher(l).matches(), "//status");
        roundTrips.add(TimeUnit.NANOSECONDS.toMicros(answered - asked));
        String line = p.stdout().subList(from, p.stdout().size()).stream()
                .filter(l -> STATUS.matcher(l).matches()).findFirst().orElseThrow();
        Matcher m = STATUS.matcher(line);
        m.matches();
        return m;
    }

    // ---- one configuration ------------------------------------------------------------------

    private String measure(int n, Fault fault, int runs) {
        List<Long> leaderUs = new ArrayList<>();
        List<Long> lineUs = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            long[] times = failover(fault, "probe " + fault.name().toLowerCase(Locale.ROOT) + " " + run);
            leaderUs.add(times[0]);
            lineUs.add(times[1]);
            log("%d nodes, %s, run %d: leader known by all after %.1f ms, line shown by all after %.1f ms",
                    n, fault.label, run, times[0] / 1000.0, times[1] / 1000.0);
        }
        return "| " + n + " | " + fault.label + " | " + runs + " | " + summary(leaderUs, 0) + " | " + summary(lineUs, 0) + " |";
    }

    /**
     * One run; returns {µs until every survivor named the new leader, µs until every survivor
     * showed the line}. With {@link Fault#STOP_TWO} the member halfway round the ring stops with
     * the leader (in a ring of 5, the leader's next's next).
     */
    private long[] failover(Fault fault, String text) {
        RingProcess leader = members.get(0);
        RingProcess other = fault == Fault.STOP_TWO ? members.get(members.size() / 2) : null;
        RingProcess successor = members.get(other == members.get(1) ? 2 : 1);
        RingProcess typist = members.get(members.size() - 1);
        List<RingProcess> survivors = new ArrayList<>(members.subList(1, members.size()));
        survivors.remove(other);
        Map<RingProcess, Integer> from = new HashMap<>();
        survivors.forEach(p -> from.put(p, p.stdout().size()));
        int leaderFrom = leader.stdout().size();
        int otherFrom = other == null ? 0 : other.stdout().size();

        leader.signal(fault == Fault.KILL ? "KILL" : "STOP");
        if (other != null) {
            other.signal("STOP");
        }
        long t0 = System.nanoTime();
        typist.sendLine(text);
        if (logs != null) {
            log("%s of %s returned at %s (wall clock, as in the nodes' logs)", fault.label, leader,
                    java.time.LocalTime.now().minusNanos(System.nanoTime() - t0));
        }

        long leaderKnown = 0;
        long lineShown = 0;
        for (RingProcess p : survivors) {
            leaderKnown = Math.max(leaderKnown, awaitLine(p, from.get(p), l -> l.startsWith("* leader: "), "new leader"));
            lineShown = Math.max(lineShown, awaitLine(p, from.get(p), l -> l.startsWith("> ") && l.endsWith("]: " + text), text));
        }
        for (RingProcess p : survivors) {
            String named = p.stdout().subList(from.get(p), p.stdout().size()).stream()
                    .filter(l -> l.startsWith("* leader: ")).findFirst().orElseThrow();
            if (!named.startsWith("* leader: " + successor.display() + " ")) {
                throw new IllegalStateException(p + " names " + named + ", not the most senior survivor " + successor);
            }
        }

        members.remove(leader);
        if (fault == Fault.KILL) {
            leader.waitFor(java.time.Duration.ofSeconds(10));
            join(successor);
        } else {
            leader.signal("CONT");
            awaitLine(leader, leaderFrom, l -> l.startsWith("* rejoined the ring"), "rejoin");
            members.add(leader);
            if (other != null) {
                other.signal("CONT");
                awaitLine(other, otherFrom, l -> l.startsWith("* rejoined the ring"), "rejoin");
                members.remove(other);
                members.add(other);
            }
        }
        settle();
        pause(1000); // let the rejoin's connections and heartbeats settle before the next fault
        return new long[] {micros(leaderKnown - t0), micros(lineShown - t0)};
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Polls until {@code p} has printed a matching line from index {@code from} on; when the harness read it. */
    private long awaitLine(RingProcess p, int from, java.util.function.Predicate<String> line, String what) {
        long[] at = new long[1];
        awaitTrue(() -> {
            OptionalLong t = p.readAt(from, line);
            t.ifPresent(v -> at[0] = v);
            if (t.isEmpty() && !p.isAlive()) {
                throw new IllegalStateException(p + " exited before its " + what + " line\n" + p.describe());
            }
            return t.isPresent();
        }, () -> "no " + what + " line from " + p + "\n" + p.describe());
        return at[0];
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> failure) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(failure.get());
            }
            pause(2); // polling only: the times measured are the reader threads' own timestamps
        }
    }

    /** {@code median (min–max)} in milliseconds of values in microseconds, with {@code decimals} places. */
    static String summary(List<Long> micros, int decimals) {
        if (micros.isEmpty()) {
            return "-";
        }
        List<Long> sorted = micros.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median / 1000, sorted.get(0) / 1000.0,
                sorted.get(n - 1) / 1000.0);
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }

    private void destroyAll() {
        for (RingProcess p : all) {
            if (p.isAlive()) {
                try {
                    p.signal("CONT"); // a stopped process still holds its port until it runs again
                } catch (RuntimeException e) {
                    // gone meanwhile
                }
            }
            p.destroy();
        }
        if (logs != null) {
            for (RingProcess p : all) {
                try {
                    Files.write(logs.resolve(p.toString().replaceAll("[^A-Za-z0-9.-]", "_") + ".log"), p.stderr());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
