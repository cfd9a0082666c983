package org.ringchat.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the workloads {@code ringchat bench} was asked for and hands each result over as soon as
 * it is known. The API workloads share one ring (in worker processes or in this JVM), which the
 * join workload then shrinks by one and grows again; the failover workloads run on the ring of
 * worker processes (a signal needs a process), the API workloads' one with {@code --processes};
 * pipe starts rings of the real program in pipe mode; scale starts a ring of its own in this JVM.
 */
final class Bench {

    /** The workloads, in the order they run. */
    static final List<String> WORKLOADS = List.of("one-sender", "all-senders", "paced", "join", "pipe",
            "failover-kill", "failover-stop", "scale");
    /** What runs when {@code --workloads} is not given: all but {@code scale}, which takes minutes at its sizes. */
    static final List<String> DEFAULT_WORKLOADS = WORKLOADS.subList(0, WORKLOADS.size() - 1);

    /**
     * How long a node may take to be admitted. Below the ring's own join timeout (8 s) a slow
     * machine fails joins that would have worked; much above, a broken join holds the run.
     */
    static final long JOIN_TIMEOUT_MS = 30_000;
    /** How long a worker process may take to start its JVM, on top of {@link #JOIN_TIMEOUT_MS}. */
    static final long PROCESS_START_MS = 15_000;
    /** How long a worker may take to answer one command; a stopped or stuck worker fails the workload after it. */
    static final long ANSWER_TIMEOUT_MS = 15_000;
    /** How long the members may take to agree on the ring after it grew, shrank or lost its leader. */
    static final long SETTLE_TIMEOUT_MS = 30_000;
    /** How long a member that was ended may take to leave gracefully before it is killed. */
    static final long LEAVE_GRACE_MS = 5_000;
    /**
     * The slowest delivery rate a workload may show before it counts as stuck, after {@link
     * #DELIVERY_GRACE_MS}: far below anything ringchat does, so only a hang or a loss trips it.
     */
    static final long SLOWEST_MESSAGES_PER_S = 200;
    /** Time every workload gets to deliver, whatever its size. */
    static final long DELIVERY_GRACE_MS = 30_000;
    /**
     * Before each kind of burst, a warm-up of 1/this of its messages (not reported): the JIT and
     * the connections settle. The JGroups anchor warms up with a fifth of its messages too.
     */
    static final int WARMUP_FRACTION = 5;
    /**
     * The JGroups anchor's messages per workload ({@code ../shared/peers/jgroups}, sized there so
     * that a burst takes a few seconds on a 2-core machine), the default of {@code --messages}, so
     * that both count the same: {@link #ANCHOR_MESSAGES_SMALL} up to {@link #ANCHOR_SMALL_RING}
     * nodes, {@link #ANCHOR_MESSAGES_MEDIUM} up to {@link #ANCHOR_MEDIUM_RING}, {@link
     * #ANCHOR_MESSAGES_LARGE} beyond.
     */
    static final int ANCHOR_MESSAGES_SMALL = 500_000;
    static final int ANCHOR_SMALL_RING = 3;
    static final int ANCHOR_MESSAGES_MEDIUM = 300_000;
    static final int ANCHOR_MEDIUM_RING = 5;
    static final int ANCHOR_MESSAGES_LARGE = 120_000;
    /** The paced workload lasts at most this long: it sends min(--messages, --rate × this) messages. */
    static final int PACED_MAX_SECONDS = 5;

    /** The default of {@code --messages} for a ring of {@code nodes}: the JGroups anchor's. */
    static int anchorMessages(int nodes) {
        return nodes <= ANCHOR_SMALL_RING ? ANCHOR_MESSAGES_SMALL
                : nodes <= ANCHOR_MEDIUM_RING ? ANCHOR_MESSAGES_MEDIUM : ANCHOR_MESSAGES_LARGE;
    }

    private final BenchSettings settings;
    private final Consumer<BenchResult> out;
    private final Path dir;
    private final List<BenchResult> results = new ArrayList<>();
    /** The ring of worker processes, once started (see {@link #processRing}). */
    private Ring processRing;

    Bench(BenchSettings settings, Consumer<BenchResult> out) {
        this.settings = settings;
        this.out = out;
        try {
            this.dir = Files.createTempDirectory("ringchat-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory", e);
        }
    }

    /** How long a workload of {@code messages} may take to be delivered. */
    static long deliveryTimeoutMs(long messages) {
        return DELIVERY_GRACE_MS + messages * 1000 / SLOWEST_MESSAGES_PER_S;
    }

