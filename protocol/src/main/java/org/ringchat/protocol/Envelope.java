package org.ringchat.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One frame's content: who sent it (its listen address), the sender's Lamport time when it
 * sent it, and the message.
 */
public record Envelope(
        @JsonProperty("from") NodeAddress from,
        @JsonProperty("t") long lamport,
        @JsonProperty("msg") Message message) {

    public Envelope {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(message, "msg");
        if (lamport < 0 || lamport > LamportClock.MAX) {
            throw new IllegalArgumentException("Lamport time out of range: " + lamport);
        }
    }

    /** The wire name of the message, for logs. */
    public String type() {
        return message.getClass().getSimpleName();
    }
}
