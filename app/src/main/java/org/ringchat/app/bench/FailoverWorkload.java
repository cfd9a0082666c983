package org.ringchat.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code failover-kill} and {@code failover-stop}: the leader's process gets {@code kill -9}, or
 * {@code SIGSTOP} (and {@code SIGCONT} once the others have moved on). Right after the signal the
 * most junior member sends one probe message. Measured from the moment {@code kill} returned:
 * until every survivor knew the new leader ({@code new_leader_ms}) and until every survivor
 * delivered the probe ({@code chat_resumed_ms}). Checked: every survivor names the most senior
 * survivor, delivers the probe exactly once, and all in one order; after {@code SIGCONT} the old
 * leader is back in the ring.
 *
 * <p>A fault hits a ring at rest: first the bench waits until no member's process is busy
 * ({@link Ring#quiesce}), as in a ring in use. A worker's JVM is busy for a second or more after
 * it joined (its start-up warm-ups, then the JIT compiling what ran), and a fault in that second
 * measured the newest member's start-up more than the failover (docs/failover-timing.md).
 *
 * <p>A run starts from a ring of N: after a kill a fresh node joins in the dead one's place. By
 * default the kill runs before the stop, so that both start from members that all joined the
 * ordinary way. ({@code --workloads failover-stop,failover-kill} runs the stop first: then the
 * member that rejoined after {@code SIGCONT} sometimes delivers, during the kill's failover, a
 * message ordered while it was out of the ring, and the kill fails its check; a ring bug the
 * bench found, see docs/benchmark.md.)
 *
 * <p>{@code --failover-runs} (default 5) faults run one after another, each from a ring of N
 * again; the figures are their medians, and the JSON line lists every run's. The first runs are
 * the slowest: the fresh workers' code paths run for the first time.
 */
final class FailoverWorkload {

    /**
     * How often the survivors are asked, during a failover, for their views and deliveries: two
     * commands a survivor, each read, answered and printed by a worker on the cores the failover
     * runs on. The times measured are the members' own, so looking less often delays none of them;
     * every {@link Ring#POLL_MS} instead (1,600 commands a second at N=5) made chat resume 20 ms
     * later after a kill on a quiet machine (docs/failover-timing.md).
     */
    static final long RECOVERY_POLL_MS = 50;

    private final BenchSettings settings;
    private final Ring ring;

    FailoverWorkload(BenchSettings settings, Ring ring) {
        this.settings = settings;
        this.ring = ring;
    }

    /** {@code --failover-runs} faults one after another; the figures are their medians. */
    BenchResult run(boolean kill) {
        List<Double> leaderKnown = new ArrayList<>();
        List<Double> resumed = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 1; i <= settings.failoverRuns(); i++) {
            Run run = once(kill);
            leaderKnown.add(BenchResult.ms(run.leaderKnownNs()));
            resumed.add(BenchResult.ms(run.resumedNs()));
            for (long l : run.latencies()) {
                latencies.add(l);
            }
            String prefix = settings.failoverRuns() > 1 ? "run " + i + ": " : "";
            run.problems().forEach(p -> problems.add(prefix + p));
        }
        String workload = kill ? "failover-kill" : "failover-stop";
        return new BenchResult(workload, "processes", settings.nodes(), settings.failoverRuns(), settings.size(), null,
                null, null, null, median(leaderKnown), median(resumed), null, null,
                JavaProcess.rssMb(ring.leader().pid()), null, null, problems.isEmpty(), problems)
                .withLatencies(latencies.stream().mapToLong(Long::longValue).toArray())
                .withRuns(leaderKnown, resumed);
    }

    /** The middle value (the lower of the two middle ones for an even count). */
    static Double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** One fault: nanoseconds until every survivor knew the new leader, and delivered the probe. */
    private record Run(long leaderKnownNs, long resumedNs, long[] latencies, List<String> problems) {
    }

    private Run once(boolean kill) {
        int n = settings.nodes();
        if (ring.members().size() < n) {
            while (ring.members().size() < n) {
                ring.add(ring.leader().port()); // a fresh node in the place of one a kill took
            }
            ring.settle(n);
        }
        if (!ring.quiesce()) {
            System.err.println("bench: the ring was still busy " + Ring.QUIESCE_TIMEOUT_MS + " ms after it formed; faulting it anyway");
        }
        Member leader = ring.leader();
        Member successor = ring.members().get(1);
        Member prober = ring.junior();
        List<Member> survivors = ring.members().subList(1, n);
        long probe = ring.expect(survivors, 1);
        long before = System.nanoTime();

        leader.signal(kill ? "KILL" : "STOP");
        long t0 = System.nanoTime();
        prober.ask("send " + probe + " 1 " + settings.size() + " 0");
        ring.remove(leader);

        Map<String, Member.View> views = new LinkedHashMap<>();
        Map<String, DeliverySummary> reports = new LinkedHashMap<>();
        Ring.await(() -> {
            survivors.forEach(m -> views.put(m.name(), m.view()));
            survivors.forEach(m -> reports.put(m.name(), m.report()));
            return views.values().stream().allMatch(v -> v.member() && v.leaderAt() > before)
                    && reports.values().stream().allMatch(DeliverySummary::complete);
        }, Bench.SETTLE_TIMEOUT_MS, () -> "the survivors did not recover: " + views + " " + reports, RECOVERY_POLL_MS);

        List<String> problems = new ArrayList<>(Agreement.problems(reports, 1));
        views.forEach((name, v) -> {
            if (!v.leader().equals(successor.name())) {
                problems.add(name + " names " + v.leader() + " the leader, not the most senior survivor " + successor);
            }
        });
        long leaderKnown = views.values().stream().mapToLong(Member.View::leaderAt).max().orElseThrow();
        long[] latencies = DeliveryRecord.latencies(survivors.stream().map(Member::deliveredTimes).toList(),
                prober.sentTimes());

        if (kill) {
            leader.close();
        } else {
            leader.signal("CONT");
            // back in the ring, it must show the probe the others ordered while it was stopped:
            // before the next run resets what the members expect (the views agree a few hundred
            // ms before it has shown it; the next run then counted it as a stray)
            leader.ask("expect " + probe + " 1");
            ring.rejoined(leader);
            try {
                ring.settle(n); // it finds it was removed, rejoins by itself, and is the most junior
                Ring.await(() -> leader.report().complete(), Bench.SETTLE_TIMEOUT_MS,
                        () -> leader + " did not show the probe after it rejoined: " + leader.report());
            } catch (BenchFailure e) {
                problems.add("after SIGCONT: " + Bench.firstLine(e));
            }
        }
        return new Run(leaderKnown - t0, Ring.lastDelivery(reports) - t0, latencies, problems);
    }
}
