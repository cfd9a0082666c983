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
    /** The longest run of numbers {@link #shownBefore} looks through. */
    private static final int MAX_SHOWN_GAP = 10_000;

    private final Set<String> texts = new HashSet<>();
    /** Every line this node ever showed, across merges and rejoins: what the final no-loss check reads. */
    private final Set<String> everShown = new HashSet<>();
    /**
     * Which numbering this node's deliveries are in: it changes when a merge renumbers what it
     * holds, or when a node removed after a split rejoins (maybe on the other side). Deliveries
     * of one node are compared with each other only within one numbering.
     */
    private int numbering;
    /** Virtual time of this node's first delivery (µs), or -1. */
    private long firstAtUs = -1;
    /** Highest line counter delivered here, per sender name. */
    private final Map<String, Integer> lastCounter = new HashMap<>();
    /** The same, for the merge block being shown. */
    private final Map<String, Integer> blockCounter = new HashMap<>();
    /** This node's own lines as it saw them ordered. */
    private final List<ChatMessage> ownOrdered = new ArrayList<>();
    private long lastLamport = -1;
    /**
     * Inside a merge's framed block ({@code * while split from …} to {@code * ring whole
     * again …}) the other side's lines come under the merged ring's numbers, skipping those this
     * node showed already under its own side's; after the block the numbering is the merged
     * ring's. So numbers are not checked for gaps from the block's first line to the first line
     * after it.
     */
    private boolean renumbering;
    private boolean inMergeBlock;

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
        if (!chats.isEmpty() && !renumbering && m.seq() != last().seq() + 1 && !shownBefore(last().seq() + 1, m.seq())) {
            invariants.fail("2 no loss", node + " delivered #" + m.seq() + " right after #" + last().seq());
        }
        everShown.add(m.text());
        if (!texts.add(m.text())) {
            invariants.fail("2 exactly once", node + " delivered " + m.text() + " twice (again as #" + m.seq() + ")");
        }
        order(m);
        chats.add(m);
        if (!inMergeBlock) {
            renumbering = false;
        }
        if (firstAtUs < 0) {
            firstAtUs = trace.nowUs();
        }
        if (m.sender().name().equals(node.name)) {
            ownOrdered.add(m);
        }
        invariants.delivered(node, m);
    }

    /**
     * Whether every number from {@code from} up to {@code to} (exclusive) holds a line this node
     * showed already, under another piece's number ({@code ChatHandling}'s lines shown elsewhere):
     * not shown again, they are no gap. Shown at any time: a node removed after a split that
     * showed its own lines while it led its piece, and carried them into the other side's ring,
     * skips them there too (seed 67680), though its per-numbering checks started afresh.
     */
    private boolean shownBefore(long from, long to) {
        if (to <= from || to - from > MAX_SHOWN_GAP) {
            return false;
        }
        for (long seq = from; seq < to; seq++) {
            if (!invariants.shownAs(seq, everShown)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Each sender's lines in its order: one after the other; after a split, only rising (a
     * sender's lines ordered in another piece come later, in that piece's merge block), and
     * within a merge block rising among the block's own lines.
     */
    private void order(ChatMessage m) {
        String sender = m.sender().name();
        int counter = counter(m.text());
        Map<String, Integer> run = inMergeBlock ? blockCounter : lastCounter;
        Integer before = run.put(sender, counter);
        boolean split = invariants.split();
        if (before != null && (split ? counter <= before : counter != before + 1)) {
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
        if (e.kind() == RingEvent.Kind.MERGED && e.text().startsWith("while split from")) {
            renumbering = true;
            inMergeBlock = true;
            numbering++;
        } else if (e.kind() == RingEvent.Kind.MERGED && e.text().startsWith("ring whole again")) {
            inMergeBlock = false;
            blockCounter.forEach((sender, c) -> lastCounter.merge(sender, c, Math::max));
            blockCounter.clear();
        }
        if (e.kind() == RingEvent.Kind.REMOVED && invariants.split()) {
            // after a split, a node removed and rejoining may go over to the other side's ring,
            // whose numbering differs from its own side's: its per-sender checks start afresh
            texts.clear();
            lastCounter.clear();
            renumbering = true;
            numbering++;
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
        return everShown.contains(text);
    }

    int numbering() {
        return numbering;
    }

    List<ChatMessage> ownOrdered() {
        return ownOrdered;
    }

    /** When this node showed its first message (virtual µs), or -1 if none. */
    long firstAtUs() {
        return firstAtUs;
    }

    /** The first message this node showed, or -1 if none. */
    long firstSeq() {
        return chats.isEmpty() ? -1 : chats.get(0).seq();
    }
}
