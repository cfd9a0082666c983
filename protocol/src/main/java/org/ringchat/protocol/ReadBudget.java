package org.ringchat.protocol;

/**
 * The bytes all of a node's connections may hold in frames not yet complete, shared by their
 * {@link FrameDecoder}s. Without it, a few hundred connections each sending most of a maximum
 * frame and then nothing make the node hold hundreds of MB. Used on one thread (the node's
 * event loop runs every connection), so it needs no lock.
 */
public final class ReadBudget {

    private final long maxBytes;
    private long used;

    /** @param maxBytes total bytes of unfinished frames all connections may hold */
    public ReadBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A connection now holds {@code delta} more (or fewer) bytes; false when that goes over the budget. */
    boolean change(long delta) {
        used += delta;
        return used <= maxBytes;
    }

    public long used() {
        return used;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** No limit: for tests and tools that decode frames outside a node. */
    public static ReadBudget unlimited() {
        return new ReadBudget(Long.MAX_VALUE);
    }
}
