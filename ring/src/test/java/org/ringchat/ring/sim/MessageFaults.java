package org.ringchat.ring.sim;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;

/**
 * Faults aimed at one message type, on every path: dropping a share of its frames (each drop
 * resets its connection, see {@link SimNetwork}) or delaying it. Keyed by the type's wire name,
 * never by a Class (identity hash codes would make iteration depend on the JVM run).
 */
final class MessageFaults {

    private final SplittableRandom random;
    private final Trace trace;
    private final Map<String, Double> drop = new TreeMap<>();
    private final Map<String, Long> delayUs = new TreeMap<>();

    MessageFaults(SplittableRandom random, Trace trace) {
        this.random = random;
        this.trace = trace;
    }

    void drop(String type, double probability) {
        drop.merge(type, probability, Math::max);
    }

    void stopDropping(String type) {
        drop.remove(type);
    }

    void delay(String type, long ms) {
        delayUs.merge(type, ms * 1000, Long::sum);
    }

    void stopDelaying(String type, long ms) {
        delayUs.computeIfPresent(type, (t, us) -> us - ms * 1000 <= 0 ? null : us - ms * 1000);
    }

    void clear() {
        drop.clear();
        delayUs.clear();
    }

    long extraDelayUs(Envelope e) {
        if (delayUs.isEmpty()) {
            return 0;
        }
        return delayUs.getOrDefault(faultType(e), 0L);
    }

    /**
     * The type a fault on {@code e} is drawn for: a view written as a change counts as the view it
     * says ({@code MembershipUpdate}), so that the plans drawn from a seed, and what they hit, are
     * the same as before the change existed.
     */
    private static String faultType(Envelope e) {
        return e.message() instanceof Message.MembershipChange ? "MembershipUpdate" : e.type();
    }

    /** Whether this frame is dropped; draws from the seed only for a type being dropped. */
    boolean drops(Envelope e, String path) {
        if (drop.isEmpty()) {
            return false;
        }
        Double p = drop.get(faultType(e));
        if (p == null || random.nextDouble() >= p) {
            return false;
        }
        if (trace.on()) {
            trace.log("net  dropped " + e.type() + " " + path + " and reset that connection");
        }
        return true;
    }
}
