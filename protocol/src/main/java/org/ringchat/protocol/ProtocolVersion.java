package org.ringchat.protocol;

/** The version spoken in every {@link Message.Hello}; a peer with another version is refused. */
public final class ProtocolVersion {

    /** 2: members acknowledge what they delivered ({@link Message.ChatAck}). */
    public static final int CURRENT = 2;

    private ProtocolVersion() {
    }
}
