package org.ringchat.app.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The members of one benchmark ring, in ring order, its leader first. */
final class Ring implements AutoCloseable {

    /** Starts a member named {@code name} that joins through {@code joinPort} (null: starts a ring). */
    interface Starter {
        Member start(String name, Integer joinPort);
    }

    /** Attempts at each join while the ring forms; the join workload's own join gets one. */
    static final int FORMATION_ATTEMPTS = 3;

    /** How often a wait looks at its condition again. */
    static final long POLL_MS = 5;

    /** How long {@link #quiesce} watches the members' processes at a time. */
    static final long IDLE_WINDOW_MS = 200;
    /**
     * The most CPU a member's process may use in one {@link #IDLE_WINDOW_MS} and count as idle:
     * one clock tick of {@code /proc}, 5 % of a core. An idle node's heartbeats take a fraction of it.
     */
    static final long IDLE_CPU_NS = TaskCpu.NANOS_PER_TICK;
    /** How long {@link #quiesce} waits for an idle ring before it gives up and lets the caller go on. */
    static final long QUIESCE_TIMEOUT_MS = 15_000;

    private final Starter starter;
    private final String prefix;
    private final List<Member> members = new ArrayList<>();
    private final List<Member> everyone = new ArrayList<>();
    private int started;
    /** The first id the next workload's messages get. */
    private long nextId;

    private Ring(Starter starter, String prefix) {
        this.starter = starter;
        this.prefix = prefix;
    }

    /**
     * Starts a ring of {@code n}, one member at a time, each joining through the leader; returns
     * once every member agrees on the ring. (Started all at once, worker processes' joins failed:
     * a leader whose JVM was still warming up among the others' start-ups did not greet a
     * newcomer within the ring's deadline (750 ms then, 2 s now) for a peer's first word. On a loaded machine
     * that happens one at a time too, so forming the ring, which is not measured, tries a failed
     * join again, up to {@link #FORMATION_ATTEMPTS} times, and says so on stderr.)
     */
    static Ring start(int n, Starter starter, String prefix) {
        return start(n, starter, prefix, Ring::leader);
    }