    /** Runs every workload asked for; the results, every one also given to the consumer. */
    List<BenchResult> run() {
        Thread cleanup = new Thread(() -> {
            // interrupted (Ctrl-C): no worker may outlive the bench, a stopped one least of all
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            deleteTree(dir);
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            runApiWorkloads();
            if (settings.wants("pipe")) {
                report(new PipeWorkload(settings, dir.resolve("pipe")).run());
            }
            runFailovers();
            if (settings.wants("scale")) {
                report(runScale());
            }
        } finally {
            if (processRing != null) {
                processRing.close();
            }
            deleteTree(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        return List.copyOf(results);
    }

    private void runApiWorkloads() {
        List<String> api = Stream.of("one-sender", "all-senders", "paced", "join").filter(settings::wants).toList();
        Ring ring = api.isEmpty() ? null : settings.inProcess() ? startRing(true, api) : processRing(api);
        if (ring == null) {
            return;
        }
        try {
            ApiWorkloads workloads = new ApiWorkloads(settings, ring, joinStarter(settings.inProcess()));
            for (String w : api) {
                report(guard(w, settings.mode(), ring, () -> workloads.run(w)));
            }
        } finally {
            if (ring != processRing) {
                ring.close();
            }
        }
    }

    private void runFailovers() {
        // in the order asked for: --workloads failover-stop,failover-kill runs the kill on a ring where one member rejoined
        List<String> faults = settings.workloads().stream().filter(w -> w.startsWith("failover-")).distinct().toList();
        Ring ring = faults.isEmpty() ? null : processRing(faults);
        if (ring == null) {
            return;
        }
        FailoverWorkload failover = new FailoverWorkload(settings, ring);
        for (String w : faults) {
            report(guard(w, "processes", ring, () -> failover.run(w.equals("failover-kill"))));
        }
    }

    /** The scale workload, on a ring of its own in this JVM; a ring that did not form fails it, saying why. */
    private BenchResult runScale() {
        Long max = ScaleWorkload.maxFds();
        long need = (long) settings.nodes() * ScaleWorkload.FDS_PER_NODE;
        if (max != null && need > max) {
            System.err.println("bench: scale: " + settings.nodes() + " nodes in one JVM need about " + need
                    + " file descriptors, and ulimit -n allows " + max);
        }
        try {
            BenchResult result = new ScaleWorkload(settings).run();
            if (!result.ok()) {
                System.err.println("bench: scale failed its checks: " + result.problems());
            }
            return result;
        } catch (BenchFailure e) {
            System.err.println("bench: scale failed: " + e.getMessage());
            return failed("scale", "in-process", firstLine(e));
        }
    }

    /**
     * The ring of worker processes, started on first use: the API workloads run on it (with
     * {@code --processes}), then the failovers, whose signals need processes.
     */
    private Ring processRing(List<String> workloads) {
        if (processRing == null) {
            processRing = startRing(false, workloads);
        }
        return processRing;
    }

    /** A ring of N for {@code workloads}; null when it did not form, and then each of them is reported failed. */
    private Ring startRing(boolean inProcess, List<String> workloads) {
        try {
            return Ring.start(settings.nodes(), starter(inProcess), inProcess ? "i" : "n");
        } catch (BenchFailure e) {
            System.err.println("bench: the ring did not form: " + e.getMessage());
            String mode = inProcess ? "in-process" : "processes";
            workloads.forEach(w -> report(failed(w, mode, "the ring did not form: " + firstLine(e))));
            return null;
        }
    }

    /** Starts members in this JVM or in worker processes under the bench's directory. */
    Ring.Starter starter(boolean inProcess) {
        return inProcess ? LocalMember::start : (name, joinPort) -> ProcessMember.start(name, joinPort, dir);
    }

    /**
     * Starts the join workload's newcomer: in a worker process, with the JVM flags and class-data
     * archive the launcher uses ({@link JavaProcess#launcherFlags}), so that its time from the
     * process's start is a user's; in this JVM like every other member.
     */
    Ring.Starter joinStarter(boolean inProcess) {
        return inProcess ? LocalMember::start
                : (name, joinPort) -> ProcessMember.start(name, joinPort, dir, JavaProcess.launcherFlags());
    }

    /** Runs a workload; a {@link BenchFailure} becomes a failed result that says why, with every member's state. */
    private BenchResult guard(String workload, String mode, Ring ring, java.util.function.Supplier<BenchResult> run) {
        try {
            BenchResult result = run.get();
            if (!result.ok()) {
                System.err.println("bench: " + workload + " failed its checks: " + result.problems() + "\n"
                        + ring.describe());
            }
            return result;
        } catch (BenchFailure e) {
            System.err.println("bench: " + workload + " failed: " + e.getMessage() + "\n" + ring.describe());
            return failed(workload, mode, firstLine(e));
        }
    }

    /** The first line of a failure's message: what went wrong, without the members' state that follows it. */
    static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("failed");
    }

    private BenchResult failed(String workload, String mode, String problem) {
        long messages = workload.startsWith("failover") ? 1 : workload.equals("join") ? 0
                : workload.equals("scale") ? Math.min(settings.messages(), ScaleWorkload.MAX_MESSAGES) : settings.messages();
        return BenchResult.failed(workload, mode, settings.nodes(), messages, settings.size(), problem);
    }

    private void report(BenchResult result) {
        results.add(result);
        out.accept(result);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
