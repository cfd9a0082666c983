package org.ringchat.app.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads that drive nodes through the {@code ring} API: {@code one-sender} (the most
 * junior member sends every message), {@code all-senders} (every member sends its share at once),
 * {@code paced} (the most junior member sends {@code --rate} a second) and {@code join} (the
 * most junior member leaves, and a new node joins in its place).
 */
final class ApiWorkloads {

    private final BenchSettings settings;
    private final Ring ring;
    /** Starts the join workload's newcomer. */
    private final Ring.Starter joiner;
    /** The warm-ups run so far, by their senders' names: what each found wrong. */
    private final Map<List<String>, List<String>> warmedUp = new HashMap<>();

    ApiWorkloads(BenchSettings settings, Ring ring, Ring.Starter joiner) {
        this.settings = settings;
        this.ring = ring;
        this.joiner = joiner;
    }

    BenchResult run(String workload) {
        return switch (workload) {
            case "one-sender" -> burst(workload, List.of(ring.junior()));
            case "all-senders" -> burst(workload, ring.members());
            case "paced" -> paced();
            case "join" -> join();
            default -> throw new IllegalArgumentException("not an API workload: " + workload);
        };
    }

    /** {@code --messages} messages, shared among {@code senders}, all sent at once. */
    private BenchResult burst(String workload, List<Member> senders) {
        List<String> problems = new ArrayList<>(warmUp(senders));
        int messages = settings.messages();
        Delivery d = deliver(messages, senders, 0);
        problems.addAll(d.problems());
        return result(workload, messages, d, problems);
    }

    /**
     * Before each kind of burst, once per ring: a burst by its {@code senders}, checked but not
     * reported. The JIT compiles the path the measured burst takes: the one sender's own path
     * before {@code one-sender} (as the JGroups anchor warms up with M/5 messages from its
     * one-sender run's sender), every member's before {@code all-senders} (each member is a JVM of
     * its own, and a path only the one sender took is still cold in the others).
     */
    private List<String> warmUp(List<Member> senders) {
        return warmedUp.computeIfAbsent(senders.stream().map(Member::name).sorted().toList(), key -> {
            Delivery d = deliver(Math.max(1, settings.messages() / Bench.WARMUP_FRACTION), senders, 0);
            return d.problems().stream().map(p -> "warm-up: " + p).toList();
        });
    }

    private BenchResult paced() {
        int messages = (int) Math.min(settings.messages(), (long) settings.rate() * Bench.PACED_MAX_SECONDS);
        Delivery d = deliver(messages, List.of(ring.junior()), settings.rate());
        return result("paced", messages, d, d.problems());
    }

    /**
     * Sends {@code messages} messages, each sender a contiguous share of their ids, and waits until every
     * member delivered them all (or the delivery timeout passed); the members' accounts.
     */
    private Delivery deliver(int messages, List<Member> senders, int rate) {
        long first = ring.expect(messages);
        Map<Member, Member.CpuTimes> cpuBefore = cpuTimes();
        long suspectsBefore = suspectEvents();
        long start = System.nanoTime();
        for (int k = 0; k < senders.size(); k++) {
            int count = messages / senders.size() + (k < messages % senders.size() ? 1 : 0);
            senders.get(k).ask("send " + first + " " + count + " " + settings.size() + " " + rate);
            first += count;
        }
        Map<String, DeliverySummary> reports = ring.awaitDelivered(Bench.deliveryTimeoutMs(messages)
                + (rate > 0 ? messages * 1000L / rate : 0));
        Map<Member, Member.CpuTimes> cpuAfter = cpuTimes();
        long suspects = suspectEvents() - suspectsBefore;
        List<long[]> delivered = ring.members().stream().map(Member::deliveredTimes).toList();
        long[] sent = DeliveryRecord.merge(senders.stream().map(Member::sentTimes).toList());
        return new Delivery(start, reports, Agreement.problems(reports, messages),
                DeliveryRecord.latencies(delivered, sent), cpuPerMessage(cpuBefore, cpuAfter, messages), suspects);
    }

    /** Suspicion events at every member so far, summed. */
    private long suspectEvents() {
        return ring.members().stream().mapToLong(Member::suspectEvents).sum();
    }

    /** Every member's CPU times now; in ring order. */
    private Map<Member, Member.CpuTimes> cpuTimes() {
        Map<Member, Member.CpuTimes> out = new LinkedHashMap<>();
        ring.members().forEach(m -> out.put(m, m.cpu()));
        return out;
    }

    /**
     * CPU µs per message of each member over a burst (the JIT's threads too, in its process's
     * figure), by role: {@code leader}, {@code junior}, the others by name. Read on each side of
     * the burst, so start-up, joins and the warm-up are not in it; the bench's own queries are, a
     * few milliseconds.
     */
    private Map<String, Member.Cpu> cpuPerMessage(Map<Member, Member.CpuTimes> before, Map<Member, Member.CpuTimes> after,
            int messages) {
        Map<String, Member.Cpu> out = new LinkedHashMap<>();
        after.forEach((m, times) -> {
            Member.CpuTimes then = before.get(m);
            if (then != null) {
                String role = m == ring.leader() ? "leader" : m == ring.junior() ? "junior" : m.name();
                out.put(role, times.perMessage(then, messages));
            }
        });
        return out;
    }

    /** What a workload's messages did: when it started, each member's account, and each message's latency. */
    record Delivery(long start, Map<String, DeliverySummary> reports, List<String> problems, long[] latencies,
            Map<String, Member.Cpu> cpu, long suspectEvents) {

        /** Messages per second delivered at every member, from the start to the slowest member's last delivery. */
        Double perSecond(long messages) {
            long last = Ring.lastDelivery(reports);
            return last <= start || messages == 0 ? null : messages * 1e9 / (last - start);
        }
    }

    private BenchResult result(String workload, int messages, Delivery d, List<String> problems) {
        return new BenchResult(workload, settings.mode(), settings.nodes(), messages, settings.size(),
                d.perSecond(messages), null, null, null, null, null, null, null, JavaProcess.rssMb(ring.leader().pid()),
                null, null, problems.isEmpty(), problems).withLatencies(d.latencies()).withHeap(ring.leader().heap())
                .withCpu(d.cpu()).withSuspectEvents(d.suspectEvents());
    }

    /**
     * The most junior member leaves gracefully; once the others agree on a ring of N-1, a new
     * node starts and joins through the leader. Timed from its start (for a worker process, the
     * JVM's start too) and from its node's start, until it was admitted; checked by every member
     * agreeing on a ring of N again. A worker process starts as the launcher starts a node (its
     * JVM flags and class-data archive), unlike the other workers.
     */
    private BenchResult join() {
        int n = settings.nodes();
        if (n < 2) {
            throw new BenchFailure("join needs --nodes 2 or more");
        }
        Member leaving = ring.junior();
        leaving.ask("leave");
        leaving.close();
        ring.remove(leaving);
        ring.settle(n - 1);
        long start = System.nanoTime();
        Member joiner = ring.add(ring.leader().port(), this.joiner);
        ring.settle(n);
        return new BenchResult("join", settings.mode(), n, 0, settings.size(), null, null, null, null, null, null,
                BenchResult.ms(joiner.ready().joinedAt() - start),
                BenchResult.ms(joiner.ready().joinedAt() - joiner.ready().connectAt()),
                JavaProcess.rssMb(ring.leader().pid()), null, null, true, List.of()).withHeap(ring.leader().heap());
    }
}
