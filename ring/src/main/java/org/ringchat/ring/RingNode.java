package org.ringchat.ring;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ringchat.protocol.CodecWarmUp;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.Room;
import org.ringchat.protocol.WireFormat;
import org.ringchat.ring.core.Outgoing;
import org.ringchat.ring.transport.EventLoopExecutor;
import org.ringchat.ring.transport.NettyTransport;
import org.ringchat.ring.transport.NodeExecutor;
import org.ringchat.ring.transport.Transport;

/**
 * A ringchat node: a chat client and a ring server in one. Start it with {@link #start}; it
 * starts a new ring (when {@link RingConfig#joinVia()} is null) or joins one through any member.
 * Chat lines go in with {@link #send}; deliveries and ring events come out through the
 * {@link RingListener}. Thread-safe: every call hands its work to the node's own thread.
 *
 * <pre>{@code
 * RingNode node = RingNode.start(RingConfig.builder("alice").address("127.0.0.1", 5000).build(), listener);
 * node.joined().join();
 * node.send("hello");
 * node.leave().join();
 * }</pre>
 */
public final class RingNode implements AutoCloseable {

    /**
     * Lines accepted by {@link #send} and not yet taken by the node, which takes them only as its
     * send window ({@link RingConfig#sendWindow()}) has room. Beyond this, {@code send} blocks its
     * caller: too low slows a fast bot down (the queue should hold several windows), too high lets
     * a flood hold that much memory.
     */
    public static final int MAX_WAITING_LINES = 10_000;

    private final TypedLines toSend = new TypedLines(MAX_WAITING_LINES);
    /** The room {@link #send(String)} sends to; moves first here, then on the node's thread. */
    private volatile String room;
    private final RingConfig config;
    private final NodeExecutor executor;
    private final Node node;
    private final CompletableFuture<Void> joined;

    private RingNode(RingConfig config, RingListener listener, Transport transport, NodeExecutor executor) {
        this.config = config;
        this.room = config.room();
        this.executor = executor;
        this.node = new Node(config, listener, transport, executor, toSend);
        this.joined = node.start();
    }

