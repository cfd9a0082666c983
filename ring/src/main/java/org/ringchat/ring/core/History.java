package org.ringchat.ring.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.NodeAddress;

/**
 * The ordered chat history one member holds, and the gate that delivers messages exactly once and
 * in sequence order: a message whose number is already delivered is a duplicate and dropped; one
 * that arrives early waits until the gap before it is filled.
 *
 * <p>It also remembers, for every sender, the highest message id ordered from it, which is how a
 * leader recognises a message submitted again after a failover.
 */
public final class History {

    private final int limit;
    private final ArrayDeque<ChatDeliver> entries = new ArrayDeque<>();
    private final TreeMap<Long, ChatDeliver> early = new TreeMap<>();
    /** Per sender, the highest message id ordered from it: a holder, not a boxed Long a message. */
    private final Map<NodeAddress, long[]> lastMsgId = new HashMap<>();
    private long delivered;
    /** The first waiting message when the gap was last looked at, or -1. */
    private long gapSeen = -1;

    /** @param limit how many delivered messages to keep */
    public History(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
    }

    /** Number of the last message delivered (0 before the first). */
    public long delivered() {
        return delivered;
    }

    /**
     * Starts a joiner's history at the leader's: these messages count as delivered (the joiner
     * was not there to see them) and are kept for a later leader's catch-up. Returns the messages
     * that waited here and follow on from it, now deliverable.
     */
    public List<ChatDeliver> startFrom(List<ChatDeliver> leaderHistory) {
        for (ChatDeliver d : leaderHistory) {
            if (d.seq() > delivered) {
                delivered = d.seq();
                record(d);
            }
        }
        early.headMap(delivered, true).clear();
        return drain(new ArrayList<>());
    }

    /**
     * Forgets delivered messages numbered above {@code seq}: they were ordered here but never
     * shown or sent (a leader stopped in between), and the ring has numbered others since.
     */
    public void rewindTo(long seq) {
        while (!entries.isEmpty() && entries.peekLast().seq() > seq) {
            ChatDeliver gone = entries.removeLast();
            // ids from a sender are ordered in sequence: the forgotten one and those after it are not ordered
            lastMsgIdOf(gone.sender().address())[0] = gone.msgId() - 1;
        }
        delivered = Math.min(delivered, seq);
        early.clear();
    }

    /**
     * Forgets the messages waiting for a gap to close. A new leader's catch-up calls this: they
     * were numbered by the lost leader, and the new one numbers from the last message the ring
     * has in common, which may fill the gap with messages of its own. Those of them that a
     * survivor delivered reach this node again with the catch-up.
     */
    public void dropWaiting() {
        early.clear();
        gapSeen = -1;
    }

    /**
     * Forgets every message held or waiting and starts again after {@code seq}: this node took
     * another numbering (it rejoined a piece of the ring that numbered differently), whose
     * messages it accepts from here. The highest ids ordered per sender stay: those lines were
     * ordered, if elsewhere.
     */
    public void restartAt(long seq) {
        entries.clear();
        early.clear();
        gapSeen = -1;
        delivered = seq;
    }

    /** Moves past a gap nobody can fill any more; returns what became deliverable after it. */
    public List<ChatDeliver> skipTo(long seq) {
        if (seq <= delivered) {
            return List.of();
        }
        delivered = seq;
        early.headMap(seq, true).clear();
        return drain(new ArrayList<>());
    }

    /**
     * Offers one ordered message. Returns the messages now deliverable, in order: empty for a
     * duplicate or an early message, possibly several when this one fills a gap.
     */
    public List<ChatDeliver> accept(ChatDeliver message) {
        if (message.seq() <= delivered || !early.isEmpty() && early.containsKey(message.seq())) {
            return List.of();
        }
        if (message.seq() > delivered + 1) {
            early.put(message.seq(), message);
            return List.of();
        }
        List<ChatDeliver> out = new ArrayList<>();
        deliver(message, out);
        return drain(out);
    }

    private List<ChatDeliver> drain(List<ChatDeliver> out) {
        while (!early.isEmpty() && early.firstKey() == delivered + 1) {
            deliver(early.pollFirstEntry().getValue(), out);
        }
        return out;
    }

    private void deliver(ChatDeliver message, List<ChatDeliver> out) {
        delivered = message.seq();
        record(message);
        out.add(message);
    }

    private void record(ChatDeliver message) {
        entries.addLast(message);
        if (entries.size() > limit) {
            entries.removeFirst();
        }
        long[] last = lastMsgIdOf(message.sender().address());
        last[0] = Math.max(last[0], message.msgId());
    }

    private long[] lastMsgIdOf(NodeAddress sender) {
        return lastMsgId.computeIfAbsent(sender, s -> new long[1]);
    }

    /** Highest message id ordered from {@code sender}, 0 if none. */
    public long lastMsgId(NodeAddress sender) {
        long[] last = lastMsgId.get(sender);
        return last == null ? 0 : last[0];
    }

    /** True when {@code sender}'s message {@code msgId} was already ordered. */
    public boolean isOrdered(NodeAddress sender, long msgId) {
        return msgId <= lastMsgId(sender);
    }

    /** Delivered messages numbered above {@code seq}, oldest first (as far as the history reaches). */
    public List<ChatDeliver> after(long seq) {
        List<ChatDeliver> out = new ArrayList<>();
        Iterator<ChatDeliver> it = entries.descendingIterator();
        while (it.hasNext()) {
            ChatDeliver d = it.next();
            if (d.seq() <= seq) {
                break;
            }
            out.add(d);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** Whether a message held here was ordered in {@code term}. */
    public boolean holdsTerm(long term) {
        for (ChatDeliver d : entries) {
            if (d.term() == term) {
                return true;
            }
        }
        return false;
    }

    /** The last {@code n} delivered messages, oldest first. */
    public List<ChatDeliver> tail(int n) {
        return after(Math.max(0, delivered - n));
    }

    /** Lowest sequence number still held, or {@code delivered + 1} when empty. */
    public long oldestHeld() {
        return entries.isEmpty() ? delivered + 1 : entries.peekFirst().seq();
    }

    /** Number of the first message waiting for a gap to close, or -1. */
    public long firstWaiting() {
        return early.isEmpty() ? -1 : early.firstKey();
    }

    /** Messages waiting for a gap to close. */
    public int waiting() {
        return early.size();
    }

    /**
     * Called at a steady pace (every heartbeat): true when the same gap was open the last time
     * too, so the messages it lacks are not merely on their way but lost and must be asked for.
     */
    public boolean gapStuck() {
        long first = firstWaiting();
        boolean stuck = first >= 0 && first == gapSeen;
        gapSeen = first;
        return stuck;
    }
}
