package org.ringchat.ring.sim;

import org.ringchat.protocol.Message.ChatDeliver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingView;

/**
 * The properties every run must keep, checked as the run goes (after every step a node takes)
 * and at its end. Per-node checks (no gaps, no repeats, sender order, Lamport time) live in
 * {@link NodeLog}; this class holds those that compare nodes: 1 agreement, 4 one leader per
 * term, the final no-loss check, and that no node's step threw. The first violation ends the run.
 *
 * <p>Once a partition has separated nodes, two nodes are not compared number by number (each
 * piece numbers its own messages until the pieces merge, and a merge renumbers one side's);
 * the final checks then compare what every node showed: every line once, everywhere.
 */
final class Invariants {

    /** A node's delivery of {@code message}, in the view it had then. */
    private record Seen(SimNode node, int numbering, String message, String text, RingView view) {
    }

    /** Another message at a number than {@code first}'s, delivered at {@code node} in {@code view}. */
    private record Conflict(Seen first, SimNode node, RingView view, String detail) {
    }

    /** A node that followed {@code leader} in a term, in a view of these members. */
    private record Claim(SimNode node, NodeAddress leader, java.util.Set<NodeAddress> members) {
    }

    private final Trace trace;
    private final BiPredicate<SimNode, SimNode> separated;
    private final java.util.function.BooleanSupplier split;
    private final Map<Long, List<Seen>> bySeq = new HashMap<>();
    private final Map<Long, List<Claim>> leaders = new HashMap<>();
    /** Conflicts found during the step under way, judged when it ends. */
    private final List<Conflict> pending = new ArrayList<>();
    /**
     * When each line was first ordered (virtual µs), whatever the numbering: the first time a
     * leader wrote it to a member or it was shown anywhere (a leader alone shows its orderings at once).
     */
    private final Map<String, Long> firstOrderedUs = new HashMap<>();
    private String violation;

    /**
     * @param separated whether two nodes may be on different sides now
     * @param split whether a fault has separated live nodes (two rings may exist)
     */
    Invariants(Trace trace, BiPredicate<SimNode, SimNode> separated, java.util.function.BooleanSupplier split) {
        this.trace = trace;
        this.separated = separated;
        this.split = split;
    }

    /** True once a fault has separated live nodes: a node may then move from one side's ring to the other's. */
    boolean split() {
        return split.getAsBoolean();
    }

    void fail(String invariant, String detail) {
        if (violation == null) {
            violation = invariant + ": " + detail;
            trace.log("VIOLATION " + violation);
        }
    }

    boolean failed() {
        return violation != null;
    }

    String violation() {
        return violation;
    }

    /** A leader wrote an ordered message to a member. */
    void ordered(ChatDeliver d) {
        firstOrderedUs.putIfAbsent(d.text(), trace.nowUs());
    }

    /**
     * 1 Agreement: the message at a seq is the same at every node that delivers that seq, but for
     * a node that delivers it after every node that showed another message there is gone, for
     * two nodes whose views then shared no member (two pieces, until they merge), and for a node
     * that showed the other's message there itself in a numbering it has left since (a merge
     * renumbered it; the other has not taken that merge yet).
     */
    void delivered(SimNode node, ChatMessage m) {
        firstOrderedUs.putIfAbsent(m.text(), trace.nowUs());
        String message = m.sender().name() + " id " + m.msgId() + " \"" + m.text() + "\" stamp " + m.stamp();
        RingView view = node.view();
        List<Seen> seen = bySeq.computeIfAbsent(m.seq(), s -> new ArrayList<>(2));
        for (Seen s : seen) {
            boolean renumbered = s.node == node && s.numbering != node.log.numbering();
            // this node showed the witness's message at this number itself, in a numbering it has
            // left since (a merge rewound it into another piece's): the witness, still in the
            // numbering both shared, takes the new one when it comes back (seed 396708: a member
            // of the absorbed piece, paused through the merge)
            boolean leftWitnessNumbering = movedOn(seen, node, s.message);
            // a node gone for good (crashed, or left) took its numbers with it: survivors that never
            // heard of a line whose every holder is gone may number that place otherwise (seed
            // 209644: the leader, the member that had the line and the one that had sent it all
            // gone while the last survivor was cut off from them); witnesses still running count
            boolean gone = !s.node.live();
            if (!s.message.equals(message) && !separated.test(s.node, node) && !renumbered && !leftWitnessNumbering && !gone) {
                // judged once this step is over: the views it leaves tell the pieces apart (a
                // node that comes to lead alone shows its own line before it adopts its view)
                pending.add(new Conflict(s, node, view, "#" + m.seq() + " is " + s.message + " at " + s.node
                        + " but " + message + " at " + node));
            }
        }
        for (Seen s : seen) {
            if (s.message.equals(message) && s.node == node && s.numbering == node.log.numbering()) {
                return; // already witnessed by this node in this numbering
            }
        }
        // every witness is kept, not one per message: one that goes leaves the others to compare
        seen.add(new Seen(node, node.log.numbering(), message, m.text(), view));
    }

