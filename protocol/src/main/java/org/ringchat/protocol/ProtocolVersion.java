package org.ringchat.protocol;

/** The version spoken in every {@link Message.Hello}; a peer with another version is refused. */
public final class ProtocolVersion {

    public static final int CURRENT = 1;

    private ProtocolVersion() {
    }
}