    /**
     * As {@link #start(int, Starter, String)}, each newcomer joining through the member that
     * {@code introducer} picks from the ring so far.
     */
    static Ring start(int n, Starter starter, String prefix, java.util.function.Function<Ring, Member> introducer) {
        Ring ring = new Ring(starter, prefix);
        try {
            ring.add(null);
            while (ring.members.size() < n) {
                ring.addTrying(introducer.apply(ring).port());
            }
            ring.settle(n);
            return ring;
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    private String nextName() {
        return prefix + (++started);
    }

    /** Starts one more member, joining through {@code joinPort} (null: a new ring); it is the most junior. */
    Member add(Integer joinPort) {
        return add(joinPort, starter);
    }

    /** As {@link #add(Integer)}, started by {@code with} instead of the ring's own starter. */
    Member add(Integer joinPort, Starter with) {
        Member m = with.start(nextName(), joinPort);
        members.add(m);
        everyone.add(m);
        return m;
    }

    /** As {@link #add}, trying a failed join again, up to {@link #FORMATION_ATTEMPTS} in all. */
    private void addTrying(int joinPort) {
        for (int attempt = 1; ; attempt++) {
            try {
                add(joinPort);
                return;
            } catch (BenchFailure e) {
                if (attempt == FORMATION_ATTEMPTS) {
                    throw e;
                }
                System.err.println("bench: " + Bench.firstLine(e) + "; trying again");
            }
        }
    }

    /** A member that was taken out ({@link #remove}) is back in the ring, as its most junior member. */
    void rejoined(Member m) {
        members.add(m);
    }

    List<Member> members() {
        return List.copyOf(members);
    }

    Member leader() {
        return members.get(0);
    }

    /** The most junior member. */
    Member junior() {
        return members.get(members.size() - 1);
    }

    /** Takes a member out of the ring's list (it crashed or left); it is still ended by {@link #close()}. */
    void remove(Member m) {
        members.remove(m);
    }

    /**
     * Waits until no member's process is busy: in one {@link #IDLE_WINDOW_MS} window, none used more
     * than {@link #IDLE_CPU_NS} of CPU. A worker's JVM is busy for a second or more after it joined
     * (its start-up warm-ups, then the JIT compiling what ran), and a ring that has just formed or
     * taken in a replacement is not the ring a fault hits in use. False when the ring was still busy
     * after {@link #QUIESCE_TIMEOUT_MS}. Members in this JVM count as one process.
     */
    boolean quiesce() {
        return idle(members.stream().map(Member::pid).collect(Collectors.toCollection(TreeSet::new)),
                QUIESCE_TIMEOUT_MS);
    }

    /**
     * Waits until, in one {@link #IDLE_WINDOW_MS} window, none of the processes {@code pids} used
     * more than {@link #IDLE_CPU_NS} of CPU; false when that did not happen within {@code timeoutMs}.
     */
    static boolean idle(Set<Long> pids, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        Map<Long, Long> before = cpu(pids);
        while (true) {
            sleep(IDLE_WINDOW_MS);
            Map<Long, Long> after = cpu(pids);
            if (pids.stream().allMatch(pid -> after.get(pid) - before.get(pid) <= IDLE_CPU_NS)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            before.putAll(after);
        }
    }

    private static Map<Long, Long> cpu(Set<Long> pids) {
        Map<Long, Long> ns = new HashMap<>();
        pids.forEach(pid -> ns.put(pid, TaskCpu.process(pid)));
        return ns;
    }

    /**
     * Waits until every member is a member of a ring of {@code size} with the same leader, then
     * puts the members in that ring's order.
     */
    void settle(int size) {
        Map<Member, Member.View> views = new LinkedHashMap<>();
        await(() -> {
            views.clear();
            members.forEach(m -> views.put(m, m.view()));
            return views.values().stream().allMatch(v -> v.member() && v.members().size() == size)
                    && views.values().stream().map(Member.View::members).distinct().count() == 1
                    && views.values().stream().map(Member.View::leader).distinct().count() == 1
                    && members.size() == size;
        }, Bench.SETTLE_TIMEOUT_MS, () -> "the ring did not settle at " + size + " members: " + views);
        List<String> order = views.values().iterator().next().members();
        members.sort((a, b) -> Integer.compare(order.indexOf(a.name()), order.indexOf(b.name())));
    }

    /**
     * Every member of the ring forgets the last workload and expects {@code total} messages; the
     * first of their ids, which no workload of this ring used before.
     */
    long expect(int total) {
        return expect(members, total);
    }

    /** As {@link #expect(int)}, for some members only. */
    long expect(List<Member> some, int total) {
        long first = nextId;
        nextId += total;
        some.forEach(m -> m.ask("expect " + first + " " + total));
        return first;
    }

    /** Every member's summary, by name. */
    Map<String, DeliverySummary> reports() {
        Map<String, DeliverySummary> reports = new LinkedHashMap<>();
        members.forEach(m -> reports.put(m.name(), m.report()));
        return reports;
    }

    /**
     * Waits until every member delivered every message of the workload, or the time is up (no
     * failure then: the check will say what is missing).
     */
    Map<String, DeliverySummary> awaitDelivered(long timeoutMs) {
        Map<String, DeliverySummary> reports = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (Member m : members) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            reports.put(m.name(), m.awaitReport(left));
        }
        return reports;
    }

    /** Latest {@link DeliverySummary#lastAt()} of all. */
    static long lastDelivery(Map<String, DeliverySummary> reports) {
        return reports.values().stream().mapToLong(DeliverySummary::lastAt).max().orElse(0);
    }

    /** Polls {@code condition} until it holds; a {@link BenchFailure} saying {@code failure} after {@code timeoutMs}. */
    static void await(BooleanSupplier condition, long timeoutMs, Supplier<String> failure) {
        await(condition, timeoutMs, failure, POLL_MS);
    }

    /** As {@link #await(BooleanSupplier, long, Supplier)}, looking every {@code pollMs}. */
    static void await(BooleanSupplier condition, long timeoutMs, Supplier<String> failure, long pollMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure(failure.get());
            }
            sleep(pollMs); // polling a condition; the times measured are the members' own
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    /** Every member's state, for a failure's report. */
    String describe() {
        return everyone.stream().map(Member::describe).collect(Collectors.joining("\n"));
    }

    /** Ends every member ever started here, all at once. */
    @Override
    public void close() {
        everyone(Member::close, "close-");
        members.clear();
        everyone.clear();
    }

    /**
     * Crashes every member still in the ring, all at once, before {@link #close()}: for a ring of
     * hundreds in this JVM, a goodbye from each at once is a storm of views, elections and links
     * (300 nodes ran out of file descriptors in it, and said so in thousands of lines), where
     * nothing is measured any more.
     */
    void crashAll() {
        java.util.Set<Member> left = java.util.Set.copyOf(members);
        members.clear();
        everyone(m -> {
            if (left.contains(m)) {
                m.ask("crash");
            }
        }, "crash-");
    }

    private void everyone(java.util.function.Consumer<Member> action, String threadName) {
        List<Thread> threads = new ArrayList<>();
        for (Member m : everyone) {
            Thread t = new Thread(() -> action.accept(m), threadName + m.name());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
