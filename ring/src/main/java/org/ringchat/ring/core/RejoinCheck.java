package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringchat.protocol.Message.ChatDeliver;

/**
 * Whether a node back after a removal rejoined a ring that numbers messages as it does. After a
 * split each piece numbers on its own, and a removed member may rejoin through the other piece
 * ({@code docs/partitions.md}), whose numbers after the split mean other lines: taken as its own,
 * the member's last position would skip that piece's lines up to it, for good. So the rejoining
 * node asks for the history after its last delivery but one, and compares the leader's message
 * at its last position with its own: the same message, the same numbering; another (or none
 * where it has one), another piece's.
 *
 * <p>Another piece's, the node holds the lines its own piece ordered since the split, which the
 * new ring may lack: if its own piece dissolves into the new ring by rejoins instead of merging,
 * they would be lost there (seeds 3018, 7011, 9103). {@link #carry} says what the node hands over
 * to its new leader, as a piece of one merging ({@code docs/partitions.md}).
 */
public final class RejoinCheck {

    /** What the leader's first message after a rejoin says of its numbering. */
    public enum Verdict {
        /** No check pending: a first join, a rejoin with nothing to compare, or checked already. */
        NONE,
        /** The leader holds this node's last message at the same number: one numbering. */
        SAME,
        /** The leader numbers otherwise: this node takes the leader's numbering and history. */
        FOREIGN,
        /** The leader's history starts past this node's last message: nothing to compare with. */
        UNKNOWN,
        /**
         * A message past this node's last came first, but not in an answer to a request for
         * history: the frames before it may have been lost with a connection. The check stays
         * pending; the node asks for history after {@link #askAgainAfter()}.
         */
        PAST
    }

    /** This node's last delivered message, to compare, or null when no check is pending. */
    private ChatDeliver mine;

    /**
     * The position a rejoin asks the leader to send history after: one before this node's last
     * delivery, when it holds that message (to compare it), else its last delivery.
     */
    public long askAfter(History history) {
        long last = history.delivered();
        List<ChatDeliver> held = last < 1 ? List.of() : history.after(last - 1);
        mine = held.isEmpty() || held.get(0).seq() != last ? null : held.get(0);
        return mine == null ? last : last - 1;
    }

    /** The first message the new leader sent after the rejoin, in its answer to the request for history. */
    public Verdict first(ChatDeliver theirs) {
        return first(theirs, true);
    }

    /**
     * The first message from the new leader since the rejoin: {@code answer}, in an answer to a
     * request for history after {@link #askAgainAfter()} (the join's, or one asked again); else
     * a frame on its stream, which says nothing when it is past this node's last message (seed
     * 270919: the frames of the join's history were lost with a reset connection, a new
     * ordering came first, and taken for "nothing to compare" it made the node skip for good
     * the other piece's line at its last number).
     */
    public Verdict first(ChatDeliver theirs, boolean answer) {
        ChatDeliver own = mine;
        if (own == null) {
            return Verdict.NONE;
        }
        if (theirs.seq() > own.seq() && !answer) {
            return Verdict.PAST;
        }
        mine = null;
        if (theirs.seq() > own.seq()) {
            return Verdict.UNKNOWN;
        }
        return theirs.equals(own) ? Verdict.SAME : Verdict.FOREIGN;
    }

    /** Where to ask the leader's history from while the check is pending: one before the message compared. */
    public long askAgainAfter() {
        return mine == null ? -1 : mine.seq() - 1;
    }

    /**
     * What a node that went over hands its new leader: its messages after the last number where
     * both histories hold the same message (in its own numbering, without a gap), at least one of
     * which the new ring lacks.
     *
     * @param base the last number both histories agree on (0: they differ from the first)
     * @param atBase this node's message there, null when {@code base} is 0
     * @param lines this node's messages after {@code base}
     * @param lacking how many of {@code lines} the new ring's history lacks (by sender and id)
     */
    public record Carry(long base, ChatDeliver atBase, List<ChatDeliver> lines, int lacking) {
    }

    /**
     * What this node ({@code mine}: every message it holds, all shown) must hand over to a
     * ring that numbers otherwise ({@code theirs}: every message its leader holds), or null when
     * the ring has every line this node holds after the point they agree on, or no such point is
     * known (neither history reaches back to it).
     */
    public static Carry carry(List<ChatDeliver> mine, List<ChatDeliver> theirs) {
        if (mine.isEmpty()) {
            return null;
        }
        Map<Long, ChatDeliver> bySeq = new HashMap<>();
        theirs.forEach(d -> bySeq.put(d.seq(), d));
        long theirOldest = theirs.isEmpty() ? Long.MAX_VALUE : theirs.get(0).seq();
        // both start at #1 and differ there: they agree on nothing but the empty past
        long base = mine.get(0).seq() == 1 && (theirs.isEmpty() || theirOldest == 1) ? 0 : -1;
        ChatDeliver atBase = null;
        int from = 0;
        for (int i = 0; i < mine.size(); i++) {
            ChatDeliver d = mine.get(i);
            ChatDeliver t = bySeq.get(d.seq());
            if (d.equals(t)) {
                base = d.seq();
                atBase = d;
                from = i + 1;
            } else if (t != null || d.seq() >= theirOldest || base >= 0) {
                break; // the first number where they differ: the split came before it
            }
            // older than anything the leader holds: the agreement may lie further on
        }
        if (base < 0) {
            return null;
        }
        List<ChatDeliver> lines = new ArrayList<>();
        for (int i = from; i < mine.size() && mine.get(i).seq() == base + 1 + lines.size(); i++) {
            lines.add(mine.get(i));
        }
        Set<SplitHistory.Key> held = new HashSet<>();
        theirs.forEach(d -> held.add(SplitHistory.Key.of(d)));
        int lacking = (int) lines.stream().filter(d -> !held.contains(SplitHistory.Key.of(d))).count();
        return lacking == 0 ? null : new Carry(base, atBase, List.copyOf(lines), lacking);
    }

    /**
     * Whether a merge that rewinds to {@code base} and brings {@code entries} (its lines after
     * that point) shares that base with this node ({@code mine}: every message it holds): not if
     * this node holds, at or before {@code base}, a line the merge places after it. Such a node
     * numbers otherwise up to there (it missed a merge of that side before this one), and the
     * rewind would keep its own numbers and show that line a second time (seed 251541). Where its
     * numbers match, both sides hold the same lines up to the base, and a merge places after it
     * only lines ordered after the split.
     */
    public static boolean sharesBase(List<ChatDeliver> mine, long base, List<ChatDeliver> entries) {
        Set<SplitHistory.Key> merged = new HashSet<>();
        entries.forEach(d -> merged.add(SplitHistory.Key.of(d)));
        for (ChatDeliver d : mine) {
            if (d.seq() > base) {
                return true;
            }
            if (merged.contains(SplitHistory.Key.of(d))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a check waits for the leader's first message. */
    public boolean pending() {
        return mine != null;
    }

    /** No check pending any more (removed again, or a merge renumbered this node's history). */
    public void clear() {
        mine = null;
    }
}
