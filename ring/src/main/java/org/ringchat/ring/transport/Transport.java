package org.ringchat.ring.transport;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.NodeAddress;

/**
 * How a node talks to its peers. Every method is called on the node's thread and never blocks
 * or throws for a peer's sake: a failed send surfaces later as {@link TransportListener#onLinkDown}.
 * Every call into the {@link TransportListener} comes on the node's thread too. Messages to one
 * peer arrive in the order they were sent as long as the link stays up; a link that drops may
 * lose what was in flight on it.
 */
public interface Transport {

    /**
     * Listens on {@code address} (port 0 picks a free port) and from then on tells
     * {@code listener} what arrives; {@code hello} makes the envelope that opens every new link.
     * Completes with the bound address.
     */
    CompletableFuture<NodeAddress> bind(NodeAddress address, TransportListener listener, Supplier<Envelope> hello);

    /** Sends one envelope to {@code peer}, connecting first if needed. */
    void send(NodeAddress peer, Envelope envelope);

    /** Encodes once and sends the same frame to every peer. */
    void sendAll(Collection<NodeAddress> peers, Envelope envelope);

    /**
     * Opens the link to {@code peer} now if there is none, sending nothing but what opens every
     * link, so that a first send later does not wait for the connection. A link that cannot be
     * opened, or that drops, surfaces as {@link TransportListener#onLinkDown} like any other.
     */
    void connect(NodeAddress peer);

    /**
     * Keeps spare links to {@code peers} (empty: none): each opened now, if there is no link to
     * its peer, with a {@code Hello} that says it is a spare. Until something is sent on it,
     * neither this node nor the peer's hears of it or of its loss: it proves nothing about the
     * peer, and a failure detector must not count it. The first send on it, or {@link #connect},
     * makes it an ordinary link. A spare never used is closed once its peer is left out of the
     * next call; one that was lost is opened again by the next call that names its peer.
     */
    default void standby(Collection<NodeAddress> peers) {
    }

    /**
     * Runs {@code action} once everything written so far has been handed to the sockets: from
     * there the frames reach their peers even if this process stops or dies.
     */
    void afterFlush(Runnable action);

    /** Closes the link to {@code peer}, if any, without telling the listener. */
    void disconnect(NodeAddress peer);

    /** Closes every connection but keeps listening, as a network blip would; the node is told as usual. */
    void dropConnections();

    /** Closes the listening socket and every connection. */
    CompletableFuture<Void> close();

    /** For tests and benchmarks: frames written so far. */
    long framesWritten();
}
