package org.ringchat.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * One workload's outcome: a JSON line ({@link #json()}) or a row of the table ({@link #row()}).
 * Figures that do not apply to a workload are null.
 *
 * @param mode {@code processes} or {@code in-process}: how the members ran
 * @param deliveredPerS messages per second delivered at every member (from the first send to the
 *     slowest member's last delivery)
 * @param p50Ms latency from send until every member delivered: median, 99th percentile, maximum
 * @param newLeaderMs from the fault until every survivor knew the new leader
 * @param chatResumedMs from the fault until a line sent right after it was delivered at every survivor
 * @param joinFromStartMs from starting the N-th node's process (or node) until it was admitted
 * @param joinFromConnectMs from the N-th node asking to join until it was admitted
 * @param rssMb the leader's resident memory at the end (in-process: the whole JVM)
 * @param heapMb the leader's heap in use at the end, after a full collection: its live data
 *     (in-process: the whole JVM's)
 * @param heapCommittedMb the heap the leader's JVM had taken from the system by the end (at most
 *     its {@code -Xmx})
 * @param ok every member delivered every message exactly once, in one order, and the bench checked it
 * @param problems what failed, when not ok
 * @param formationMs {@code scale}: from starting the first node until every member agreed on the ring
 * @param openFds {@code scale}: file descriptors the JVM had open once the ring formed
 * @param newLeaderRunsMs the failovers: each run's {@code newLeaderMs}, whose median that is
 * @param chatResumedRunsMs the failovers: each run's {@code chatResumedMs}, whose median that is
 * @param cpuUsPerMsg the API bursts and {@code pipe}'s: CPU µs per message of each member's
 *     threads during the measured burst ({@link Member.Cpu}), by role: {@code leader}, {@code
 *     junior} (the one sender of {@code one-sender}, {@code pipe}), the others by name, and for
 *     {@code pipe} the bench's own JVM as {@code bench}; null where not measured
 * @param suspectEvents the API workloads: suspicion events ({@link org.ringchat.ring.RingEvent.Kind#SUSPECT})
 *     at every member during the measured workload, summed: a member suspecting another of silence,
 *     a leader checking a member reported lost, a suspicion dropped; 0 means no member was suspected
 *     (issue 10: none at saturation, heartbeats getting through ahead of chat); null where not counted
 */
record BenchResult(String workload, String mode, int nodes, long messages, int size, Double deliveredPerS,
        Double p50Ms, Double p99Ms, Double maxMs, Double newLeaderMs, Double chatResumedMs, Double joinFromStartMs,
        Double joinFromConnectMs, Double rssMb, Double heapMb, Double heapCommittedMb, boolean ok,
        List<String> problems, Double formationMs, Integer openFds, List<Double> newLeaderRunsMs,
        List<Double> chatResumedRunsMs, Map<String, Member.Cpu> cpuUsPerMsg, Long suspectEvents) {

    private static final ObjectMapper JSON = new ObjectMapper();

    BenchResult {
        problems = List.copyOf(problems);
        newLeaderRunsMs = newLeaderRunsMs == null ? null : List.copyOf(newLeaderRunsMs);
        chatResumedRunsMs = chatResumedRunsMs == null ? null : List.copyOf(chatResumedRunsMs);
        cpuUsPerMsg = cpuUsPerMsg == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(cpuUsPerMsg));
    }

    /** A result without the {@code scale} workload's figures. */
    BenchResult(String workload, String mode, int nodes, long messages, int size, Double deliveredPerS,
            Double p50Ms, Double p99Ms, Double maxMs, Double newLeaderMs, Double chatResumedMs, Double joinFromStartMs,
            Double joinFromConnectMs, Double rssMb, Double heapMb, Double heapCommittedMb, boolean ok,
            List<String> problems) {
        this(workload, mode, nodes, messages, size, deliveredPerS, p50Ms, p99Ms, maxMs, newLeaderMs, chatResumedMs,
                joinFromStartMs, joinFromConnectMs, rssMb, heapMb, heapCommittedMb, ok, problems, null, null, null, null, null, null);
    }

    /** This result with the {@code scale} workload's figures. */
    BenchResult withScale(Double formation, Integer fds) {
        return new BenchResult(workload, mode, nodes, messages, size, deliveredPerS, p50Ms, p99Ms, maxMs, newLeaderMs,
                chatResumedMs, joinFromStartMs, joinFromConnectMs, rssMb, heapMb, heapCommittedMb, ok, problems,
                formation, fds, newLeaderRunsMs, chatResumedRunsMs, cpuUsPerMsg, suspectEvents);
    }

    /** This failover result with every run's figures (the result's own are their medians). */
    BenchResult withRuns(List<Double> newLeader, List<Double> chatResumed) {
        return new BenchResult(workload, mode, nodes, messages, size, deliveredPerS, p50Ms, p99Ms, maxMs, newLeaderMs,
                chatResumedMs, joinFromStartMs, joinFromConnectMs, rssMb, heapMb, heapCommittedMb, ok, problems,
                formationMs, openFds, newLeader, chatResumed, cpuUsPerMsg, suspectEvents);
    }

    /** A workload that could not run at all. */
    static BenchResult failed(String workload, String mode, int nodes, long messages, int size, String problem) {
        return new BenchResult(workload, mode, nodes, messages, size, null, null, null, null, null, null, null, null,
                null, null, null, false, List.of(problem));
    }

    /** This result with the latencies of {@code nanos} (one per message): p50, p99 and max in ms. */
    BenchResult withLatencies(long[] nanos) {
        if (nanos.length == 0) {
            return this;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new BenchResult(workload, mode, nodes, messages, size, deliveredPerS, ms(percentile(sorted, 50)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), newLeaderMs, chatResumedMs,
                joinFromStartMs, joinFromConnectMs, rssMb, heapMb, heapCommittedMb, ok, problems, formationMs,
                openFds, newLeaderRunsMs, chatResumedRunsMs, cpuUsPerMsg, suspectEvents);
    }

    /** This result with the leader's heap (null: not known, e.g. the real program's in {@code pipe}). */
    BenchResult withHeap(Member.Heap heap) {
        return heap == null ? this : new BenchResult(workload, mode, nodes, messages, size, deliveredPerS, p50Ms,
                p99Ms, maxMs, newLeaderMs, chatResumedMs, joinFromStartMs, joinFromConnectMs, rssMb, heap.liveMb(),
                heap.committedMb(), ok, problems, formationMs, openFds, newLeaderRunsMs, chatResumedRunsMs,
                cpuUsPerMsg, suspectEvents);
    }

    /** This result with each member's CPU per message during the burst. */
    BenchResult withCpu(Map<String, Member.Cpu> cpu) {
        return new BenchResult(workload, mode, nodes, messages, size, deliveredPerS, p50Ms, p99Ms, maxMs, newLeaderMs,
                chatResumedMs, joinFromStartMs, joinFromConnectMs, rssMb, heapMb, heapCommittedMb, ok, problems,
                formationMs, openFds, newLeaderRunsMs, chatResumedRunsMs, cpu, suspectEvents);
    }

    /** This result with the suspicion events counted at every member during the workload. */
    BenchResult withSuspectEvents(long events) {
        return new BenchResult(workload, mode, nodes, messages, size, deliveredPerS, p50Ms, p99Ms, maxMs, newLeaderMs,
                chatResumedMs, joinFromStartMs, joinFromConnectMs, rssMb, heapMb, heapCommittedMb, ok, problems,
                formationMs, openFds, newLeaderRunsMs, chatResumedRunsMs, cpuUsPerMsg, events);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Nanoseconds as milliseconds with two decimals. */
    static Double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    /**
     * One JSON object on one line. Every line has the workload, its size, throughput, latency,
     * the leader's RSS and heap, and ok (null where a figure does not apply); the failover, join and
     * scale figures only where they apply.
     */
    String json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("workload", workload);
        o.put("mode", mode);
        o.put("nodes", nodes);
        o.put("messages", messages);
        o.put("size", size);
        always(o, "delivered_per_s", deliveredPerS == null ? null : (double) Math.round(deliveredPerS));
        always(o, "p50_ms", p50Ms);
        always(o, "p99_ms", p99Ms);
        always(o, "max_ms", maxMs);
        put(o, "new_leader_ms", newLeaderMs);
        put(o, "chat_resumed_ms", chatResumedMs);
        if (newLeaderRunsMs != null) {
            o.putPOJO("new_leader_runs_ms", newLeaderRunsMs);
            o.putPOJO("chat_resumed_runs_ms", chatResumedRunsMs);
        }
        put(o, "join_from_start_ms", joinFromStartMs);
        put(o, "join_from_connect_ms", joinFromConnectMs);
        put(o, "formation_ms", formationMs);
        if (openFds != null) {
            o.put("open_fds", openFds);
        }
        always(o, "rss_mb", rssMb);
        always(o, "heap_mb", heapMb);
        always(o, "heap_committed_mb", heapCommittedMb);
        if (cpuUsPerMsg != null) {
            ObjectNode cpu = o.putObject("cpu_us_per_msg");
            cpuUsPerMsg.forEach((who, c) -> {
                ObjectNode n = cpu.putObject(who);
                put(n, "loop", c.loopUs());
                put(n, "caller", c.callerUs());
                put(n, "process", c.processUs());
                put(n, "jit", c.jitUs());
                put(n, "vm", c.vmUs());
                put(n, "printer", c.printerUs());
            });
        }
        if (suspectEvents != null) {
            o.put("suspect_events", suspectEvents);
        }
        o.put("ok", ok);
        if (!problems.isEmpty()) {
            o.putPOJO("problems", problems);
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a result as JSON", e);
        }
    }

    /** Puts {@code value} as {@link #put} does, and null when it is null. */
    private static void always(ObjectNode o, String field, Double value) {
        if (value == null) {
            o.putNull(field);
        } else {
            put(o, field, value);
        }
    }

    /** Puts {@code value} rounded to two decimals (a whole number without them); nothing when it is null. */
    private static void put(ObjectNode o, String field, Double value) {
        if (value != null) {
            value = Math.round(value * 100) / 100.0;
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                o.put(field, value.longValue());
            } else {
                o.put(field, value);
            }
        }
    }

    /** The table's heading, matching {@link #row()}. */
    static String header() {
        return String.format(Locale.ROOT, "%-14s %-10s %5s %8s %5s %10s %8s %8s %8s %9s %9s %9s %7s %11s  %s",
                "workload", "mode", "nodes", "messages", "size", "msgs/s", "p50 ms", "p99 ms", "max ms", "leader ms",
                "chat ms", "join ms", "rss MB", "heap MB", "ok");
    }

    /**
     * One row of the table; {@code -} where a figure does not apply; then scale's formation, the
     * suspicion events (when there were any) and the problems, if any.
     */
    String row() {
        String join = joinFromStartMs == null ? "-" : cell(joinFromStartMs) + "/" + cell(joinFromConnectMs);
        String heap = heapMb == null ? "-" : cell(heapMb) + "/" + cell(heapCommittedMb);
        String row = String.format(Locale.ROOT, "%-14s %-10s %5d %8d %5d %10s %8s %8s %8s %9s %9s %9s %7s %11s  %s",
                workload, mode, nodes, messages, size,
                deliveredPerS == null ? "-" : String.format(Locale.ROOT, "%,.0f", deliveredPerS), cell(p50Ms),
                cell(p99Ms), cell(maxMs), cell(newLeaderMs), cell(chatResumedMs), join, cell(rssMb), heap,
                ok ? "ok" : "FAILED");
        StringBuilder b = new StringBuilder(row);
        if (formationMs != null) {
            b.append(System.lineSeparator()).append("    the ring formed in ").append(cell(formationMs)).append(" ms")
                    .append(openFds == null ? "" : "; the JVM had " + openFds + " file descriptors open");
        }
        if (suspectEvents != null && suspectEvents > 0) {
            b.append(System.lineSeparator()).append("    ").append(suspectEvents)
                    .append(" suspicion events during the workload (a member suspected of silence)");
        }
        problems.forEach(p -> b.append(System.lineSeparator()).append("    ").append(p));
        return b.toString();
    }

    private static String cell(Double value) {
        if (value == null) {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
