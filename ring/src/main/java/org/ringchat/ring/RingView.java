package org.ringchat.ring;

import java.util.List;
import java.util.Map;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.Room;

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
 * @param rooms the room of every member not in {@link Room#GENERAL}, as the leader last told this node
 * @param lamport this node's Lamport clock when the snapshot was taken
 * @param silenced the names the leader silenced
 * @param banned the names the leader removed and banned
 */
public record RingView(Member self, Status status, Member leader, long term, List<Member> members,
        Member next, Member previous, long deliveredSeq, int unconfirmed, Map<NodeAddress, String> rooms,
        long lamport, List<String> silenced, List<String> banned) {

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
        rooms = Map.copyOf(rooms);
        silenced = List.copyOf(silenced);
        banned = List.copyOf(banned);
    }

    /** A snapshot in which every member is in {@link Room#GENERAL}, at Lamport time 0. */
    public RingView(Member self, Status status, Member leader, long term, List<Member> members,
            Member next, Member previous, long deliveredSeq, int unconfirmed) {
        this(self, status, leader, term, members, next, previous, deliveredSeq, unconfirmed, Map.of(), 0, List.of(),
                List.of());
    }

    /** Whether the leader silenced {@code name} (names compare without case). */
    public boolean silenced(String name) {
        return silenced.stream().anyMatch(n -> n.equalsIgnoreCase(name));
    }

    /** The room {@code member} is in, as the leader last said. */
    public String room(NodeAddress member) {
        return rooms.getOrDefault(member, Room.GENERAL);
    }

    public boolean isLeader() {
        return leader != null && leader.address().equals(self.address()) && status == Status.MEMBER;
    }
}
