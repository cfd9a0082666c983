package org.ringchat.app.bench;

import java.util.Locale;

/**
 * One member's account of a workload: the line a worker process sends back for {@code report}.
 *
 * @param expected how many messages the workload sent
 * @param delivered distinct messages of the workload delivered
 * @param duplicates deliveries of a message already delivered
 * @param foreign chat messages delivered that the workload did not send
 * @param disorder deliveries whose sequence number was not above the one before
 * @param digest of the sequence numbers and ids in delivery order: equal at members that delivered the same sequence
 * @param lastAt {@link System#nanoTime()} of the last new delivery (0: none)
 * @param foreignId the first foreign message's bench id (-1: none, or a text the bench did not write)
 * @param foreignSeq the first foreign message's sequence number (-1: none)
 */
record DeliverySummary(int expected, long delivered, long duplicates, long foreign, long disorder, long digest,
        long lastAt, long foreignId, long foreignSeq) {

    static final String PREFIX = "summary";

    /** Every message delivered, none twice. */
    boolean complete() {
        return delivered == expected;
    }

    /** {@code summary <expected> <delivered> ... <lastAt>}: the reply to {@code report}. */
    String line() {
        return String.format(Locale.ROOT, "%s %d %d %d %d %d %016x %d %d %d", PREFIX, expected, delivered,
                duplicates, foreign, disorder, digest, lastAt, foreignId, foreignSeq);
    }

    /** Reads {@link #line()}. */
    static DeliverySummary parse(String line) {
        String[] f = line.split(" ");
        if (f.length != 10 || !f[0].equals(PREFIX)) {
            throw new IllegalArgumentException("not a summary: " + line);
        }
        return new DeliverySummary(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseUnsignedLong(f[6], 16), Long.parseLong(f[7]),
                Long.parseLong(f[8]), Long.parseLong(f[9]));
    }
}
