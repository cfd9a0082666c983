package org.ringchat.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code scale}: a large ring in this JVM, formed and then bereft of its leader. {@code --nodes}
 * nodes start one at a time, each joining through a member picked at random among those already
 * admitted (seeded, so every run forms the same way); {@code formation_ms} runs from starting
 * the first until every member agrees on the ring of N. The most junior member then sends a
 * burst of at most {@link #MAX_MESSAGES} lines (delivered_per_s and the latencies). Then the
 * leader crashes ({@link org.ringchat.ring.RingNode#crash()}: its sockets close, no goodbye) and
 * the most junior member sends one probe line at once: {@code new_leader_ms} until every
 * survivor knew the new leader, {@code chat_resumed_ms} until every survivor delivered the probe,
 * both from just before the crash. Checked: the burst and the probe delivered exactly once and
 * in one order everywhere, and every survivor names the most senior survivor.
 *
 * <p>In-process only, and not among the default workloads: a ring of hundreds takes a while to
 * form, and every node in one JVM holds its sockets' both ends (see {@link #openFds()}).
 */
final class ScaleWorkload {

    /**
     * Lines of the burst before the crash, whatever {@code --messages} says: enough to warm the
     * chat path up. More, and a ring of hundreds in one JVM on a small machine spends seconds
     * fanning them out, during which a late heartbeat can get the leader suspected.
     */
    static final int MAX_MESSAGES = 100;
    /** The seed of the introducers' draw: the same ring shape in every run. */
    static final long SEED = 10;
    /**
     * How often the survivors are looked at after the crash. Their own clocks time the events, so
     * this only bounds how soon the bench notices; looking more often takes CPU from the nodes.
     */
    static final long POLL_MS = 20;

    /**
     * File descriptors a node in this JVM holds, about: its listening socket, its selector's two,
     * and both ends of its connections (next, previous, leader, the member it joined through, the
     * leader's to everyone, and the spare links between the deputy and every member). Measured:
     * 17.4 in a settled ring of 100, 17.8 in one of 300, more after leader changes
     * (docs/scaling.md); the bench warns when {@code ulimit -n} is below N times this.
     */
    static final int FDS_PER_NODE = 20;

    private final BenchSettings settings;

    ScaleWorkload(BenchSettings settings) {
        this.settings = settings;
    }

    BenchResult run() {
        int n = settings.nodes();
        Random random = new Random(SEED);
        long start = System.nanoTime();
        Ring ring = Ring.start(n, LocalMember::start, "s", r -> {
            List<Member> admitted = r.members();
            return admitted.get(random.nextInt(admitted.size()));
        });
        try {
            long formed = System.nanoTime();
            Integer fds = openFds();
            List<String> problems = new ArrayList<>();
            int messages = Math.min(settings.messages(), MAX_MESSAGES);
            Member junior = ring.junior();
            long first = ring.expect(messages);
            long burstStart = System.nanoTime();
            junior.ask("send " + first + " " + messages + " " + settings.size() + " 0");
            Map<String, DeliverySummary> burst = ring.awaitDelivered(Bench.deliveryTimeoutMs(messages));
            Agreement.problems(burst, messages).forEach(p -> problems.add("burst: " + p));
            long burstEnd = Ring.lastDelivery(burst);
            long[] latencies = DeliveryRecord.latencies(ring.members().stream().map(Member::deliveredTimes).toList(),
                    junior.sentTimes());

            ring.settle(n); // the same ring and leader after the burst (or the check says who moved)
            Crash crash = crash(ring, problems);
            return new BenchResult("scale", "in-process", n, messages, settings.size(),
                    burstEnd > burstStart ? messages * 1e9 / (burstEnd - burstStart) : null, null, null, null,
                    BenchResult.ms(crash.leaderKnown() - crash.at()), BenchResult.ms(crash.resumed() - crash.at()),
                    null, null, JavaProcess.rssMb(ProcessHandle.current().pid()), null, null, problems.isEmpty(),
                    problems).withLatencies(latencies).withHeap(ring.leader().heap())
                    .withScale(BenchResult.ms(formed - start), fds);
        } finally {
            ring.crashAll();
            ring.close();
        }
    }

    /** When the leader crashed, when every survivor knew the new leader, when every survivor had the probe. */
    private record Crash(long at, long leaderKnown, long resumed) {
    }

    private Crash crash(Ring ring, List<String> problems) {
        Member leader = ring.leader();
        Member successor = ring.members().get(1);
        Member prober = ring.junior();
        List<Member> survivors = ring.members().subList(1, ring.members().size());
        long probe = ring.expect(survivors, 1);
        long t0 = System.nanoTime();
        leader.ask("crash");
        prober.ask("send " + probe + " 1 " + settings.size() + " 0");
        ring.remove(leader);

        // each survivor is looked at until it has both; the polls take CPU from the nodes, so they ask
        // for the leader only, not for the members (99 names from each of 99 survivors every POLL_MS)
        Map<String, Member.View> views = new LinkedHashMap<>();
        Map<String, DeliverySummary> reports = new LinkedHashMap<>();
        List<Member> waiting = new ArrayList<>(survivors);
        long deadline = System.nanoTime() + Bench.SETTLE_TIMEOUT_MS * 1_000_000;
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            waiting.removeIf(m -> {
                Member.View v = m.leaderView();
                DeliverySummary s = m.report();
                views.put(m.name(), v);
                reports.put(m.name(), s);
                return v.member() && v.leaderAt() > t0 && s.complete();
            });
            pause();
        }
        if (!waiting.isEmpty()) {
            problems.add("after the crash, " + waiting.size() + " survivors did not recover within "
                    + Bench.SETTLE_TIMEOUT_MS + " ms, e.g. " + waiting.get(0).describe());
        }
        Agreement.problems(reports, 1).forEach(p -> problems.add("probe: " + p));
        views.forEach((name, v) -> {
            if (!v.leader().equals(successor.name())) {
                problems.add(name + " names " + v.leader() + " the leader, not the most senior survivor " + successor);
            }
        });
        long leaderKnown = views.values().stream().mapToLong(Member.View::leaderAt).max().orElse(t0);
        return new Crash(t0, leaderKnown, Ring.lastDelivery(reports));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    /** The file descriptors this JVM has open (null where the platform does not say). */
    static Integer openFds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return (int) os.getOpenFileDescriptorCount();
        }
        return null;
    }

    /** The most file descriptors this JVM may open, {@code ulimit -n} (null where the platform does not say). */
    static Long maxFds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return null;
    }
}
