package org.ringchat.ring.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.transport.LinkLoss;
import org.ringchat.ring.transport.Transport;
import org.ringchat.ring.transport.TransportListener;

/**
 * A node's transport on the simulated network, keeping {@code NettyTransport}'s semantics: the
 * node sends only on links it opened (one per peer, opened on first send, frames held while it
 * connects); accepted connections are read-only; writes leave in a flush queued after the
 * current task (or at the end of a read, as {@code channelReadComplete} does); after-flush
 * actions wait for their flush; link-down always comes as a task of its own.
 */
final class SimTransport implements Transport {

    /** An outgoing connection to one peer, with what waits for it to connect. */
    private static final class Link {
        final NodeAddress peer;
        final List<Envelope> pending = new ArrayList<>();
        SimConnection connection;
        /** A spare: nothing sent on it yet, and its loss goes untold ({@link Transport#standby}). */
        boolean spare;

        Link(NodeAddress peer) {
            this.peer = peer;
        }
    }

    private final SimNetwork network;
    private final SimExecutor executor;
    private final Trace trace;
    private final NodeAddress address;
    private final int connectTimeoutMs;
    private final Map<NodeAddress, Link> links = new TreeMap<>();
    /** The peers of the spare links. */
    private Set<NodeAddress> spares = Set.of();
    private final Map<Long, SimConnection> accepted = new LinkedHashMap<>();
    private final Map<Long, SimConnection> dirty = new LinkedHashMap<>();
    private final ArrayDeque<Runnable> afterFlush = new ArrayDeque<>();
    private TransportListener listener;
    private Supplier<Envelope> hello;
    /** Told of every frame this end reads, before the node is; null: nobody. */
    private java.util.function.Consumer<Envelope> readTap;
    private boolean flushScheduled;
    private boolean closed;
    /** A placeholder's host: listening, and frames sent to it are dropped unread (see {@link #placeholder}). */
    private boolean sink;
    private long framesWritten;