    /**
     * Starts a node on TCP with a thread of its own; see {@link #joined()} for when it is in the
     * ring.
     */
    public static RingNode start(RingConfig config, RingListener listener) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("ringchat-" + config.name(), true), NettyTransport.ioHandlerFactory());
        var loop = group.next();
        Transport transport = new NettyTransport(loop, new WireFormat(config.maxFrameBytes()),
                config.connectTimeoutMs(), config.limits(), config.secret(), config.tls(), config.name());
        RingNode node = new RingNode(config, listener, transport, new EventLoopExecutor(loop));
        node.stopped().whenComplete((v, e) -> group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS));
        warmUpCodec();
        return node;
    }

    /**
     * As the node starts, on a thread of its own (never the node's), the codec's first use of every
     * message a leader change sends ({@link CodecWarmUp}): a member that has never answered a new
     * leader nor led would otherwise pay it, tens of milliseconds, in the middle of a failover.
     * Started with the node, not once it is in the ring: a newcomer's warm-up then ran while the
     * ring it had just joined lost its leader (the bench faults a ring a moment after a join), on
     * the newcomer, the member the winner's candidacy reaches first, and made that failover
     * slower. Then, on the same thread, the failover's own code ({@link FailoverWarmUp}): a ring
     * of nodes in memory loses its leader twice. Once per JVM.
     */
    private static void warmUpCodec() {
        if (CodecWarmUp.started()) {
            return;
        }
        Thread t = new Thread(() -> {
            CodecWarmUp.run();
            FailoverWarmUp.run();
        }, "ringchat-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts a node on a transport and a thread of the caller's choosing: the simulator runs
     * real nodes this way, on an in-memory network in virtual time.
     */
    public static RingNode start(RingConfig config, RingListener listener, Transport transport, NodeExecutor executor) {
        return new RingNode(config, listener, transport, executor);
    }

    /**
     * Completes once this node is in a ring (started one, or was admitted); fails with a
     * {@link JoinException} or a bind error if it cannot get there.
     */
    public CompletableFuture<Void> joined() {
        return joined;
    }

    /** Completes when the node has stopped: after a leave, or exceptionally when it failed. */
    public CompletableFuture<Void> stopped() {
        return node.stopped();
    }

    /**
     * Sends a chat line to the ring. Lines sent before the node is admitted, or while there is no
     * leader, wait and go out in order as soon as possible.
     *
     * Blocks only when {@link #MAX_WAITING_LINES} lines are already waiting for room in the
     * node's send window.
     *
     * @throws IllegalArgumentException if the text is empty, multi-line or too long
     */
    public void send(String text) {
        send(room, text);
    }

    /**
     * Sends a chat line to {@code room}, whichever room this node is in (only that room's members
     * show it). Otherwise as {@link #send(String)}.
     */
    public void send(String room, String text) {
        Room.check(room);
        Outgoing.Line line = new Outgoing.Line(room, text);
        if (text.isEmpty() || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a chat line must be one non-empty line");
        }
        if (text.length() > config.maxTextLength()) {
            throw new IllegalArgumentException("line too long: " + text.length() + " characters (at most "
                    + config.maxTextLength() + ")");
        }
        boolean wake;
        if (executor.inNodeThread()) {
            wake = toSend.offer(line);
        } else {
            try {
                wake = toSend.put(line); // a flood waits here, on the caller's thread, never on the node's
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to send", e);
            }
        }
        if (wake) {
            executor.execute(node::linesWaiting);
        }
    }

    /** The room this node is in: where {@link #send(String)} sends, and whose messages it shows. */
    public String room() {
        return room;
    }

    /**
     * Moves this node to {@code room}, creating it on first use: from now on {@link #send(String)}
     * sends there, the listener hears the room's recent past ({@link RingListener#onHistory}),
     * and the leader tells every member.
     *
     * @throws IllegalArgumentException if {@code room} is not a valid room name
     */
    public void joinRoom(String room) {
        Room.check(room);
        this.room = room;
        executor.execute(() -> node.moveTo(room));
    }

    /**
     * A leader's directive: silence, unsilence, remove (and ban) or unban the member called
     * {@code name}. Completes when the leader's view says so; completes exceptionally, saying
     * why, when this node does not lead or there is no such member.
     */
    public CompletableFuture<Void> moderate(Moderation action, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> node.moderate(action, name, done));
        return done;
    }

    /** The last {@code n} messages of {@code room} this node keeps, oldest first (waits for the node's thread). */
    public List<ChatMessage> roomHistory(String room, int n) {
        long lamport = node.snapshot().lamport();
        Supplier<List<ChatMessage>> read = () -> node.roomHistory(room, n).stream().map(d ->
                new ChatMessage(d.seq(), d.sender(), d.msgId(), d.text(), d.stamp(), lamport, d.room(),
                        d.wallClockMs())).toList();
        if (executor.inNodeThread()) {
            return read.get(); // a listener asking from the node's own thread
        }
        CompletableFuture<List<ChatMessage>> out = new CompletableFuture<>();
        executor.execute(() -> out.complete(read.get()));
        return out.join();
    }

    /** This node's view of the ring now. */
    public RingView view() {
        return node.snapshot();
    }

    /** Where this node listens (after binding; the configured address before). */
    public NodeAddress address() {
        return node.snapshot().self().address();
    }

    public RingConfig config() {
        return config;
    }

    /** Leaves the ring gracefully: last messages ordered, ring closed around us, sockets closed. */
    public CompletableFuture<Void> leave() {
        if (node.stopped().isDone()) {
            return node.stopped();
        }
        return node.leave();
    }

    /** Leaves and waits for it (at most the leave timeout and a little more). */
    @Override
    public void close() {
        try {
            leave().get(config.leaveTimeoutMs() + 2000L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            node.shutdown();
        }
    }

    /**
     * Stops at once without a word, as a process killed with {@code kill -9} would: the node's
     * thread stops handling anything, every connection and the listening socket close, and no
     * {@code Leave} is sent, so the others find a crash (a closed connection, then a refused
     * reconnect) and repair the ring around it, electing a new leader if this node led. Lines not
     * yet ordered are lost with it. For fault tests and benchmarks that need a crash without a
     * process of its own; a program that wants to go calls {@link #leave()}. Completes once the
     * sockets are closed.
     */
    public CompletableFuture<Void> crash() {
        return node.shutdown().thenRun(() -> node.stopped().complete(null));
    }

    // ---- for the fault-injecting test harness ------------------------------------------------

    /** Every connection drops at once (the node keeps running and listening). */
    void dropConnections() {
        node.dropConnections();
    }

    /** The message types the node has a handler for. */
    java.util.Set<Class<? extends org.ringchat.protocol.Message>> handledTypes() {
        return node.handledTypes();
    }

    /** The node's thread, for tests that pause it. */
    NodeExecutor executor() {
        return executor;
    }

    /** Steps that threw on the node's thread so far (each was logged, and the node carried on); tests expect none. */
    public long handlerFailures() {
        return node.handlerFailures();
    }
}
