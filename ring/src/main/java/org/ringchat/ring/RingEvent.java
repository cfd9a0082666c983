package org.ringchat.ring;

/**
 * Something that happened to the ring, as this node saw it.
 *
 * @param lamport this node's Lamport clock right after the event
 * @param text one human-readable line, e.g. {@code bob(127.0.0.1:5001) joined}
 */
public record RingEvent(Kind kind, long lamport, String text) {

    /** What happened. {@link #shown()} kinds are for people; the rest are for the log. */
    public enum Kind {
        /** This node started a ring or was admitted to one. */
        WELCOME(true),
        JOINED(true),
        LEFT(true),
        /** Members removed after a crash or a hang; the ring closed around them. */
        REPAIRED(true),
        /** This node's next or previous changed. */
        NEIGHBORS(false),
        SUSPECT(false),
        /** The leader is gone and an election started here. */
        ELECTION_STARTED(true),
        /** An election message sent or received. */
        ELECTION(false),
        /** A new leader is known and has brought the ring up to date. */
        LEADER(true),
        /** This node found it was removed from the ring, and what it does about it. */
        REMOVED(true),
        /** A chat line this node handed to the ring. */
        CHAT_SENT(false),
        /** A problem the user should know about. */
        WARNING(true),
        /** A member moved to another room. */
        ROOM(true),
        /** The leader silenced, unsilenced, removed or unbanned someone. */
        MODERATION(true),
        /**
         * A piece of the ring lost to a partition was found again and merged with this one: the
         * lines that frame what the other side said meanwhile, and renames.
         */
        MERGED(true);

        private final boolean shown;

        Kind(boolean shown) {
            this.shown = shown;
        }

        public boolean shown() {
            return shown;
        }
    }
}
