package org.ringchat.ring;

import java.util.List;
import org.ringchat.protocol.Member;

/**
 * An immutable snapshot of one node's view of the ring, safe to read from any thread.
 *
 * @param self this node (rank 0 until admitted)
 * @param leader the leader this node follows, or null while there is none
 * @param term the leader's term
 * @param members the ring in order, as the leader last told this node
 * @param next this node's next on the ring (itself when alone)
 * @param previous this node's previous on the ring (itself when alone)
 * @param deliveredSeq the last chat message delivered here
 * @param unconfirmed chat lines sent from here and not yet delivered back
 */
public record RingView(Member self, Status status, Member leader, long term, List<Member> members,
        Member next, Member previous, long deliveredSeq, int unconfirmed) {

    /** Where a node is in its life. */
    public enum Status {
        /** Asking to be admitted (first time, or again after being removed). */
        JOINING,
        /** In the ring with a known leader. */
        MEMBER,
        /** In the ring, the leader gone; electing one or catching up with a new one. */
        ELECTING,
        /** Left, crashed or closed. */
        STOPPED
    }

    public RingView {
        members = List.copyOf(members);
    }

    public boolean isLeader() {
        return leader != null && leader.address().equals(self.address()) && status == Status.MEMBER;
    }
}
