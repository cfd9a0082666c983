package org.ringchat.ring.sim;

import org.ringchat.ring.transport.NodeExecutor;

/**
 * One thing to do at one virtual instant: a node's step (owner set) or the network's or the
 * driver's (owner null). Ordered by time, then by the order tasks were created, so that equal
 * times never depend on anything but the seed.
 */
final class SimTask implements Comparable<SimTask>, NodeExecutor.Cancellable {

    final long timeUs;
    final long seq;
    final SimExecutor owner;
    final Runnable action;
    private boolean cancelled;

    SimTask(long timeUs, long seq, SimExecutor owner, Runnable action) {
        this.timeUs = timeUs;
        this.seq = seq;
        this.owner = owner;
        this.action = action;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    @Override
    public int compareTo(SimTask o) {
        int c = Long.compare(timeUs, o.timeUs);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
