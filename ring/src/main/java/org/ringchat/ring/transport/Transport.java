package org.ringchat.ring.transport;

import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.NodeAddress;

/**
 * How a node talks to its peers. Every method is called on the node's event loop and never
 * blocks or throws for a peer's sake: a failed send surfaces later as
 * {@link TransportListener#onLinkDown}. Messages to one peer arrive in the order they were sent
 * as long as the link stays up.
 */
public interface Transport {

    /** Listens on {@code address} (port 0 picks a free port); completes with the bound address. */
    CompletableFuture<NodeAddress> bind(NodeAddress address);

    /** Sends one envelope to {@code peer}, connecting first if needed. */
    void send(NodeAddress peer, Envelope envelope);

    /** Encodes once and sends the same frame to every peer. */
    void sendAll(Collection<NodeAddress> peers, Envelope envelope);

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

    EventLoop eventLoop();

    /** For tests and benchmarks: frames written so far. */
    long framesWritten();
}
