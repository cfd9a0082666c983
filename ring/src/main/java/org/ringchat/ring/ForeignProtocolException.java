package org.ringchat.ring;

/**
 * The node asked to join through does not speak the ringchat protocol: it sent something else,
 * or accepted the connection and said nothing. Waiting will not help; another address will.
 */
public final class ForeignProtocolException extends JoinException {

    private static final long serialVersionUID = 1L;

    public ForeignProtocolException(String message) {
        super(message);
    }
}
