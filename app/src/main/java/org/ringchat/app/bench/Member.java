package org.ringchat.app.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The driver's handle on one benchmark member, in this JVM ({@link LocalMember}) or in a worker
 * process ({@link ProcessMember}); either way it speaks {@link BenchNode}'s line protocol.
 */
interface Member extends AutoCloseable {

    String name();

    /** Where it listens, and when it joined. */
    Ready ready();

    /** The port it listens on, on 127.0.0.1. */
    default int port() {
        return ready().port();
    }

    /** The process it runs in. */
    long pid();

    /** Sends one command of the line protocol; its reply, within {@link Bench#ANSWER_TIMEOUT_MS}. */
    default String ask(String command) {
        return ask(command, Bench.ANSWER_TIMEOUT_MS);
    }

    /** Sends one command of the line protocol; its reply, within {@code answerTimeoutMs}. */
    String ask(String command, long answerTimeoutMs);

    /** Sends a signal ({@code KILL}, {@code STOP}, {@code CONT}) to its process; only worker processes take them. */
    void signal(String signal);

    /** Its process's stderr and state, for a failure's report. */
    String describe();

    /** Leaves or ends it, bounded; never throws. */
    @Override
    void close();

    default DeliverySummary report() {
        return DeliverySummary.parse(ask("report"));
    }

    /** Its account once it delivered every message of the workload, or after {@code timeoutMs}. */
    default DeliverySummary awaitReport(long timeoutMs) {
        return DeliverySummary.parse(ask("await " + timeoutMs, timeoutMs + Bench.ANSWER_TIMEOUT_MS));
    }

    default View view() {
        return View.parse(ask("view"));
    }

    /** Its view without the members ({@code leader}): what a poll of hundreds of members needs. */
    default View leaderView() {
        return View.parse(ask("leader"));
    }

    /** When it delivered each id of the workload (0: not delivered). */
    default long[] deliveredTimes() {
        return longs(ask("times"), "times");
    }

    /** When it sent each id of the workload (0: not sent from here). */
    default long[] sentTimes() {
        return longs(ask("sent"), "sent");
    }

    /** Its heap after a full collection: in use (the live data) and taken from the system, in MB. */
    default Heap heap() {
        return Heap.parse(ask("heap"));
    }

    /** Suspicion events its node has had so far ({@code suspects} of the line protocol). */
    default long suspectEvents() {
        String[] f = ask("suspects").split(" ");
        if (f.length != 2 || !f[0].equals("suspects")) {
            throw new BenchFailure("not a count of suspicion events: " + String.join(" ", f));
        }
        return Long.parseLong(f[1]);
    }

    /** CPU time its threads have used so far ({@code cpu} of the line protocol). */
    default CpuTimes cpu() {
        return CpuTimes.parse(ask("cpu"));
    }

    /**
     * CPU nanoseconds used so far, from {@code cpu LOOP CALLER PROCESS JIT VM}: by the node's own
     * thread (its event loop), by the thread that calls {@code RingNode.send}, by its whole process,
     * by its JIT compiler threads and by its VM thread (the serial collector's pauses, safepoints);
     * in-process, the last three are the whole JVM's.
     */
    record CpuTimes(long loopNs, long callerNs, long processNs, long jitNs, long vmNs) {

        static CpuTimes parse(String line) {
            String[] f = line.split(" ");
            if (f.length != 6 || !f[0].equals("cpu")) {
                throw new BenchFailure("not cpu times: " + line);
            }
            return new CpuTimes(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]));
        }

        /** CPU µs per message between {@code before} and this, over {@code messages} messages. */
        Cpu perMessage(CpuTimes before, long messages) {
            double n = Math.max(1, messages) * 1000.0;
            return new Cpu((loopNs - before.loopNs) / n, (callerNs - before.callerNs) / n,
                    (processNs - before.processNs) / n, (jitNs - before.jitNs) / n, (vmNs - before.vmNs) / n, null);
        }
    }

    /**
     * CPU µs per message of a member's threads over a burst; see {@link CpuTimes}. Pipe mode also
     * has its printer thread's ({@code printerUs}, null for the API workloads), and the thread
     * reading its stdin as the {@code caller}; null: not measured.
     */
    record Cpu(Double loopUs, Double callerUs, Double processUs, Double jitUs, Double vmUs, Double printerUs) {
    }

    /** A member's heap in MB, from {@code heap LIVE COMMITTED} (bytes). */
    record Heap(double liveMb, double committedMb) {

        static Heap parse(String line) {
            String[] f = line.split(" ");
            if (f.length != 3 || !f[0].equals("heap")) {
                throw new BenchFailure("not a heap: " + line);
            }
            return new Heap(mb(Long.parseLong(f[1])), mb(Long.parseLong(f[2])));
        }

        private static double mb(long bytes) {
            return Math.round(bytes / 104_857.6) / 10.0;
        }
    }

    private static long[] longs(String reply, String prefix) {
        if (!reply.startsWith(prefix)) {
            throw new BenchFailure("expected '" + prefix + " ...', got: " + reply);
        }
        String body = reply.substring(prefix.length()).trim();
        return body.isEmpty() ? new long[0] : Arrays.stream(body.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /**
     * A member's first line, once its node is in the ring: {@code ready PORT CONNECT_AT JOINED_AT}.
     *
     * @param connectAt {@link System#nanoTime()} when its node was started (asked to join)
     * @param joinedAt {@link System#nanoTime()} when it was admitted
     */
    record Ready(int port, long connectAt, long joinedAt) {

        static Ready parse(String line) {
            String[] f = line.split(" ");
            if (f.length != 4 || !f[0].equals("ready")) {
                throw new BenchFailure("not ready: " + line);
            }
            return new Ready(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
        }
    }

    /**
     * A member's view, from {@code view STATUS LEADER LEADER_AT MEMBERS}.
     *
     * @param leaderAt {@link System#nanoTime()} when it last learnt of a new leader (0: never)
     * @param members names in ring order, the leader's first
     */
    record View(String status, String leader, long leaderAt, List<String> members) {

        static View parse(String line) {
            String[] f = line.split(" ");
            if (f.length != 5 || !f[0].equals("view")) {
                throw new BenchFailure("not a view: " + line);
            }
            return new View(f[1], f[2], Long.parseLong(f[3]), f[4].equals("-") ? List.of() : List.of(f[4].split(",")));
        }

        boolean member() {
            return status.equals("MEMBER");
        }
    }
}
