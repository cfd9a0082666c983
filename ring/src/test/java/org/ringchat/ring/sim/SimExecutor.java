package org.ringchat.ring.sim;

import java.util.ArrayDeque;
import org.ringchat.ring.transport.NodeExecutor;

/**
 * One node's thread in virtual time. A paused node holds the tasks that come due and runs them,
 * in order, when resumed (so its clock has jumped when it looks again, as after SIGSTOP); a
 * crashed node drops them. A clock jump moves only what this node reads, not when its timers fire.
 */
final class SimExecutor implements NodeExecutor {

    final int index;
    final String name;
    private final SimScheduler scheduler;
    private final ArrayDeque<SimTask> held = new ArrayDeque<>();
    private long clockOffsetMs;
    private int pauses;
    private boolean crashed;

    SimExecutor(int index, String name, SimScheduler scheduler) {
        this.index = index;
        this.name = name;
        this.scheduler = scheduler;
    }

    @Override
    public long nowMs() {
        return scheduler.nowUs() / 1000 + clockOffsetMs;
    }

    /** A wall clock in virtual time too, so that a seed's run is the same every time. */
    @Override
    public long wallClockMs() {
        return 1_767_225_600_000L + nowMs(); // 2026-01-01T00:00Z
    }

    @Override
    public void execute(Runnable task) {
        scheduler.at(scheduler.nowUs(), this, task);
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        return scheduler.after(Math.max(0, delayMs) * 1000, this, task);
    }

    @Override
    public boolean inNodeThread() {
        return scheduler.running() == this;
    }

    /** Whether a task that came due runs now; a paused node keeps it for later. */
    boolean admit(SimTask task) {
        if (crashed) {
            return false;
        }
        if (pauses > 0) {
            held.add(task);
            return false;
        }
        return true;
    }

    /** Pauses nest: overlapping pause faults resume the node when the last one ends. */
    void pause() {
        pauses++;
    }

    /** Returns true when this ended the last pause. */
    boolean resume() {
        if (pauses == 0) {
            return false;
        }
        if (--pauses > 0) {
            return false;
        }
        resumeAll();
        return true;
    }

    /** Ends every pause at once (the recovery phase). */
    boolean resumeAll() {
        boolean was = pauses > 0;
        pauses = 0;
        while (!held.isEmpty()) {
            SimTask t = held.poll();
            // the node may still cancel a held timer through the handle it has: the old task
            scheduler.again(t, () -> {
                if (!t.cancelled()) {
                    t.action.run();
                }
            });
        }
        return was;
    }

    boolean paused() {
        return pauses > 0;
    }

    void crash() {
        crashed = true;
        held.clear();
    }

    boolean crashed() {
        return crashed;
    }

    void jumpClock(long ms) {
        clockOffsetMs += ms;
    }

    long clockOffsetMs() {
        return clockOffsetMs;
    }
}
