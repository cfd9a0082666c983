package org.ringchat.ring.transport;

import java.util.List;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.NodeAddress;

/** What the transport tells its node. Every call comes on the node's own event loop. */
public interface TransportListener {

    /** A frame arrived from {@code envelope.from()} (its connection already said a valid Hello). */
    void onEnvelope(Envelope envelope);

    /**
     * The envelopes of one chat frame, in order, all from one peer: as {@link #onEnvelope} for
     * each, which a node may do in one step (one snapshot for the frame, not one per line).
     */
    default void onEnvelopes(List<Envelope> envelopes) {
        for (Envelope envelope : envelopes) {
            onEnvelope(envelope);
        }
    }

    /** A connection to or from {@code peer} is gone; {@code loss} says how. */
    void onLinkDown(NodeAddress peer, LinkLoss loss);

    /**
     * The peer of a link this node opened does not hold the ring's secret, or holds one where this
     * node holds none: nothing passed, and the link is closing. Reported before its link-down.
     */
    default void onAuthenticationFailed(NodeAddress peer) {
    }

    /**
     * The peer of a link this node opened does not speak the protocol: it sent something else
     * (the link is closing; reported before its link-down), or accepted the connection and
     * answered nothing within {@link NettyTransport#ANSWER_WITHIN_MS} (the link stays: a hung node
     * looks the same). {@code what} says which, for a person.
     */
    default void onForeignProtocol(NodeAddress peer, String what) {
    }
}
