package org.ringchat.app.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one member delivered of a workload's messages ({@link BenchText} ids {@code first..first+expected-1};
 * every workload of a ring has ids of its own, so that a late delivery of an earlier one's message is no match):
 * how many, which twice, in what order (a digest of the sequence numbers and ids in delivery
 * order) and when. Fed by one thread (the node's, or the reader of a process's stdout) and read
 * by another, hence synchronized; the cost is an uncontended lock per delivery.
 *
 * <p>{@link #delivered} runs inside the measured node's receive path, and the JIT compiles it
 * into that path. So it has no branch that is taken once a workload (the first delivery, the
 * last): the JIT compiles such a branch, never seen taken, as a trap, and taking it at the next
 * workload's start or end threw away the node's compiled receive path, to be recompiled, 0.5–2 s
 * of a compiler thread, during the measured burst (issue 10). So the last delivery's time is
 * written at every delivery (the first one's was never used), and {@link #awaitComplete} looks
 * at the count every {@link #AWAIT_CHECK_MS} ms instead of being woken by the last delivery.
 */
final class DeliveryRecord {

    /** FNV-1a's 64-bit offset basis and prime: the digest of the delivered order. */
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /**
     * How often {@link #awaitComplete} looks whether every message arrived: a wake-up of a thread
     * in this process, next to nothing; the times it reports are the deliveries' own.
     */
    static final long AWAIT_CHECK_MS = 5;

    private long first;
    private int expected;
    /** {@link System#nanoTime()} when each id was delivered here; 0 while it was not. */
    private long[] deliveredAt = new long[0];
    /** {@link System#nanoTime()} when each id was handed to the node here (by its sender); 0 otherwise. */
    private long[] sentAt = new long[0];
    private long delivered;
    private long duplicates;
    private long foreign;
    /** The first foreign message's id (-1: not a bench text) and sequence number. */
    private long foreignId = -1;
    private long foreignSeq = -1;
    private long disorder;
    private long lastSeq = Long.MIN_VALUE;
    private long digest = FNV_OFFSET;
    private long lastAt;

    /** Forgets everything and expects ids {@code first..first+total-1}. */
    synchronized void expect(long first, int total) {
        this.first = first;
        expected = total;
        deliveredAt = new long[total];
        sentAt = new long[total];
        delivered = 0;
        duplicates = 0;
        foreign = 0;
        foreignId = -1;
        foreignSeq = -1;
        disorder = 0;
        lastSeq = Long.MIN_VALUE;
        digest = FNV_OFFSET;
        lastAt = 0;
    }

    /** A chat message delivered here at {@code nanos}, {@code seq} its place in the ring's order. */
    void delivered(long seq, String text, long nanos) {
        deliveredId(seq, BenchText.id(text), nanos);
    }

    /** {@link #delivered}, given the id of its text ({@link BenchText#id}; -1: not a bench text). */
    synchronized void deliveredId(long seq, long textId, long nanos) {
        long id = textId - first;
        if (textId < 0 || id < 0 || id >= expected) {
            if (foreign++ == 0) {
                foreignId = textId;
                foreignSeq = seq;
            }
            return;
        }
        if (seq <= lastSeq) {
            disorder++;
        }
        lastSeq = seq;
        digest = mix(mix(digest, seq), id);
        if (deliveredAt[(int) id] != 0) {
            duplicates++;
            return;
        }
        deliveredAt[(int) id] = nanos;
        delivered++;
        lastAt = nanos;
    }

    /** This member is about to hand message {@code id} to its node. */
    synchronized void sent(long id, long nanos) {
        id -= first;
        if (id >= 0 && id < expected) {
            sentAt[(int) id] = nanos;
        }
    }

    /**
     * Waits until every expected message was delivered here, or {@code timeoutMs} passed; the
     * summary then. The driver waits so rather than asking again and again while a workload
     * runs, which would take CPU from the nodes it measures.
     */
    synchronized DeliverySummary awaitComplete(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (long left = deadline - System.nanoTime(); delivered < expected && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.min(AWAIT_CHECK_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
        return summary();
    }

    synchronized DeliverySummary summary() {
        return new DeliverySummary(expected, delivered, duplicates, foreign, disorder, digest, lastAt, foreignId,
                foreignSeq);
    }

    /** When each id was delivered here, the first one's first (0: not delivered). */
    synchronized long[] deliveredTimes() {
        return Arrays.copyOf(deliveredAt, deliveredAt.length);
    }

    /** When each id was sent from here, the first one's first (0: not sent from here). */
    synchronized long[] sentTimes() {
        return Arrays.copyOf(sentAt, sentAt.length);
    }

    /** Per id, the latest member's delivery time minus the send time; ids someone did not deliver are left out. */
    static long[] latencies(List<long[]> delivered, long[] sent) {
        long[] out = new long[sent.length];
        int n = 0;
        for (int id = 0; id < sent.length; id++) {
            long last = 0;
            boolean everywhere = sent[id] != 0;
            for (long[] times : delivered) {
                everywhere &= id < times.length && times[id] != 0;
                last = everywhere ? Math.max(last, times[id]) : last;
            }
            if (everywhere) {
                out[n++] = last - sent[id];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The non-zero entries of several senders' send times, in one array. */
    static long[] merge(List<long[]> sentTimes) {
        int length = sentTimes.stream().mapToInt(t -> t.length).max().orElse(0);
        long[] merged = new long[length];
        for (long[] times : sentTimes) {
            for (int i = 0; i < times.length; i++) {
                if (times[i] != 0) {
                    merged[i] = times[i];
                }
            }
        }
        return merged;
    }

    private static long mix(long hash, long value) {
        for (int i = 0; i < 8; i++) {
            hash = (hash ^ (value & 0xff)) * FNV_PRIME;
            value >>>= 8;
        }
        return hash;
    }
}
