package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingListener;

/**
 * Everything one node told its user, in call order, and the per-node invariants checked as it
 * happens: deliveries without gaps or repeats, each sender's lines in its order, and a Lamport
 * time that never goes back.
 */
final class NodeLog implements RingListener {

    private final SimNode node;
    private final Invariants invariants;
    private final Trace trace;
    private final List<ChatMessage> chats = new ArrayList<>();
    private final Set<String> texts = new HashSet<>();
    /** Highest line counter delivered here, per sender name. */
    private final Map<String, Integer> lastCounter = new HashMap<>();
    /** This node's own lines as it saw them ordered. */
    private final List<ChatMessage> ownOrdered = new ArrayList<>();
    private long lastLamport = -1;

    NodeLog(SimNode node, Invariants invariants, Trace trace) {
        this.node = node;
        this.invariants = invariants;
        this.trace = trace;
    }

    @Override
    public void onChat(ChatMessage m) {
        if (trace.on()) {
            trace.log(node.name + " delivers #" + m.seq() + " " + m.text() + " stamp " + m.stamp() + " T" + m.lamport());
        }
        lamport(m.lamport(), "delivery of #" + m.seq());
        if (!chats.isEmpty() && m.seq() != last().seq() + 1) {
            invariants.fail("2 no loss", node + " delivered #" + m.seq() + " right after #" + last().seq());
        }
        if (!texts.add(m.text())) {
            invariants.fail("2 exactly once", node + " delivered " + m.text() + " twice (again as #" + m.seq() + ")");
        }
        order(m);
        chats.add(m);
        if (m.sender().name().equals(node.name)) {
            ownOrdered.add(m);
        }
        invariants.delivered(node, m);
    }

    private void order(ChatMessage m) {
        String sender = m.sender().name();
        int counter = counter(m.text());
        Integer before = lastCounter.put(sender, counter);
        if (before != null && counter != before + 1) {
            invariants.fail("3 order", node + " delivered " + m.text() + " (#" + m.seq() + ") after "
                    + sender + "#" + before);
        }
    }

    /** The counter of a line {@code name#counter}. */
    static int counter(String text) {
        return Integer.parseInt(text.substring(text.indexOf('#') + 1));
    }

    @Override
    public void onEvent(RingEvent e) {
        if (trace.on()) {
            trace.log(node.name + " event " + e.kind() + " T" + e.lamport() + ": " + e.text());
        }
        lamport(e.lamport(), e.kind() + " event");
        if ((e.kind() == RingEvent.Kind.REMOVED || e.kind() == RingEvent.Kind.LEADER) && invariants.split()) {
            // after a split, a node rejoining, or following a new leader, may go over to the other
            // side's ring and history, which merging (not designed yet) would reconcile with its
            // own: its per-sender checks start afresh
            texts.clear();
            lastCounter.clear();
        }
    }

    private void lamport(long t, String what) {
        if (t < lastLamport) {
            invariants.fail("5 clock", node + "'s Lamport time went back from " + lastLamport + " to " + t + " at " + what);
        }
        lastLamport = t;
    }

    private ChatMessage last() {
        return chats.get(chats.size() - 1);
    }

    List<ChatMessage> chats() {
        return chats;
    }

    boolean delivered(String text) {
        return texts.contains(text);
    }

    List<ChatMessage> ownOrdered() {
        return ownOrdered;
    }

    /** The first message this node showed, or -1 if none. */
    long firstSeq() {
        return chats.isEmpty() ? -1 : chats.get(0).seq();
    }
}
