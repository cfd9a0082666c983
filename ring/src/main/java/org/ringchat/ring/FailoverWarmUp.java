package org.ringchat.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.transport.NodeExecutor;

/**
 * A rehearsal of a failover, once per JVM, on a thread of its own: a ring of {@link #MEMBERS}
 * real nodes on an in-memory network ({@link WarmUpWire}) in virtual time forms, carries a line,
 * loses its leader to a crash, elects, catches up and carries a line again, then a second time.
 * A member that never lived through a failover runs that code for the first time when its leader
 * dies: classes loaded, call sites linked, the interpreter, a few milliseconds a step, tens of
 * them in all, and the newest member of a ring sits on the election's path (it is the leader's
 * previous) and often sent the line that waits for the new leader (docs/failover-timing.md). The
 * rehearsal's nodes log nothing, open no socket and touch no other node; the run stops after
 * {@link #MAX_STEPS} tasks or {@link #MAX_VIRTUAL_MS} of virtual time, whichever comes first, and
 * whatever it reached then warmed what it ran.
 */
final class FailoverWarmUp {

    /** Members of the rehearsal's ring: a leader, its next (who wins), and two more. */
    static final int MEMBERS = 4;
    /** Virtual time the rehearsal may take; it needs none (nothing in it waits for a timer). */
    static final long MAX_VIRTUAL_MS = 60_000;
    /** Tasks the rehearsal may run; it needs about 90. */
    static final int MAX_STEPS = 200_000;

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final List<RingNode> nodes = new ArrayList<>();
    private final List<Box> boxes = new ArrayList<>();
    private final List<WarmUpWire> wires = new ArrayList<>();
    private final WarmUpWire.Network network = new WarmUpWire.Network();
    private long nowMs;
    private long seq;
    private int steps;
    private Box running;

    FailoverWarmUp() {
    }

    /** Whether {@link #run} has been called in this JVM. */
    static boolean started() {
        return STARTED.get();
    }

    /**
     * Runs the rehearsal once per JVM (later calls return at once) on the caller's thread; true
     * when it got through both failovers. Never throws.
     */
    static boolean run() {
        if (!STARTED.compareAndSet(false, true)) {
            return false;
        }
        try {
            return new FailoverWarmUp().rehearse();
        } catch (RuntimeException | LinkageError e) {
            return false; // a warm-up: whatever it ran is warm
        }
    }

    /** Both failovers, on this thread; true when the last survivors agree on their leader. */
    boolean rehearse() {
        for (int i = 0; i < MEMBERS; i++) {
            NodeAddress address = new NodeAddress("127.0.0.1", 1 + i);
            RingConfig.Builder config = RingConfig.builder("warm-up-" + (char) ('a' + i)).address(address);
            if (i > 0) {
                config.joinVia(nodes.get(0).address());
            }
            Box box = new Box();
            WarmUpWire wire = new WarmUpWire(network, box, address);
            boxes.add(box);
            wires.add(wire);
            nodes.add(RingNode.start(config.build(), RingListener.NONE, wire, box));
            if (!runUntil(() -> nodes.get(nodes.size() - 1).joined().isDone())) {
                return false;
            }
        }
        try {
            return line(MEMBERS - 1, "before") && failover(0) && failover(1);
        } finally {
            for (int i = 0; i < MEMBERS; i++) {
                boxes.get(i).dead = true;
                wires.get(i).close();
            }
        }
    }

    /** Crashes member {@code leader}, the leader; the newest member sends a line at once; true once every survivor shows it. */
    private boolean failover(int leader) {
        boxes.get(leader).dead = true;
        wires.get(leader).close();
        NodeAddress next = nodes.get(leader + 1).address();
        int newest = MEMBERS - 1;
        return line(newest, "after " + leader)
                && runUntil(() -> survivorsFrom(leader + 1).allMatch(n -> n.view().status() == Status.MEMBER
                        && n.view().leader().address().equals(next)));
    }

    private java.util.stream.Stream<RingNode> survivorsFrom(int first) {
        return nodes.subList(first, MEMBERS).stream();
    }

    /** Member {@code from} sends {@code text}; true once it came back to it, ordered. */
    private boolean line(int from, String text) {
        RingNode sender = nodes.get(from);
        long before = sender.view().deliveredSeq();
        boxes.get(from).execute(() -> sender.send(text));
        return runUntil(() -> sender.view().deliveredSeq() > before && sender.view().unconfirmed() == 0);
    }

    /** Runs tasks in virtual time until {@code done}; false if the budget ran out first. */
    private boolean runUntil(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            Task t = queue.poll();
            if (t == null || t.dueMs > MAX_VIRTUAL_MS || ++steps > MAX_STEPS) {
                return false;
            }
            nowMs = Math.max(nowMs, t.dueMs);
            if (!t.cancelled && !t.box.dead) {
                running = t.box;
                try {
                    t.action.run();
                } finally {
                    running = null;
                }
            }
        }
        return true;
    }

    /** A task in virtual time, in due order, then in the order it was queued. */
    private static final class Task implements Comparable<Task>, NodeExecutor.Cancellable {
        final long dueMs;
        final long seq;
        final Box box;
        final Runnable action;
        boolean cancelled;

        Task(long dueMs, long seq, Box box, Runnable action) {
            this.dueMs = dueMs;
            this.seq = seq;
            this.box = box;
            this.action = action;
        }

        @Override
        public int compareTo(Task o) {
            return dueMs != o.dueMs ? Long.compare(dueMs, o.dueMs) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** One node's thread in the rehearsal's virtual time; a crashed node's tasks are dropped. */
    final class Box implements NodeExecutor {
        boolean dead;

        @Override
        public long nowMs() {
            return nowMs;
        }

        @Override
        public void execute(Runnable task) {
            queue.add(new Task(nowMs, seq++, this, task));
        }

        @Override
        public Cancellable schedule(long delayMs, Runnable task) {
            Task t = new Task(nowMs + Math.max(0, delayMs), seq++, this, task);
            queue.add(t);
            return t;
        }

        @Override
        public boolean inNodeThread() {
            return running == this;
        }

        @Override
        public boolean logs() {
            return false;
        }
    }
}
