package org.ringchat.protocol;

/**
 * Lamport's logical clock. Not thread-safe: it belongs to the node's own thread.
 * <ul>
 *   <li>a local event (including sending) ticks: {@code t = t + 1};</li>
 *   <li>receiving a message stamped {@code r}: {@code t = max(t, r) + 1}.</li>
 * </ul>
 */
public final class LamportClock {

    /**
     * The largest time a frame may carry (2^53). A peer sending more is refused: taking its time
     * would push every clock in the ring towards overflow. A ring ticking a million times a
     * second needs 285 years to get there.
     */
    public static final long MAX = 1L << 53;

    private long time;

    public LamportClock() {
        this(0);
    }

    public LamportClock(long start) {
        if (start < 0) {
            throw new IllegalArgumentException("negative start");
        }
        this.time = start;
    }

    /** A local event; returns the new time. */
    public long tick() {
        return ++time;
    }

    /** A message stamped {@code received} arrived; returns the new time. */
    public long receive(long received) {
        time = Math.max(time, Math.min(received, MAX)) + 1;
        return time;
    }

    public long time() {
        return time;
    }
}
