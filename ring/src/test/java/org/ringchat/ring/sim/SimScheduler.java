package org.ringchat.ring.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for a whole simulation: one queue of tasks ordered by (time, creation order),
 * run one at a time on the caller's thread. Time is in microseconds so that sub-millisecond link
 * latencies still order frames; nodes read it in milliseconds through their {@link SimExecutor}.
 */
final class SimScheduler {

    /** Told after every step a node took (for invariants that watch every state change). */
    interface StepObserver {
        void afterStep(SimExecutor owner);
    }

    /**
     * Steps at one virtual instant beyond which a run counts as a busy loop: real tasks take
     * time, so a node that keeps queueing work for "now" would spin a real CPU forever, while
     * here it would stop time.
     */
    static final int SPIN_LIMIT = 100_000;

    private final PriorityQueue<SimTask> queue = new PriorityQueue<>();
    private long nowUs;
    private long created;
    private long steps;
    private SimExecutor running;
    private StepObserver observer = owner -> { };
    private Throwable escaped;
    private int stepsThisInstant;
    private String spinning;

    long nowUs() {
        return nowUs;
    }

    long steps() {
        return steps;
    }

    void observe(StepObserver observer) {
        this.observer = observer;
    }

    /** The node whose step is running now, or null for the network and the driver. */
    SimExecutor running() {
        return running;
    }

    /** An exception that escaped a task (the node's own steps are guarded; anything else is a sim bug). */
    Throwable escaped() {
        return escaped;
    }

    /** Which node (or "network") spun in place, if one did; see {@link #SPIN_LIMIT}. */
    String spinning() {
        return spinning;
    }

    SimTask at(long timeUs, SimExecutor owner, Runnable action) {
        SimTask task = new SimTask(Math.max(timeUs, nowUs), created++, owner, action);
        queue.add(task);
        return task;
    }

    /**
     * Runs again now a task a paused node held, in its original creation order, so that it goes
     * before every task queued for the node after it (a thread's queue is first in, first out:
     * a line handed to a paused node, then a burst, go out in that order when it resumes).
     */
    SimTask again(SimTask held, Runnable action) {
        SimTask task = new SimTask(nowUs, held.seq, held.owner, action);
        queue.add(task);
        return task;
    }

    SimTask after(long delayUs, SimExecutor owner, Runnable action) {
        return at(nowUs + delayUs, owner, action);
    }

    /**
     * Runs every task due up to {@code untilUs}, stopping early as soon as {@code stop} holds
     * (checked after each step). The clock ends at {@code untilUs} unless stopped early.
     */
    void runUntil(long untilUs, BooleanSupplier stop) {
        while (!queue.isEmpty() && queue.peek().timeUs <= untilUs) {
            SimTask task = queue.poll();
            if (task.cancelled()) {
                continue;
            }
            stepsThisInstant = task.timeUs == nowUs ? stepsThisInstant + 1 : 0;
            nowUs = task.timeUs;
            if (stepsThisInstant > SPIN_LIMIT) {
                spinning = task.owner == null ? "the network or the driver" : task.owner.name;
                return;
            }
            if (task.owner != null && !task.owner.admit(task)) {
                continue; // held by a paused node, or dropped by a crashed one
            }
            run(task);
            if (stop.getAsBoolean()) {
                return;
            }
        }
        nowUs = Math.max(nowUs, untilUs);
    }

    private void run(SimTask task) {
        running = task.owner;
        steps++;
        try {
            task.action.run();
        } catch (RuntimeException | AssertionError e) {
            if (escaped == null) {
                escaped = e;
            }
        } finally {
            running = null;
        }
        if (task.owner != null) {
            observer.afterStep(task.owner);
        }
    }
}
