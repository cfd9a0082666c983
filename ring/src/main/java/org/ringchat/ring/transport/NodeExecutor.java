package org.ringchat.ring.transport;

/**
 * The one thread a node runs on, and its clock. Everything a node does (handling a message, a
 * timer, a line to send) runs as a task here, one at a time, so the node's state needs no locks.
 * In production it is a Netty event loop ({@link EventLoopExecutor}); the simulator drives many
 * nodes from one thread in virtual time.
 */
public interface NodeExecutor {

    /** Milliseconds from a monotonic clock (may jump forward when the process was paused). */
    long nowMs();

    /** The wall clock, in milliseconds since the epoch: only for showing users when a line was ordered. */
    default long wallClockMs() {
        return System.currentTimeMillis();
    }

    /** Runs {@code task} on the node's thread, after what is running now. Safe from any thread. */
    void execute(Runnable task);

    /** Runs {@code task} on the node's thread in {@code delayMs} milliseconds, unless cancelled. */
    Cancellable schedule(long delayMs, Runnable task);

    /** True when called from the node's own thread. */
    boolean inNodeThread();

    /**
     * Whether the node on this thread writes its diagnostic log; false for the nodes of the
     * failover rehearsal a node runs as it starts, which live in the same process as the real one.
     */
    default boolean logs() {
        return true;
    }

    /** A scheduled task that has not run yet can be called off. */
    interface Cancellable {
        void cancel();
    }
}