    SimTransport(SimNetwork network, SimExecutor executor, Trace trace, NodeAddress address, int connectTimeoutMs) {
        this.network = network;
        this.executor = executor;
        this.trace = trace;
        this.address = address;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    NodeAddress address() {
        return address;
    }

    SimExecutor executor() {
        return executor;
    }

    /** Who is told of every frame this end reads ({@link HeardOf}). */
    void tapReads(java.util.function.Consumer<Envelope> tap) {
        this.readTap = tap;
    }

    /**
     * Holds this host's place before its node starts: it listens (so a leader that admits it can
     * connect), sends what {@code as} sends in its name, and drops whatever reaches it unread, at
     * no cost. {@code ScaleStudy} forms big rings so: the leader admits placeholders through its
     * real join path, and the views it sends them meanwhile, O(N) frames of O(N) members per
     * join, are never simulated. The node started on this transport later ({@link #bind})
     * takes over its listening socket and its connections, the way a process takes over its
     * address.
     */
    void placeholder(Supplier<Envelope> as) {
        if (!network.listen(address, this)) {
            throw new IllegalStateException(address + " is already in use");
        }
        this.hello = as;
        this.sink = true;
    }

    boolean sink() {
        return sink;
    }

    @Override
    public CompletableFuture<NodeAddress> bind(NodeAddress at, TransportListener listener, Supplier<Envelope> hello) {
        this.listener = listener;
        this.hello = hello;
        if (sink && at.equals(address)) {
            sink = false;
            return CompletableFuture.completedFuture(address);
        }
        if (!at.equals(address) || !network.listen(address, this)) {
            return CompletableFuture.failedFuture(new java.net.BindException(at + " is already in use"));
        }
        return CompletableFuture.completedFuture(address);
    }

    @Override
    public void send(NodeAddress peer, Envelope envelope) {
        enqueue(peer, envelope);
    }

    @Override
    public void sendAll(Collection<NodeAddress> peers, Envelope envelope) {
        for (NodeAddress peer : peers) {
            enqueue(peer, envelope);
        }
    }

    @Override
    public void connect(NodeAddress peer) {
        Link link = links.get(peer);
        if (link != null) {
            link.spare = false;
        } else if (!closed) {
            open(peer);
        }
    }

    @Override
    public void standby(Collection<NodeAddress> peers) {
        Set<NodeAddress> wanted = new LinkedHashSet<>(peers);
        for (NodeAddress old : spares) {
            Link link = links.get(old);
            if (!wanted.contains(old) && link != null && link.spare) {
                disconnect(old);
            }
        }
        spares = wanted;
        for (NodeAddress peer : wanted) {
            if (!closed && !links.containsKey(peer)) {
                open(peer).spare = true;
            }
        }
    }

    private void enqueue(NodeAddress peer, Envelope envelope) {
        if (closed) {
            return;
        }
        Link link = links.get(peer);
        if (link == null) {
            link = open(peer);
        }
        link.spare = false;
        if (link.connection != null && link.connection.acceptor.sink && !link.connection.openerClosed) {
            network.sunk(); // to a placeholder: read by nobody, so not even queued
        } else if (link.connection != null) {
            write(link.connection, envelope);
        } else {
            link.pending.add(envelope);
        }
    }

    private Link open(NodeAddress peer) {
        Link link = new Link(peer);
        links.put(peer, link);
        network.connect(this, peer, connectTimeoutMs, new SimNetwork.ConnectResult() {
            @Override
            public void connected(SimConnection connection) {
                SimTransport.this.connected(link, connection);
            }

            @Override
            public void failed(String why) {
                connectFailed(link, why);
            }
        });
        return link;
    }

    private void connected(Link link, SimConnection connection) {
        if (links.get(link.peer) != link || closed) {
            network.close(connection, true);
            return;
        }
        link.connection = connection;
        Envelope greeting = hello.get();
        if (link.spare && greeting.message() instanceof Message.Hello h) {
            greeting = new Envelope(greeting.from(), greeting.lamport(), h.asStandby());
        }
        write(connection, greeting);
        for (Envelope e : link.pending) {
            write(connection, e);
        }
        link.pending.clear();
    }

    private void connectFailed(Link link, String why) {
        if (links.get(link.peer) != link || closed) {
            return;
        }
        if (trace.on()) {
            trace.log(executor.name + " cannot connect to " + trace.name(link.peer) + ": " + why);
        }
        fail(link, "refused".equals(why) ? LinkLoss.REFUSED : LinkLoss.UNREACHABLE);
    }

    /** The link is gone; the node hears of it in a task of its own, never inside one of its own sends. */
    private void fail(Link link, LinkLoss loss) {
        links.remove(link.peer);
        discard(link);
        executor.execute(() -> {
            if (!closed && !sink && !link.spare) {
                if (trace.on()) {
                    trace.log(executor.name + " link to " + trace.name(link.peer) + " down"
                            + (loss == LinkLoss.CLOSED ? "" : " (connect " + (loss == LinkLoss.REFUSED ? "refused)" : "unanswered)")));
                }
                listener.onLinkDown(link.peer, loss);
            }
        });
    }

    private void discard(Link link) {
        link.pending.clear();
        if (link.connection != null) {
            network.close(link.connection, true);
        }
    }

    private void write(SimConnection connection, Envelope envelope) {
        network.written(envelope, connection.toAcceptor.to);
        connection.unflushed.add(envelope);
        framesWritten++;
        dirty.put(connection.id, connection);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            executor.execute(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        for (SimConnection c : dirty.values()) {
            network.flush(c);
        }
        dirty.clear();
        // only what was waiting for this flush: actions added meanwhile wait for the next one
        for (int n = afterFlush.size(); n > 0; n--) {
            afterFlush.poll().run();
        }
        if (!afterFlush.isEmpty()) {
            scheduleFlush();
        }
    }

    @Override
    public void afterFlush(Runnable action) {
        afterFlush.add(action);
        scheduleFlush();
    }

    // ---- what the network hands this end ----------------------------------------------------

    /** The peer's kernel accepted a connection from {@code connection.opener}. */
    void accepted(SimConnection connection) {
        accepted.put(connection.id, connection);
    }

    /** A frame read on an accepted connection; what the node wrote in reaction leaves at once. */
    void read(SimConnection connection, Envelope envelope) {
        if (closed || connection.acceptorClosed) {
            return;
        }
        if (readTap != null) {
            readTap.accept(envelope);
        }
        if (envelope.message() instanceof Message.Hello h) {
            connection.helloFrom = envelope.from();
            connection.standby = h.standby();
        } else {
            connection.standby = false;
        }
        if (sink || connection.standby) {
            return; // a spare's Hello is not the node's business
        }
        if (trace.on()) {
            trace.log(executor.name + " <- " + trace.name(envelope.from()) + " " + Describe.message(envelope, trace));
        }
        listener.onEnvelope(envelope);
        flush();
    }

    /** The other end closed, or the connection was reset. */
    void closedByPeer(SimConnection connection) {
        if (connection.opener == this) {
            if (connection.openerClosed) {
                return;
            }
            connection.openerClosed = true;
            connection.unflushed.clear();
            Link link = links.get(connection.acceptorAddress());
            if (link != null && link.connection == connection) {
                fail(link, LinkLoss.CLOSED);
            }
        } else {
            if (connection.acceptorClosed) {
                return;
            }
            connection.acceptorClosed = true;
            accepted.remove(connection.id);
            if (connection.helloFrom != null && !closed && !sink && !connection.standby) {
                if (trace.on()) {
                    trace.log(executor.name + " connection from " + trace.name(connection.helloFrom) + " closed");
                }
                listener.onLinkDown(connection.helloFrom, LinkLoss.CLOSED);
            }
        }
    }

    // ---- the node's own calls -----------------------------------------------------------------

    @Override
    public void disconnect(NodeAddress peer) {
        Link link = links.remove(peer);
        if (link != null) {
            discard(link);
        }
    }

    @Override
    public void dropConnections() {
        executor.execute(() -> {
            for (Link link : new ArrayList<>(links.values())) {
                if (link.connection != null) {
                    network.close(link.connection, true);
                    fail(link, LinkLoss.CLOSED); // as the channel's close listener does
                }
            }
            for (SimConnection c : new ArrayList<>(accepted.values())) {
                network.close(c, false);
                accepted.remove(c.id);
                if (c.helloFrom != null && !closed && !c.standby) {
                    listener.onLinkDown(c.helloFrom, LinkLoss.CLOSED);
                }
            }
        });
    }

    @Override
    public CompletableFuture<Void> close() {
        if (!closed) {
            closed = true;
            network.unlisten(address);
            for (Link link : new ArrayList<>(links.values())) {
                discard(link);
            }
            links.clear();
            for (SimConnection c : new ArrayList<>(accepted.values())) {
                network.close(c, false);
            }
            accepted.clear();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public long framesWritten() {
        return framesWritten;
    }
}
