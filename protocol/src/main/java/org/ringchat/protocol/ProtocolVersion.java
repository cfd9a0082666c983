package org.ringchat.protocol;

/** The version spoken in every {@link Message.Hello}; a peer with another version is refused. */
public final class ProtocolVersion {

    /**
     * 2: members acknowledge what they delivered ({@link Message.ChatAck}). 3: a connection's
     * claimed address is checked by calling it back ({@link Message.LinkCheck}). 4: rooms,
     * moderation and wall-clock time. 5: views carry the ring's id, and pieces of a split ring
     * find each other and merge ({@link Message.RingProbe}, {@link Message.RingMerged}). 6: chat
     * messages travel several to a binary frame ({@link ChatBatch}). 7: a merge handover echoes
     * the invite it answers ({@link Message.MergeInvite#invite()}), and a joiner is told the
     * members its leader lost ({@link Message.JoinAccepted#lost()}). 8: a leader sends a new view
     * as its change from the one its members hold ({@link Message.MembershipChange}).
     */
    public static final int CURRENT = 8;

    private ProtocolVersion() {
    }
}
