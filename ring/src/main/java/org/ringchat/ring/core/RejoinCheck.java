package org.ringchat.ring.core;

import java.util.List;
import org.ringchat.protocol.Message.ChatDeliver;

/**
 * Whether a node back after a removal rejoined a ring that numbers messages as it does. After a
 * split each piece numbers on its own, and a removed member may rejoin through the other piece
 * ({@code docs/partitions.md}), whose numbers after the split mean other lines: taken as its own,
 * the member's last position would skip that piece's lines up to it, for good. So the rejoining
 * node asks for the history after its last delivery but one, and compares the leader's message
 * at its last position with its own: the same message, the same numbering; another (or none
 * where it has one), another piece's.
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
        UNKNOWN
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

    /** The first message the new leader sent after the rejoin (its history, or a new ordering). */
    public Verdict first(ChatDeliver theirs) {
        ChatDeliver own = mine;
        mine = null;
        if (own == null) {
            return Verdict.NONE;
        }
        if (theirs.seq() > own.seq()) {
            return Verdict.UNKNOWN;
        }
        return theirs.equals(own) ? Verdict.SAME : Verdict.FOREIGN;
    }

    /** No check pending any more (removed again, or a merge renumbered this node's history). */
    public void clear() {
        mine = null;
    }
}
