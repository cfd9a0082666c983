package org.ringchat.protocol;

import java.util.Objects;

/** A member that a membership change took out of the ring, and why. */
public record Departure(Member member, Reason reason) {

    public enum Reason {
        /** Said goodbye with {@code Leave}. */
        LEFT,
        /** Its connections closed and it could not be reached again. */
        CRASHED,
        /** Went silent (hung, paused, cut off) and a second member could not reach it either. */
        UNRESPONSIVE,
        /** Joined again from the same address; the old incarnation is gone. */
        REPLACED,
        /** Taken out by its leader's {@code !remove}; its name is banned until {@code !unban}. */
        REMOVED
    }

    public Departure {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(reason, "reason");
    }
}