    /** Whether {@code node} delivered {@code message} at this number in a numbering it has left since. */
    private static boolean movedOn(List<Seen> seen, SimNode node, String message) {
        for (Seen o : seen) {
            if (o.node == node && o.numbering != node.log.numbering() && o.message.equals(message)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether two views share a member. Two that share none are two pieces of the ring that each
     * took the other for crashed (a node woke from a pause to find every other member silent, and
     * led alone while they slept): no protocol without a quorum keeps them from numbering alike
     * until they merge, as 4 one leader allows them a term each (seed 266531: one member woke
     * to lead alone while the two others slept; one of those had delivered the number while
     * still catching up, in its old view, and adopted the view without that member just after).
     * Compared both as they were at the two deliveries and as they are when the second's step
     * ends; a view of no ring (a node removed, joining) is of every piece.
     */
    private static boolean samePiece(RingView a, RingView b) {
        if (!inRing(a) || !inRing(b)) {
            return true;
        }
        for (var m : a.members()) {
            for (var o : b.members()) {
                if (m.address().equals(o.address())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean inRing(RingView v) {
        return v.status() == RingView.Status.MEMBER || v.status() == RingView.Status.ELECTING;
    }

    /**
     * Whether the line some node delivered at {@code seq} is one of {@code shown}: a node that
     * showed a line under another piece's number and carried it into this numbering takes that
     * number without showing the line again, which is neither a loss nor a second delivery.
     */
    boolean shownAs(long seq, java.util.Set<String> shown) {
        List<Seen> seen = bySeq.get(seq);
        return seen != null && seen.stream().anyMatch(s -> shown.contains(s.text));
    }

    /** After each step of {@code node}: 1 agreement's pending conflicts, 4 one leader per term, and no step that threw. */
    void afterStep(SimNode node) {
        for (Conflict c : pending) {
            if (samePiece(c.first.view, c.view) && samePiece(c.first.node.view(), c.node.view())) {
                fail("1 agreement", c.detail);
            }
        }
        pending.clear();
        if (node.ring.handlerFailures() > 0) {
            fail("handler failure", node + " had " + node.ring.handlerFailures() + " step(s) throw (see the ERROR log)");
        }
        RingView v = node.view();
        if (v.status() != RingView.Status.MEMBER || v.leader() == null || split()) {
            return; // once split, each side numbers its own terms, and a node may move sides
        }
        NodeAddress leader = v.leader().address();
        List<Claim> claims = leaders.computeIfAbsent(v.term(), t -> new ArrayList<>(2));
        java.util.Set<NodeAddress> members = new java.util.HashSet<>();
        v.members().forEach(m -> members.add(m.address()));
        for (Claim c : claims) {
            // two leaders of one term in views with no member in common lead two pieces of the ring
            // that never knew they were split (each took the other for crashed): pieces reuse terms,
            // and a merge takes a term past both
            boolean samePiece = c.members.stream().anyMatch(members::contains);
            if (!c.leader.equals(leader) && !separated.test(c.node, node) && samePiece) {
                fail("4 one leader", "term " + v.term() + " has leader " + trace.name(c.leader) + " at " + c.node
                        + " and " + trace.name(leader) + " at " + node);
                return;
            }
        }
        for (Claim c : claims) {
            if (c.leader.equals(leader) && (c.node == node || !separated.test(c.node, node))) {
                return;
            }
        }
        claims.add(new Claim(node, leader, members));
    }

    /**
     * 2 No loss, at the end: every line a live sender saw ordered is delivered at every live
     * node that was there when it was ordered (its deliveries start at or before that seq; after
     * a split, whose pieces number apart until they merge, before that moment).
     */
    void noLoss(List<SimNode> live) {
        for (SimNode sender : live) {
            for (ChatMessage own : sender.log.ownOrdered()) {
                for (SimNode n : live) {
                    long first = n.log.firstSeq();
                    // two nodes that never took other numbers (a merge, a rejoin after a split) number alike:
                    // present means showing from that number on; otherwise, showing before it was ordered
                    boolean alike = !split() || sender.log.numbering() == 0 && n.log.numbering() == 0;
                    boolean absent = alike
                            ? first < 0 || first > own.seq()
                            : n.log.firstAtUs() < 0 || n.log.firstAtUs() > firstOrderedUs.get(own.text());
                    if (absent) {
                        continue;
                    }
                    if (!n.log.delivered(own.text())) {
                        fail("2 no loss", sender + " saw " + own.text() + " ordered as #" + own.seq() + " but "
                                + n + " (showing from #" + first + ") never delivered it");
                        return;
                    }
                }
            }
        }
    }
}
