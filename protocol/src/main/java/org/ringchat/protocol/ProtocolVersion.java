package org.ringchat.protocol;

/** The version spoken in every {@link Message.Hello}; a peer with another version is refused. */
public final class ProtocolVersion {

    /**
     * 2: members acknowledge what they delivered ({@link Message.ChatAck}). 3: a connection's
     * claimed address is checked by calling it back ({@link Message.LinkCheck}).
     */
    public static final int CURRENT = 4;

    private ProtocolVersion() {
    }
}
