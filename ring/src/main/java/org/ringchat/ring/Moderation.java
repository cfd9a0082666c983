package org.ringchat.ring;

/** What a leader may do to a member ({@link RingNode#moderate}): the Ruby seed's directives. */
public enum Moderation {
    /** The leader refuses the member's lines until {@link #UNSILENCE}. */
    SILENCE("!silence <name>"),
    UNSILENCE("!unsilence <name>"),
    /** The member is disconnected, its process told so, and its name banned until {@link #UNBAN}. */
    REMOVE("!remove <name>"),
    UNBAN("!unban <name>");

    private final String usage;

    Moderation(String usage) {
        this.usage = usage;
    }

    /** How it is typed at the leader's console. */
    public String usage() {
        return usage;
    }
}
