package org.ringchat.ring.transport;

/**
 * How a link to a peer ended, which says how much it proves about the peer. Only a refusal
 * proves that the peer's process is gone: a connect that goes unanswered may have lost its SYN
 * on a lossy link, or crossed a cut, while the peer lives on.
 */
public enum LinkLoss {
    /** An open connection closed or broke: connecting again tells a crash from a blip. */
    CLOSED,
    /** A fresh connect was refused: nobody listens at that address any more. */
    REFUSED,
    /**
     * A fresh connect got no answer in time, or failed for a reason other than a refusal (no
     * route, no file descriptor left): nothing is known about the peer.
     */
    UNREACHABLE
}
