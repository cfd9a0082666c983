package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringchat.protocol.Message.ChatSubmit;
import org.ringchat.protocol.NodeAddress;

/**
 * The leader's decision of what to order next. Each sender's messages are ordered strictly by
 * their ids, one after the other, exactly once: an id already ordered is a duplicate (a message
 * submitted again to a new leader), and an id that comes early (one before it was lost with a
 * dropped connection, or is still held) waits here for its turn instead of being dropped, so a
 * sender's later lines never stall behind a lost one. While the leader cannot order (catching up
 * after its election, or on probation after a pause) submissions are held, in arrival order.
 */
public final class Sequencer {

    public enum Phase {
        /** Orders what it is offered. */
        ORDERING,
        /** Holds everything until {@link #open()}. */
        HOLDING
    }

    /** A submission and who sent it. */
    public record Submission(NodeAddress from, ChatSubmit submit) {
    }

    private final int maxAhead;
    private final int maxHeld;
    private final Map<NodeAddress, TreeMap<Long, ChatSubmit>> early = new HashMap<>();
    private final List<Submission> held = new ArrayList<>();
    private final Map<NodeAddress, Integer> heldBySender = new HashMap<>();
    private Phase phase = Phase.HOLDING;

    /**
     * @param maxAhead how far beyond a sender's next id a submission may be and still wait for
     *     its turn (an honest sender never has more than its send window in flight)
     * @param maxHeld submissions held at most per sender while the leader cannot order (an
     *     honest sender never has more than its send window in flight); more are dropped
     */
    public Sequencer(int maxAhead, int maxHeld) {
        this.maxAhead = maxAhead;
        this.maxHeld = maxHeld;
    }

    /**
     * Offers a submission whose sender's last ordered id is {@code lastOrdered}. Returns what to
     * order now, in order: nothing (a duplicate, an early one, or holding), this one, or this one
     * followed by the sender's early ones it lets through.
     */
    public List<ChatSubmit> offer(NodeAddress from, ChatSubmit submit, long lastOrdered) {
        if (phase == Phase.HOLDING) {
            if (heldBySender.merge(from, 1, Integer::sum) <= maxHeld) {
                held.add(new Submission(from, submit));
            }
            return List.of();
        }
        long id = submit.msgId();
        if (id <= lastOrdered) {
            return List.of();
        }
        if (id > lastOrdered + 1) {
            if (id - lastOrdered <= maxAhead) {
                early.computeIfAbsent(from, k -> new TreeMap<>()).put(id, submit);
            }
            return List.of();
        }
        List<ChatSubmit> out = new ArrayList<>();
        out.add(submit);
        TreeMap<Long, ChatSubmit> waiting = early.get(from);
        if (waiting != null) {
            long next = id + 1;
            for (ChatSubmit s; (s = waiting.remove(next)) != null; next++) {
                out.add(s);
            }
            waiting.headMap(next).clear();
            if (waiting.isEmpty()) {
                early.remove(from);
            }
        }
        return out;
    }

    /** How far beyond a sender's next id a submission may be and still wait for its turn. */
    public int maxAhead() {
        return maxAhead;
    }

    /** {@code from}'s earliest submission waiting for its turn, or null. */
    public ChatSubmit firstEarly(NodeAddress from) {
        TreeMap<Long, ChatSubmit> waiting = early.get(from);
        return waiting == null || waiting.isEmpty() ? null : waiting.firstEntry().getValue();
    }

    /** Stops ordering: what is offered from now on is held. */
    public void hold() {
        phase = Phase.HOLDING;
    }

    /** Orders again; returns the held submissions, oldest first, to be offered again. */
    public List<Submission> open() {
        phase = Phase.ORDERING;
        List<Submission> out = List.copyOf(held);
        held.clear();
        heldBySender.clear();
        return out;
    }

    /** Not leading any more: forgets everything held or early (their senders submit them to the next leader). */
    public void reset() {
        phase = Phase.HOLDING;
        held.clear();
        heldBySender.clear();
        early.clear();
    }

    /** A sender left the ring: its early submissions will never be ordered. */
    public void forget(NodeAddress sender) {
        early.remove(sender);
    }

    /** Forgets the early submissions of every sender not in {@code members}. */
    public void retain(java.util.Collection<NodeAddress> members) {
        early.keySet().retainAll(members);
    }

    public Phase phase() {
        return phase;
    }

    public int heldCount() {
        return held.size();
    }

    public int earlyCount() {
        return early.values().stream().mapToInt(Map::size).sum();
    }
}
