package org.ringchat.ring;

import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ringchat.ring.core.Outgoing;

/**
 * Chat lines handed to {@link RingNode#send} on other threads, until the node has room for them in
 * its send window: the one buffer between a fast caller and the ring, and so its back-pressure.
 * The node takes lines only as its window lets it ({@link #drainTo}); a caller that gets this far
 * ahead waits in {@link #put}.
 *
 * <p>The node is woken for a new line only when it asked for more than it found (it has room in
 * its window and nothing to fill it with), so a caller blocked on a full window costs the node
 * nothing; when the window opens, the node takes the waiting lines itself, in the same turn.
 */
final class TypedLines {

    private final int capacity;
    private final BlockingQueue<Outgoing.Line> queue;
    /** The node found fewer lines than it had room for, and no wake-up is on its way. */
    private final AtomicBoolean hungry = new AtomicBoolean(true);

    TypedLines(int capacity) {
        this.capacity = capacity;
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    /** Another thread: adds a line, waiting while the queue is full; returns whether to wake the node. */
    boolean put(Outgoing.Line line) throws InterruptedException {
        queue.put(line);
        return hungry.compareAndSet(true, false);
    }

    /** The node's own thread (which must never wait): adds a line if there is room. */
    boolean offer(Outgoing.Line line) {
        if (!queue.offer(line)) {
            throw new IllegalStateException(capacity + " lines are already waiting to be sent");
        }
        return hungry.compareAndSet(true, false);
    }

    /**
     * The node's thread: moves up to {@code max} lines, oldest first, to {@code out}; returns how
     * many. When there were fewer, the next line added wakes the node.
     */
    int drainTo(Collection<? super Outgoing.Line> out, int max) {
        int n = queue.drainTo(out, max);
        if (n < max) {
            hungry.set(true);
            n += queue.drainTo(out, max - n); // one added between the two: taken now, not lost
        }
        return n;
    }

    /** The node's thread: the next line added wakes the node, whether or not it has room now. */
    void wakeForNext() {
        hungry.set(true);
    }

    int size() {
        return queue.size();
    }
}
