package org.ringchat.app.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ringchat.app.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ringchat bench}: starts a ring on 127.0.0.1, runs the workloads, prints the figures, checks the deliveries. */
@Command(name = "bench",
        sortOptions = false,
        showDefaultValues = true,
        usageHelpAutoWidth = true,
        description = {
            "Benchmarks ringchat on this machine: starts --nodes nodes on 127.0.0.1 and runs each workload, then"
                + " prints a table (or one JSON line per workload with --json). Every workload checks that every"
                + " member delivered every message exactly once, in one order (ok).",
            "Workloads: one-sender, all-senders (--messages lines of --size bytes through the ring API), paced"
                + " (--rate lines a second; latency until every member delivered), join (the N-th node admitted),"
                + " pipe (the real program in pipe mode, lines on stdin, counted on every stdout and chat log),"
                + " failover-stop and failover-kill (the leader gets SIGSTOP then SIGCONT, or kill -9); and, only"
                + " when asked for, scale (--nodes nodes in this JVM joining through random members, then a leader"
                + " crash; up to " + BenchCommand.MAX_SCALE_NODES + " nodes)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every workload ran and passed its checks", "1:a workload failed (ok:false)",
            "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  The full run, 5 worker processes:",
            "    ringchat bench",
            "  Three nodes in this JVM, two workloads, JSON lines:",
            "    ringchat bench --nodes 3 --in-process --workloads one-sender,paced --json",
            "  A quick check that everything works:",
            "    ringchat bench --nodes 3 --messages 2000 --json",
            "  A ring of 300 in this JVM, formed, then its leader crashed:",
            "    ringchat bench --workloads scale --nodes 300 --json"})
public final class BenchCommand implements Callable<Integer> {

    /** The most nodes of a ring of worker processes, or of the API workloads in this JVM. */
    static final int MAX_NODES = 100;
    /** The most nodes of the scale workload, all in this JVM (each needs file descriptors and a thread). */
    static final int MAX_SCALE_NODES = 5_000;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--nodes", paramLabel = "<N>", description = "Nodes in the ring.")
    int nodes = 5;

    @Option(names = "--processes", description = "Every node in a worker process of its own: the default, and the"
            + " honest setting.")
    boolean processes;

    @Option(names = "--in-process", description = "The API workloads with every node in this JVM (failover and pipe"
            + " always use processes: they need signals and the real program).")
    boolean inProcess;

    @Option(names = "--workloads", split = ",", paramLabel = "<w>",
            description = "Which workloads, comma-separated: one-sender, all-senders, paced, join, pipe, failover-kill,"
                    + " failover-stop, scale (default: all but scale, in this order; the two failovers run in the order"
                    + " given; scale runs alone or last).")
    List<String> workloads = new ArrayList<>(Bench.DEFAULT_WORKLOADS);

    @Option(names = "--messages", paramLabel = "<M>",
            description = "Messages per workload (paced sends at most --rate x " + Bench.PACED_MAX_SECONDS
                    + " s of them). Default: the JGroups anchor's, " + Bench.ANCHOR_MESSAGES_SMALL + " up to "
                    + Bench.ANCHOR_SMALL_RING + " nodes, " + Bench.ANCHOR_MESSAGES_MEDIUM + " up to "
                    + Bench.ANCHOR_MEDIUM_RING + ", " + Bench.ANCHOR_MESSAGES_LARGE + " beyond.")
    Integer messages;

    @Option(names = "--size", paramLabel = "<bytes>", description = "Bytes of every chat line.")
    int size = 100;

    @Option(names = "--rate", paramLabel = "<per s>", description = "Messages per second of the paced workload.")
    int rate = 1000;

    @Option(names = "--failover-runs", paramLabel = "<R>", description = "Faults of each failover workload; it"
            + " reports the median (and every run's figure in the JSON line).")
    int failoverRuns = DEFAULT_FAILOVER_RUNS;

    /** Issue 10's failover targets are medians of 5. */
    static final int DEFAULT_FAILOVER_RUNS = 5;
    /** Each run of a kill starts a fresh worker: a bound on the processes one bench starts. */
    static final int MAX_FAILOVER_RUNS = 50;

    @Option(names = "--json", description = "One JSON object per workload and line, instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        BenchSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.println(BenchResult.header());
            out.flush();
        }
        List<BenchResult> results = new Bench(settings, r -> {
            out.println(json ? r.json() : r.row());
            out.flush();
        }).run();
        return results.stream().allMatch(BenchResult::ok) ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    /** Validates the options; a {@link ParameterException} (exit 2) otherwise. */
    BenchSettings settings() {
        if (processes && inProcess) {
            throw usage("--processes and --in-process exclude each other");
        }
        boolean scaleOnly = workloads.stream().allMatch("scale"::equals);
        int most = scaleOnly ? MAX_SCALE_NODES : MAX_NODES;
        if (nodes < 1 || nodes > most) {
            throw usage("--nodes must be 1-" + most + (scaleOnly ? "" : " (up to " + MAX_SCALE_NODES
                    + " with --workloads scale alone)") + ", not " + nodes);
        }
        if (messages == null) {
            messages = Bench.anchorMessages(nodes);
        }
        if (messages < 1) {
            throw usage("--messages must be at least 1, not " + messages);
        }
        if (size < 1 || size > org.ringchat.ring.RingConfig.DEFAULT_MAX_TEXT_LENGTH) {
            throw usage("--size must be 1-" + org.ringchat.ring.RingConfig.DEFAULT_MAX_TEXT_LENGTH + ", not " + size);
        }
        if (rate < 1) {
            throw usage("--rate must be at least 1, not " + rate);
        }
        if (failoverRuns < 1 || failoverRuns > MAX_FAILOVER_RUNS) {
            throw usage("--failover-runs must be 1-" + MAX_FAILOVER_RUNS + ", not " + failoverRuns);
        }
        for (String w : workloads) {
            if (!Bench.WORKLOADS.contains(w)) {
                throw usage("unknown workload '" + w + "': use " + String.join(", ", Bench.WORKLOADS));
            }
        }
        boolean needsTwo = workloads.stream().anyMatch(w -> w.startsWith("failover") || w.equals("join")
                || w.equals("scale"));
        if (needsTwo && nodes < 2) {
            throw usage("join, scale and the failover workloads need --nodes 2 or more");
        }
        if (workloads.contains("scale") && processes) {
            throw usage("scale runs every node in this JVM: it does not take --processes");
        }
        return new BenchSettings(nodes, inProcess, workloads, messages, size, rate, failoverRuns);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
