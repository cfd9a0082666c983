package org.ringchat.ring.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ringchat.protocol.ChatBatch;
import org.ringchat.protocol.EnvelopeDecoder;
import org.ringchat.protocol.EnvelopeEncoder;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.FrameDecoder;
import org.ringchat.protocol.Message.Heartbeat;
import org.ringchat.protocol.Message.Hello;
import org.ringchat.protocol.Message.LinkCheck;
import org.ringchat.protocol.Message.LinkCheckAnswer;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ReadBudget;
import org.ringchat.protocol.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP transport on one Netty event loop, which is also the node's own thread: the listening
 * socket, every connection and the node's state all live on that loop, so nothing here needs a
 * lock, and every call into the {@link TransportListener} comes on it.
 *
 * <p>A node sends only on connections it opened ("links", one per peer), from its own IP address;
 * connections it accepts are read-only. The first frame on every connection is the opener's
 * {@code Hello}. The address a Hello claims is proven before the node hears anything from that
 * connection: the acceptor calls the claimed address back on a check connection and asks whether
 * the connection, by its port, is one the node there opened ({@link Message.LinkCheck}); an
 * impostor's connection is not, and closes.
 * Writes are flushed in batches: once per turn of the event loop, after everything the node did
 * in reaction to what it read.
 *
 * <p>A link whose stream sits in TCP's retransmission back-off ({@link StalledLink}) holds what the
 * node sends to its peer, and gets trial connects; once one gets through, or the peer is heard on
 * a connection of its own, the link is reset (nothing more of it is sent), the node is told as for
 * any link that broke ({@link LinkLoss#CLOSED}), and a fresh link takes what was held. This needs
 * Netty's native epoll transport (Linux), which {@link #ioHandlerFactory()} picks where it loads.
 */
public final class NettyTransport implements Transport, PeerHandler.Gate {

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    /**
     * Frames held for a link that is still connecting. Beyond this the peer is treated as
     * unreachable rather than letting memory grow without bound.
     */
    public static final int MAX_PENDING_FRAMES = 100_000;

    /**
     * A ringchat node answers a link opened to it at once: it checks the link back (a
     * {@code LinkCheck} from its address), or starts the secret's or TLS's handshake. A peer that
     * accepted the connection and did neither within this time does not speak the protocol (or is
     * hung): the node hears of it ({@link TransportListener#onForeignProtocol}), and the link stays.
     * Too low and a loaded peer looks foreign to a joiner; too high and a joiner pointed at the wrong
     * port waits that long. A check that runs late because this node's own thread was busy waits
     * once more. 750 ms was too low: a leader on a machine loaded 25 and more (several JVMs
     * starting on two cores) often greeted a joiner later, and the joiner gave up on it.
     */
    public static final int ANSWER_WITHIN_MS = 2000;

    private final EventLoop loop;
    /** The loop runs Netty's native epoll transport: its sockets tell whether their stream stalled. */
    private final boolean epoll;
    private final Function<Channel, String> stallOf;
    private final int trialEveryMs;
    private final WireFormat format;
    private final EnvelopeEncoder encoder;
    private final int connectTimeoutMs;
    private final TransportLimits limits;
    /** The ring's secret, or null: connections are then neither authenticated nor encrypted by it. */
    private final ClusterSecret secret;
    /** Mutual TLS for every connection, or null. */
    private final SslContext tlsServer;
    private final SslContext tlsClient;
    private final ReadBudget readBudget;
    /** Peers whose link failed authentication, until the node hears of its loss. */
    private final Set<NodeAddress> authFailures = new HashSet<>();
    /** Peers whose link carried something else than the protocol, and what, until the node hears of its loss. */
    private final Map<NodeAddress, String> foreign = new HashMap<>();
    /** Accepted connections per peer that introduced itself. */
    private final Map<NodeAddress, Integer> perPeer = new HashMap<>();
    /** When the last refusal for too many connections was logged (at most one WARN a second). */
    private long lastRefusalLogged;
    private int refusalsUnlogged;
    private final String nodeName;

    private final Map<NodeAddress, Link> links = new HashMap<>();
    /** The peers of the spare links ({@link #standby}). */
    private Set<NodeAddress> spares = Set.of();
    private final Set<Channel> accepted = new HashSet<>();
    /*
     * Written to since the last flush, and links with a chat frame being gathered this turn: sets
     * by identity, which never call a key's equals. A HashSet's equals call, shared by every map
     * of the JVM, is compiled for the keys it saw most; when the first chat frame of one line came
     * (the paced workload's start), keys of another class hit that guess, and the compiled send
     * path was thrown away, to run interpreted until compiled again (issue 10). The flush goes
     * through lists of the same, by index: an iterator of those sets was an object per flush,
     * the largest share of what a member allocated in the paced workload.
     */
    private final Set<Channel> dirty = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Channel> dirtyInOrder = new ArrayList<>();
    private final Set<Link> batching = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Link> batchingInOrder = new ArrayList<>();
    private final ChatBatch.Entry chatScratch = new ChatBatch.Entry();
    private final ArrayDeque<Runnable> afterFlush = new ArrayDeque<>();
    private boolean flushScheduled;
    private boolean closed;
    private Channel server;
    /** The timer of {@link #tryStalledLinks}, under epoll. */
    private ScheduledFuture<?> trials;
    private TransportListener listener;
    private Supplier<Envelope> hello;
    /** Where this node listens, once bound: the address it claims and the IP it connects from. */
    private NodeAddress self;
    private long framesWritten;

    /**
     * @param loop the node's own thread: every socket of this transport lives on it
     * @param nodeName for log lines
     */
    /**
     * @param secret the ring's secret, or null
     * @param tls this node's TLS identity and the ring's CA, or null
     */
    public NettyTransport(EventLoop loop, WireFormat format, int connectTimeoutMs, TransportLimits limits,
            ClusterSecret secret, TlsFiles tls, String nodeName) {
        this(loop, format, connectTimeoutMs, limits, secret, tls, nodeName, StalledLink::why, StalledLink.TRIAL_EVERY_MS);
    }

    /**
     * @param stallOf why a link's stream is stalled, or null ({@link StalledLink#why}; tests fake it)
     * @param trialEveryMs how often stalled links get a trial connect, 0 for never
     */
    NettyTransport(EventLoop loop, WireFormat format, int connectTimeoutMs, TransportLimits limits,
            ClusterSecret secret, TlsFiles tls, String nodeName, Function<Channel, String> stallOf, int trialEveryMs) {
        this.stallOf = stallOf;
        this.trialEveryMs = trialEveryMs;
        this.loop = loop;
        this.epoll = loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
        this.secret = secret;
        this.tlsServer = tls == null ? null : tls.serverContext();
        this.tlsClient = tls == null ? null : tls.clientContext();
        this.format = format;
        this.encoder = new EnvelopeEncoder(format);
        this.connectTimeoutMs = connectTimeoutMs;
        this.limits = limits;
        this.readBudget = new ReadBudget(limits.maxUnfinishedFrameBytes());
        this.nodeName = nodeName;
    }

    /**
     * The I/O for a node's loop: Netty's native epoll transport where it loads (Linux on x86-64 and
     * ARM64), which lets a stalled link be replaced ({@link StalledLink}); NIO elsewhere, or with
     * Netty's own {@code -Dio.netty.transport.noNative=true}.
     */
    public static IoHandlerFactory ioHandlerFactory() {
        return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    private Class<? extends SocketChannel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    private Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    @Override
    public CompletableFuture<NodeAddress> bind(NodeAddress address, TransportListener listener, Supplier<Envelope> hello) {
        this.listener = listener;
        this.hello = hello;
        CompletableFuture<NodeAddress> result = new CompletableFuture<>();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop, loop)
                .channel(serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (accepted.size() >= limits.maxConnections()) {
                            refuseOverLimit(ch);
                            return;
                        }
                        accepted.add(ch);
                        ch.closeFuture().addListener(f -> accepted.remove(ch));
                        answeredFrom((InetSocketAddress) ch.remoteAddress());
                        initPipeline(ch, null);
                    }
                });
        if (epoll) {
            // a replaced link's reset can be lost: the peer's new link must not find this end of the old one holding its place
            bootstrap.childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(EpollChannelOption.TCP_KEEPIDLE, StalledLink.KEEPALIVE_IDLE_S)
                    .childOption(EpollChannelOption.TCP_KEEPINTVL, StalledLink.KEEPALIVE_INTERVAL_S)
                    .childOption(EpollChannelOption.TCP_KEEPCNT, StalledLink.KEEPALIVE_PROBES);
        }
        bootstrap.bind(address.host(), address.port()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                server = f.channel();
                InetSocketAddress bound = (InetSocketAddress) server.localAddress();
                self = new NodeAddress(address.host(), bound.getPort());
                if (epoll && trialEveryMs > 0) {
                    trials = loop.scheduleWithFixedDelay(this::tryStalledLinks, trialEveryMs, trialEveryMs,
                            TimeUnit.MILLISECONDS);
                }
                result.complete(self);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    private void initPipeline(Channel ch, NodeAddress expectedPeer) {
        SecureChannelHandler.Failure refused = why -> {
            if (expectedPeer == null) {
                return; // an accepted connection: closed with a WARN line naming where it came from
            }
            log.debug("[{}] closing the link to {}: {}", nodeName, expectedPeer, why);
            authFailures.add(expectedPeer); // told with the link's loss, first
        };
        if (expectedPeer != null) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                    Link link = links.get(expectedPeer);
                    if (link != null && link.channel == ctx.channel()) {
                        link.answered = true;
                    }
                    ctx.fireChannelRead(msg);
                }
            });
        }
        addSecurity(ch, expectedPeer, refused);
        if (secret == null && expectedPeer != null) {
            // nothing ever comes back on a link this node opened, unless the peer wants a secret
            ch.pipeline().addLast(new SilentPeerHandler(refused, what -> {
                log.debug("[{}] closing the link to {}: {}", nodeName, expectedPeer, what);
                foreign.put(expectedPeer, what);
            }));
        }
        addCodec(ch);
        ch.pipeline().addLast(new PeerHandler(expectedPeer, listener, nodeName, this::flush, this,
                limits.handshakeTimeoutMs()));
    }

    /** TLS, then the secret's handshake and sealing, as this node is configured. */
    private void addSecurity(Channel ch, NodeAddress expectedPeer, SecureChannelHandler.Failure refused) {
        if (tlsServer != null) {
            addTls(ch, expectedPeer, refused);
        }
        if (secret != null) {
            ch.pipeline().addLast(new FrameDecoder(format.maxFrameBytes() + SecureChannelHandler.TAG_BYTES, readBudget),
                    new SecureChannelHandler(secret, expectedPeer != null, refused));
        }
    }

    private void addCodec(Channel ch) {
        if (secret == null) {
            ch.pipeline().addLast(new FrameDecoder(format.maxFrameBytes(), readBudget));
        }
        ch.pipeline().addLast(new EnvelopeDecoder(), encoder);
    }

    /**
     * TLS first on every connection. On a link this node opens, the peer's certificate must also
     * name the address it was reached at; a handshake that fails is reported like a wrong secret.
     */
    private void addTls(Channel ch, NodeAddress expectedPeer, SecureChannelHandler.Failure refused) {
        if (expectedPeer == null) {
            ch.pipeline().addLast(tlsServer.newHandler(ch.alloc()));
            return;
        }
        SslHandler ssl = tlsClient.newHandler(ch.alloc(), expectedPeer.host(), expectedPeer.port());
        ch.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
            // under TLS 1.3 the server judges our certificate after our handshake is done: its
            // refusal comes as an alert, which must tell the node as a failed handshake would
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                for (Throwable t = cause; t != null; t = t.getCause()) {
                    if (t instanceof javax.net.ssl.SSLException) {
                        refused.authenticationFailed("TLS: " + t.getMessage());
                        ctx.close();
                        return;
                    }
                }
                ctx.fireExceptionCaught(cause);
            }
        });
        ssl.handshakeFuture().addListener(f -> {
            String why = f.isSuccess() ? TlsIdentity.mismatchOfAddress(ch, expectedPeer)
                    : "TLS handshake failed: " + f.cause().getMessage();
            if (why != null) {
                refused.authenticationFailed(why);
                ch.close();
            }
        });
    }

    /** A connection over the total: closed at once, with at most one WARN line a second. */
    private void refuseOverLimit(Channel ch) {
        ch.close();
        long now = System.nanoTime();
        if (now - lastRefusalLogged < 1_000_000_000L) {
            refusalsUnlogged++;
            return;
        }
        log.warn("[{}] refusing a connection from {}: {} connections already (and {} more refused since the last line)",
                nodeName, ch.remoteAddress(), limits.maxConnections(), refusalsUnlogged);
        lastRefusalLogged = now;
        refusalsUnlogged = 0;
    }

    /** A peer introduced itself on an accepted connection: counted, unless it holds too many already. */
    @Override
    public boolean greeted(Channel ch, NodeAddress peer) {
        int count = perPeer.getOrDefault(peer, 0);
        if (count >= limits.maxConnectionsPerPeer()) {
            return false;
        }
        perPeer.put(peer, count + 1);
        ch.closeFuture().addListener(f -> perPeer.computeIfPresent(peer, (p, n) -> n > 1 ? n - 1 : null));
        return true;
    }

    /**
     * Proves that an accepted connection comes from the node listening at {@code peer}: it must
     * come from that IP address, and the node there must say, asked on a check connection of our
     * own, that the connection's port is that of its link to us. Under TLS the certificate proved
     * the IP address and the name; the check still tells two nodes on one host apart.
     */
    @Override
    public CompletableFuture<String> prove(Channel channel, NodeAddress peer) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        if (!sameIp(remote, peer)) {
            return CompletableFuture.completedFuture("it connects from " + remote.getAddress().getHostAddress()
                    + ", not from the address it claims");
        }
        CompletableFuture<String> verdict = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.min(connectTimeoutMs, limits.handshakeTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        addSecurity(ch, peer, why -> verdict.complete("the check of " + peer + " failed: " + why));
                        addCodec(ch);
                        ch.pipeline().addLast(new LinkCheckHandler(new Envelope(self, 0, new LinkCheck(remote.getPort())),
                                peer, verdict));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(peer.host(), peer.port());
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                verdict.complete("nobody listens at " + peer + " to confirm it");
            }
        });
        loop.schedule(() -> {
            verdict.complete(peer + " did not confirm it within " + limits.handshakeTimeoutMs() + " ms");
            connecting.channel().close();
        }, limits.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        // the verdict is acted on, on this loop, whichever thread completed it
        CompletableFuture<String> onLoop = new CompletableFuture<>();
        verdict.whenComplete((why, error) -> {
            connecting.channel().close();
            loop.execute(() -> onLoop.complete(error != null ? "the check failed: " + error : why));
        });
        return onLoop;
    }

    private static boolean sameIp(InetSocketAddress remote, NodeAddress claimed) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(claimed.host());
        if (ip == null || remote.getAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByAddress(ip).equals(remote.getAddress());
        } catch (java.net.UnknownHostException impossible) {
            return false;
        }
    }

    /**
     * Whether this node opened the connection {@code asker} asks about: its link to the asker
     * goes out from the port the asker sees.
     */
    @Override
    public Envelope answer(NodeAddress asker, LinkCheck check) {
        Link link = links.get(asker);
        boolean yours = link != null && link.channel != null && link.channel.isActive()
                && ((InetSocketAddress) link.channel.localAddress()).getPort() == check.port();
        return new Envelope(self, 0, new LinkCheckAnswer(yours));
    }

    /**
     * {@code peer} was heard on a connection of its own, so the network between us works: a link
     * to it stuck in TCP's back-off is replaced ({@link #replace}) instead of waiting for the next
     * retransmission.
     */
    @Override
    public void heardFrom(NodeAddress peer) {
        Link link = links.get(peer);
        if (link == null || link.channel == null || !link.channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (now - link.stallCheckedAt < TimeUnit.MILLISECONDS.toNanos(StalledLink.CHECK_EVERY_MS)) {
            return;
        }
        link.stallCheckedAt = now;
        String why = stallOf.apply(link.channel);
        if (why != null) {
            replace(link, peer + " is heard on its own connection; its link is stalled: " + why);
        }
    }

    /**
     * Every {@link StalledLink#TRIAL_EVERY_MS}: a link stuck in TCP's back-off is held (what the
     * node sends to its peer from then on waits here, not behind the retransmissions) and gets a
     * trial connect to its peer (nothing is sent on it); one that connects proves the path works
     * again, and the link is replaced. A trial that fails is dropped quietly: the link stays as it
     * was, and the node hears nothing of it. A held link whose stream moves again is released.
     */
    private void tryStalledLinks() {
        for (Link link : new ArrayList<>(links.values())) {
            if (closed || link.channel == null || !link.channel.isActive()) {
                continue;
            }
            String why = stallOf.apply(link.channel);
            if (why == null) {
                release(link); // TCP got through on its own
                continue;
            }
            if (!link.held) {
                closeBatch(link); // the chat gathered this turn goes before what waits
                link.held = true;
            }
            if (link.trials >= StalledLink.MAX_TRIALS) {
                continue;
            }
            link.trials++;
            new Bootstrap()
                    .group(loop)
                    .channel(socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                    .localAddress(self.host(), 0)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(link.peer.host(), link.peer.port())
                    .addListener((ChannelFuture f) -> loop.execute(() -> tried(link, f)));
        }
    }

    /** A held link is no longer held: what waited goes to its socket, in order, now. */
    private void release(Link link) {
        if (!link.held) {
            return;
        }
        link.held = false;
        link.heldBytes = 0;
        if (link.channel != null && link.channel.isActive()) {
            for (Object frame : link.pending) {
                write(link.channel, frame);
            }
            link.pending.clear();
            link.channel.flush();
        }
    }

    private void tried(Link link, ChannelFuture trial) {
        trial.channel().close();
        link.trials--;
        if (!trial.isSuccess() || closed || links.get(link.peer) != link || link.channel == null) {
            return;
        }
        String why = stallOf.apply(link.channel);
        if (why != null) {
            replace(link, "a trial connect to " + link.peer + " got through; its link is stalled: " + why);
        }
    }

    /**
     * Replaces a link stuck in TCP's back-off while the network to its peer works: the old one is
     * reset (nothing more of it is sent; the peer sees it close), the node is told it was lost
     * ({@link LinkLoss#CLOSED}, after what it is hearing now), and a fresh one is opened at once,
     * with the frames held since the stall was seen, in order. What the old socket held is lost
     * with it, as with any broken link; the node's link-loss path recovers it.
     */
    private void replace(Link link, String why) {
        log.debug("[{}] {}: opening a fresh link", nodeName, why);
        link.channel.config().setOption(ChannelOption.SO_LINGER, 0);
        List<Object> held = new ArrayList<>(link.pending);
        link.pending.clear();
        fail(link, LinkLoss.CLOSED);
        Link fresh = open(link.peer);
        fresh.pending.addAll(held);
        fresh.spare = link.spare;
    }

    @Override
    public void send(NodeAddress peer, Envelope envelope) {
        if (ChatBatch.batchable(envelope.message())) {
            enqueueChat(peer, envelope.from(), chatEntry(envelope));
        } else {
            enqueue(peer, envelope, overtakesChat(envelope));
        }
    }

    @Override
    public void sendAll(Collection<NodeAddress> peers, Envelope envelope) {
        if (peers.isEmpty()) {
            return;
        }
        if (ChatBatch.batchable(envelope.message())) {
            ChatBatch.Entry entry = chatEntry(envelope); // encoded once, copied into every member's frame
            for (NodeAddress peer : peers) {
                enqueueChat(peer, envelope.from(), entry);
            }
            return;
        }
        ByteBuf frame = format.encode(envelope, ByteBufAllocator.DEFAULT);
        try {
            for (NodeAddress peer : peers) {
                enqueue(peer, frame.retainedDuplicate(), overtakesChat(envelope));
            }
        } finally {
            frame.release();
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
                log.debug("[{}] closing the spare link to {}, never used", nodeName, old);
                disconnect(old);
            }
        }
        spares = wanted;
        for (NodeAddress peer : wanted) {
            if (!closed && !links.containsKey(peer)) {
                log.debug("[{}] opening a spare link to {}", nodeName, peer);
                open(peer).spare = true;
            }
        }
    }

    /**
     * A heartbeat goes out ahead of the chat this turn has gathered for the same peer: at
     * saturation a peer must still hear that this node is alive. Any other frame goes after it,
     * as it was sent (a view must not overtake the messages ordered before it).
     */
    private static boolean overtakesChat(Envelope envelope) {
        return envelope.message() instanceof Heartbeat;
    }

    /** One chat entry, in a scratch array reused for the next. */
    private ChatBatch.Entry chatEntry(Envelope envelope) {
        return chatScratch.encode(envelope);
    }

    /**
     * The link to {@code peer}, opened if there is none, for a frame about to be sent on it (a
     * spare is an ordinary link from then on); null if the connect failed at once.
     */
    private Link link(NodeAddress peer) {
        Link link = links.get(peer);
        if (link == null) {
            link = open(peer);
            if (links.get(peer) != link) {
                return null; // the connect failed at once (and the node was told)
            }
        }
        link.spare = false;
        return link;
    }

    /**
     * Appends a chat entry to the frame this turn is gathering for {@code peer}; the frame is
     * written at the flush, when it is full, or before any other frame to that peer. To a link
     * still connecting, the entry goes as a frame of its own.
     */
    private void enqueueChat(NodeAddress peer, NodeAddress from, ChatBatch.Entry entry) {
        Link link = closed ? null : link(peer);
        if (link == null) {
            return;
        }
        if (!link.writable()) {
            ChatBatch.Builder alone = new ChatBatch.Builder(ByteBufAllocator.DEFAULT, from, format.maxFrameBytes());
            try {
                alone.add(entry);
            } catch (RuntimeException e) {
                alone.discard();
                throw e;
            }
            enqueue(peer, alone.finish(), false);
            return;
        }
        if (link.batch != null && (!link.batch.fits(entry.length()) || !link.batch.from().equals(from))) {
            closeBatch(link);
        }
        if (link.batch == null) {
            link.batch = new ChatBatch.Builder(link.channel.alloc(), from, format.maxFrameBytes());
            if (batching.add(link)) {
                batchingInOrder.add(link);
            }
            scheduleFlush();
        }
        try {
            link.batch.add(entry);
        } catch (RuntimeException e) {
            if (link.batch.count() == 0) {
                link.batch.discard();
                link.batch = null;
            }
            throw e;
        }
    }

    /** Writes the chat frame gathered for {@code link}, if any. */
    private void closeBatch(Link link) {
        if (link.batch != null) {
            ByteBuf frame = link.batch.finish();
            link.batch = null;
            write(link.channel, frame);
        }
    }

    private void enqueue(NodeAddress peer, Object frame, boolean overtakesChat) {
        Link link = closed ? null : link(peer);
        if (link == null) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (link.writable()) {
            if (!overtakesChat) {
                closeBatch(link);
            }
            write(link.channel, frame);
        } else if (link.pending.size() >= MAX_PENDING_FRAMES
                || link.heldBytes + heldBytes(link, frame) > limits.maxPendingWriteBytes()) {
            ReferenceCountUtil.release(frame);
            log.warn("[{}] {} frames ({} bytes held) waiting for {}: dropping the link", nodeName, link.pending.size(),
                    link.heldBytes, peer);
            fail(link, LinkLoss.CLOSED);
        } else {
            link.heldBytes += heldBytes(link, frame);
            link.pending.add(frame);
        }
    }

    /** What {@code frame} adds to a held link's bytes (envelopes are encoded later, and small). */
    private static long heldBytes(Link link, Object frame) {
        return link.held && frame instanceof ByteBuf buf ? buf.readableBytes() : 0;
    }

    /**
     * What a failed connect proves. The JDK reports every failure as an exception without the
     * error code, and a refusal ({@code ECONNREFUSED}) only by its message, "Connection refused"
     * (Netty adds the address after it); Netty's epoll transport names the error code in its
     * message, "finishConnect(..) failed with error(-111): Connection refused". A timeout, no route
     * to the host, or a socket that could not even be opened prove nothing about the peer.
     */
    LinkLoss lossOf(Throwable cause) {
        return lossOf(cause, epoll ? "error(" + Errors.ERROR_ECONNREFUSED_NEGATIVE + ")" : null);
    }

    /** As above; {@code epollRefusal} is how epoll's message names a refusal, or null under NIO. */
    static LinkLoss lossOf(Throwable cause, String epollRefusal) {
        if (cause instanceof ConnectTimeoutException) {
            return LinkLoss.UNREACHABLE;
        }
        String message = cause.getMessage();
        boolean refused = cause instanceof ConnectException && message != null
                && (message.startsWith("Connection refused") || epollRefusal != null && message.contains(epollRefusal));
        return refused ? LinkLoss.REFUSED : LinkLoss.UNREACHABLE;
    }

    private Link open(NodeAddress peer) {
        Link link = new Link(peer);
        links.put(peer, link);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .option(ChannelOption.TCP_NODELAY, true)
                // from the IP address this node claims: the peer checks that it does
                .localAddress(self.host(), 0)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initPipeline(ch, peer);
                    }
                });
        bootstrap.connect(peer.host(), peer.port()).addListener((ChannelFuture f) -> {
            if (!loop.inEventLoop()) {
                // a channel that failed before it was registered (out of file descriptors, say)
                // reports on Netty's global executor: the node's state is only touched on its loop
                try {
                    loop.execute(() -> connected(link, f));
                } catch (RejectedExecutionException e) {
                    f.channel().close(); // the node has stopped (its loop is gone): nobody to tell
                }
            } else {
                connected(link, f);
            }
        });
        return link;
    }

    private void connected(Link link, ChannelFuture f) {
        NodeAddress peer = link.peer;
        if (links.get(peer) != link || closed) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            log.debug("[{}] cannot connect to {}: {}", nodeName, peer, f.cause().toString());
            fail(link, lossOf(f.cause()));
            return;
        }
        link.channel = f.channel();
        link.channel.closeFuture().addListener(c -> {
            if (links.get(peer) == link) {
                fail(link, LinkLoss.CLOSED);
            }
        });
        Envelope greeting = hello.get();
        if (link.spare && greeting.message() instanceof Hello h) {
            greeting = new Envelope(greeting.from(), greeting.lamport(), h.asStandby());
        }
        write(link.channel, greeting);
        for (Object frame : link.pending) {
            write(link.channel, frame);
        }
        link.pending.clear();
        expectAnswer(link, ANSWER_WITHIN_MS, true);
    }

    /** Tells the node if the peer of {@code link} has not answered in any way within {@code ms}. */
    private void expectAnswer(Link link, long ms, boolean mayWaitAgain) {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        loop.schedule(() -> {
            if (closed || links.get(link.peer) != link || link.answered || link.spare) {
                return;
            }
            if (mayWaitAgain && System.nanoTime() - due > TimeUnit.MILLISECONDS.toNanos(ms / 4)) {
                expectAnswer(link, ms, false); // this node's thread was late: the silence proves nothing yet
                return;
            }
            listener.onForeignProtocol(link.peer, "it accepted the connection but said nothing within " + ms + " ms");
        }, ms, TimeUnit.MILLISECONDS);
    }

    /** A connection from {@code remote}'s IP address: the links to that address were answered (checked back). */
    private void answeredFrom(InetSocketAddress remote) {
        for (Link link : links.values()) {
            if (!link.answered && sameIp(remote, link.peer)) {
                link.answered = true;
            }
        }
    }

    /**
     * The link is gone; the node hears of it in a task of its own, never inside one of its own
     * sends, after everything the closing connection reported (a failed authentication first).
     */
    private void fail(Link link, LinkLoss loss) {
        links.remove(link.peer);
        link.discard();
        loop.execute(() -> {
            if (link.spare) {
                // nothing was sent on it: its loss tells the node nothing (see Transport#standby)
                authFailures.remove(link.peer);
                foreign.remove(link.peer);
                log.debug("[{}] the spare link to {} is gone ({}), never used", nodeName, link.peer, loss);
                return;
            }
            if (!closed) {
                if (authFailures.remove(link.peer)) {
                    listener.onAuthenticationFailed(link.peer);
                }
                String what = foreign.remove(link.peer);
                if (what != null) {
                    listener.onForeignProtocol(link.peer, what);
                }
                listener.onLinkDown(link.peer, loss);
            }
        });
    }

    private void write(Channel channel, Object frame) {
        channel.write(frame, channel.voidPromise());
        framesWritten++;
        if (dirty.add(channel)) {
            dirtyInOrder.add(channel);
        }
        scheduleFlush();
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
        if (queued != null && queued.totalPendingWriteBytes() > limits.maxPendingWriteBytes()) {
            // a peer that does not read: it is treated as failed, never buffered for without bound
            log.warn("[{}] more than {} bytes queued for a peer that does not read: dropping the link",
                    nodeName, limits.maxPendingWriteBytes());
            channel.close();
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::flush);
        }
    }

    /**
     * Hands everything written so far to the sockets, then runs the after-flush actions. Runs
     * at the end of every read batch and, for writes made by timers, as a task of its own.
     */
    void flush() {
        flushScheduled = false;
        for (int i = 0; i < batchingInOrder.size(); i++) {
            closeBatch(batchingInOrder.get(i));
        }
        batching.clear();
        batchingInOrder.clear();
        for (int i = 0; i < dirtyInOrder.size(); i++) {
            dirtyInOrder.get(i).flush();
        }
        dirty.clear();
        dirtyInOrder.clear();
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

    @Override
    public void disconnect(NodeAddress peer) {
        Link link = links.remove(peer);
        if (link != null) {
            release(link); // closed gracefully: the socket still sends what it holds
            link.discard();
        }
    }

    @Override
    public void dropConnections() {
        loop.execute(() -> {
            for (Link link : new ArrayList<>(links.values())) {
                if (link.channel != null) {
                    link.channel.close(); // its close listener reports the link down
                }
            }
            for (Channel ch : new ArrayList<>(accepted)) {
                ch.close();
            }
        });
    }

    @Override
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            closed = true;
            if (trials != null) {
                trials.cancel(false);
            }
            List<ChannelFuture> closing = new ArrayList<>();
            if (server != null) {
                // first, as the kernel does for a process that dies (its listening socket has one of
                // its lowest descriptors): a peer that sees its connection close and connects again
                // is refused, which proves the crash, rather than accepted into the backlog of a
                // socket about to close and then reset, which proves nothing (it then waited for a
                // second of silence; in a ring of 100 in one JVM, closing 200 connections took long
                // enough for every member to connect again in between, and half of them got in)
                closing.add(server.close());
            }
            List<Link> open = new ArrayList<>(links.values());
            links.clear();
            for (Link link : open) {
                release(link);
                link.discard();
            }
            for (Channel ch : new ArrayList<>(accepted)) {
                closing.add(ch.close());
            }
            if (closing.isEmpty()) {
                done.complete(null);
                return;
            }
            int[] left = {closing.size()};
            for (ChannelFuture f : closing) {
                f.addListener(x -> {
                    if (--left[0] == 0) {
                        done.complete(null);
                    }
                });
            }
        });
        return done;
    }

    @Override
    public long framesWritten() {
        return framesWritten;
    }

    /** An outgoing connection to one peer, with what waits for it to connect. */
    private static final class Link {
        final NodeAddress peer;
        final ArrayDeque<Object> pending = new ArrayDeque<>();
        Channel channel;
        /** The chat frame this turn is gathering for the peer, or null. */
        ChatBatch.Builder batch;
        /** The peer sent something on it, or connected back to check it. */
        boolean answered;
        /** When {@link #heardFrom} last asked whether it stalled. */
        long stallCheckedAt;
        /** Trial connects in flight while it is stalled. */
        int trials;
        /** Stalled: frames wait in {@link #pending} rather than behind TCP's retransmissions. */
        boolean held;
        /** The bytes of encoded frames held, bounded like a socket's queue. */
        long heldBytes;
        /** A spare ({@link Transport#standby}): nothing sent on it yet, and its loss goes untold. */
        boolean spare;

        Link(NodeAddress peer) {
            this.peer = peer;
            this.stallCheckedAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(StalledLink.CHECK_EVERY_MS);
        }

        /** Frames go straight to the socket. */
        boolean writable() {
            return channel != null && channel.isActive() && !held;
        }

        void discard() {
            for (Object frame : pending) {
                ReferenceCountUtil.release(frame);
            }
            pending.clear();
            if (batch != null) {
                batch.discard();
                batch = null;
            }
            if (channel != null) {
                channel.close();
            }
        }
    }
}
