package org.ringchat.ring;

/**
 * The leader refused this node's name: a member's name is the same whatever its case, or looks
 * like it, or the leader does not take it as a name. Another name may get in.
 */
public final class NameRefusedException extends JoinException {

    private static final long serialVersionUID = 1L;

    public NameRefusedException(String message) {
        super(message);
    }
}
