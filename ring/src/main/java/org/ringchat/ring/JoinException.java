package org.ringchat.ring;

/** The node could not join the ring: nobody answered, or the leader refused. */
public class JoinException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JoinException(String message) {
        super(message);
    }
}
