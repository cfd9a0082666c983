package org.ringchat.ring;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.transport.LinkLoss;
import org.ringchat.ring.transport.NodeExecutor;
import org.ringchat.ring.transport.Transport;
import org.ringchat.ring.transport.TransportListener;

/**
 * The transport of {@link FailoverWarmUp}'s nodes: links in memory, no sockets, no codec (the
 * codec has a warm-up of its own). Each envelope reaches its peer as a task of the peer's own, in
 * the order it was sent; a link opened to an address nobody listens at is refused; a node that
 * closes (crashes) closes every link to and from it, and its peers hear of it as they would of
 * a TCP connection's reset. Enough of {@code NettyTransport}'s semantics for a failover to run
 * the code it runs on sockets; not a simulator (that is {@code SimTransport}, in the tests).
 */
final class WarmUpWire implements Transport {

    /** Who listens where. */
    static final class Network {
        final Map<NodeAddress, WarmUpWire> listening = new HashMap<>();
    }

    private final Network network;
    private final NodeExecutor box;
    private final NodeAddress address;
    /** Peers this node opened a link to. */
    private final Set<NodeAddress> links = new HashSet<>();
    /** Peers that opened a link to this node. */
    private final Set<NodeAddress> accepted = new HashSet<>();
    private TransportListener listener;
    private Supplier<Envelope> hello;
    private boolean closed;
    private long framesWritten;

    WarmUpWire(Network network, NodeExecutor box, NodeAddress address) {
        this.network = network;
        this.box = box;
        this.address = address;
    }

    @Override
    public CompletableFuture<NodeAddress> bind(NodeAddress at, TransportListener listener, Supplier<Envelope> hello) {
        this.listener = listener;
        this.hello = hello;
        network.listening.put(address, this);
        return CompletableFuture.completedFuture(address);
    }

    @Override
    public void send(NodeAddress peer, Envelope envelope) {
        if (closed) {
            return;
        }
        WarmUpWire to = open(peer);
        if (to != null) {
            deliver(to, envelope);
        }
    }

    @Override
    public void sendAll(Collection<NodeAddress> peers, Envelope envelope) {
        for (NodeAddress peer : peers) {
            send(peer, envelope);
        }
    }

    @Override
    public void connect(NodeAddress peer) {
        if (!closed) {
            open(peer);
        }
    }

    /** The peer's end of the link to {@code peer}, opened (with a Hello) if needed; null when refused. */
    private WarmUpWire open(NodeAddress peer) {
        WarmUpWire to = network.listening.get(peer);
        if (links.contains(peer)) {
            return to;
        }
        if (to == null) {
            box.execute(() -> {
                if (!closed) {
                    listener.onLinkDown(peer, LinkLoss.REFUSED);
                }
            });
            return null;
        }
        links.add(peer);
        to.accepted.add(address);
        deliver(to, hello.get());
        return to;
    }

    private void deliver(WarmUpWire to, Envelope envelope) {
        framesWritten++;
        to.box.execute(() -> {
            if (!to.closed) {
                to.listener.onEnvelope(envelope);
            }
        });
    }

    @Override
    public void afterFlush(Runnable action) {
        box.execute(action);
    }

    @Override
    public void disconnect(NodeAddress peer) {
        links.remove(peer);
    }

    @Override
    public void dropConnections() {
        // the rehearsal has no network blips
    }

    /** This node is gone: every peer linked either way hears its connection reset. */
    @Override
    public CompletableFuture<Void> close() {
        if (!closed) {
            closed = true;
            network.listening.remove(address);
            Set<NodeAddress> peers = new HashSet<>(links);
            peers.addAll(accepted);
            for (NodeAddress peer : peers) {
                WarmUpWire other = network.listening.get(peer);
                if (other != null) {
                    other.lost(address);
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private void lost(NodeAddress peer) {
        links.remove(peer);
        accepted.remove(peer);
        box.execute(() -> {
            if (!closed) {
                listener.onLinkDown(peer, LinkLoss.CLOSED);
            }
        });
    }

    @Override
    public long framesWritten() {
        return framesWritten;
    }
}
