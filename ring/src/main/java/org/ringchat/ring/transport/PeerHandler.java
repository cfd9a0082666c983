package org.ringchat.ring.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ringchat.protocol.ChatBatch;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection. The first frame must be a {@code Hello} in our protocol
 * version, within the handshake deadline, from an address that does not already hold too many
 * connections; after it, every frame must come from the address that said Hello. Anything else,
 * and any undecodable frame, closes this connection with a WARN line; the node carries on.
 *
 * <p>On a connection this node accepted, the claimed address is proven before the node hears
 * anything: the connection must come from that address's IP, and the node listening there must
 * confirm, on a check connection of its own, that it opened this one ({@link Message.LinkCheck}).
 * Until then reading pauses, and what was already read waits here. An accepted connection whose
 * first frame is a {@code LinkCheck} is itself a check: it is answered and closed.
 */
final class PeerHandler extends SimpleChannelInboundHandler<Object> {

    private static final Logger log = LoggerFactory.getLogger(PeerHandler.class);

    private final TransportListener listener;
    private final String nodeName;
    /** For links we opened: who must answer. Null on accepted connections until Hello. */
    private final NodeAddress expectedPeer;
    private final Runnable flush;
    private final Gate gate;
    private final int handshakeTimeoutMs;
    /** Who this connection is, once proven. */
    private NodeAddress peer;
    /** Who this accepted connection claims to be, while that is checked. */
    private NodeAddress claimed;
    /** What arrived while the claim was checked, in order. */
    private final ArrayDeque<Envelope> held = new ArrayDeque<>();
    /** The peer asked to join on this connection. */
    private boolean askedToJoin;
    /** This accepted connection was a {@code LinkCheck}, answered. */
    private boolean checkConnection;
    /**
     * The peer opened this accepted connection as a spare ({@code Hello.standby}) and sent nothing
     * else on it yet: the node hears neither of it nor of its loss.
     */
    private boolean standby;

    /** The transport's say on the peers of accepted connections. */
    interface Gate {
        /** False when {@code peer} already holds as many connections as it may. */
        boolean greeted(Channel channel, NodeAddress peer);

        /**
         * Checks that {@code channel} really comes from {@code peer}; completes on the node's
         * loop with null when it does, or with why not.
         */
        CompletableFuture<String> prove(Channel channel, NodeAddress peer);

        /** The answer to a {@link Message.LinkCheck} from {@code asker}, ready to write. */
        Envelope answer(NodeAddress asker, Message.LinkCheck check);

        /** A frame from {@code peer} arrived on a connection it opened and proved, before the node hears it. */
        void heardFrom(NodeAddress peer);
    }

    PeerHandler(NodeAddress expectedPeer, TransportListener listener, String nodeName, Runnable flush,
            Gate gate, int handshakeTimeoutMs) {
        this.expectedPeer = expectedPeer;
        this.flush = flush;
        this.listener = listener;
        this.nodeName = nodeName;
        this.gate = gate;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    /**
     * An accepted connection must introduce itself, and prove it, in time: idle strangers do not
     * hold a descriptor for ever.
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (expectedPeer == null) {
            ctx.executor().schedule(() -> {
                if (peer == null && !checkConnection && ctx.channel().isOpen()) {
                    reject(ctx, claimed == null ? "no Hello within " + handshakeTimeoutMs + " ms"
                            : "could not prove within " + handshakeTimeoutMs + " ms that it is " + claimed);
                }
            }, handshakeTimeoutMs, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object read) {
        if (read instanceof ChatBatch.Frame frame) {
            chatFrame(ctx, frame);
        } else {
            envelope(ctx, (Envelope) read);
        }
    }

    /**
     * A chat frame's envelopes, all from the frame's sender: to the node in one call once the
     * connection is proven; otherwise as any other frame.
     */
    private void chatFrame(ChannelHandlerContext ctx, ChatBatch.Frame frame) {
        if (peer != null && !checkConnection) {
            if (!peer.equals(frame.from())) {
                reject(ctx, "a chat frame claims to come from " + frame.from() + " on " + peer + "'s connection");
                return;
            }
            if (expectedPeer == null) {
                gate.heardFrom(peer);
            }
            standby = false;
            listener.onEnvelopes(frame.envelopes());
            return;
        }
        for (Envelope envelope : frame.envelopes()) {
            envelope(ctx, envelope);
            if (!ctx.channel().isOpen()) {
                return;
            }
        }
    }

    private void envelope(ChannelHandlerContext ctx, Envelope envelope) {
        if (checkConnection) {
            return; // answered: nothing more counts
        }
        if (peer != null) {
            if (!peer.equals(envelope.from())) {
                reject(ctx, envelope.type() + " claims to come from " + envelope.from() + " on " + peer + "'s connection");
                return;
            }
            deliver(ctx, envelope);
        } else if (claimed != null) {
            if (!claimed.equals(envelope.from())) {
                reject(ctx, envelope.type() + " claims to come from " + envelope.from() + " on " + claimed + "'s connection");
                return;
            }
            held.add(envelope); // what was read before reading paused
        } else if (expectedPeer == null && envelope.message() instanceof Message.LinkCheck check) {
            // a check connection: one answer, then it closes
            ctx.writeAndFlush(gate.answer(envelope.from(), check)).addListener(ChannelFutureListener.CLOSE);
            ctx.channel().config().setAutoRead(false);
            checkConnection = true;
        } else {
            greet(ctx, envelope);
        }
    }

    private void greet(ChannelHandlerContext ctx, Envelope envelope) {
        if (!(envelope.message() instanceof Message.Hello hello)) {
            reject(ctx, "first frame is " + envelope.type() + ", not Hello");
            return;
        }
        if (hello.version() != ProtocolVersion.CURRENT) {
            reject(ctx, "protocol version " + hello.version() + ", we speak " + ProtocolVersion.CURRENT);
            return;
        }
        String host = envelope.from().host();
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            // a node is known by its IP address; a name would need a DNS look-up on the event loop
            reject(ctx, "Hello from " + envelope.from() + ", not an IP address");
            return;
        }
        if (expectedPeer != null) {
            if (!expectedPeer.equals(envelope.from())) {
                reject(ctx, "Hello from " + envelope.from() + " on the link to " + expectedPeer);
                return;
            }
            peer = envelope.from();
            listener.onEnvelope(envelope);
            return;
        }
        if (ctx.pipeline().get(SslHandler.class) != null) {
            // under TLS, the claimed address and name are the certificate's, or nothing
            String why = TlsIdentity.mismatchOfAddress(ctx.channel(), envelope.from());
            why = why != null ? why : TlsIdentity.mismatchOfName(ctx.channel(), hello.name());
            if (why != null) {
                reject(ctx, "Hello from " + envelope.from() + " as " + hello.name() + ": " + why);
                return;
            }
        }
        if (!gate.greeted(ctx.channel(), envelope.from())) {
            reject(ctx, envelope.from() + " already holds as many connections as a peer may");
            return;
        }
        claimed = envelope.from();
        standby = hello.standby();
        if (!standby) {
            held.add(envelope); // a spare's Hello is not the node's business (see standby)
        }
        ctx.channel().config().setAutoRead(false);
        gate.prove(ctx.channel(), claimed).thenAccept(why -> {
            if (!ctx.channel().isOpen()) {
                return;
            }
            if (why != null) {
                reject(ctx, "Hello from " + claimed + ": " + why);
                return;
            }
            peer = claimed;
            while (!held.isEmpty() && ctx.channel().isOpen()) {
                deliver(ctx, held.poll());
            }
            flush.run();
            ctx.channel().config().setAutoRead(true);
        });
    }

    /** To the node; a joiner asks once per connection (a flood of joins costs a connection each). */
    private void deliver(ChannelHandlerContext ctx, Envelope envelope) {
        if (expectedPeer == null && envelope.message() instanceof Message.JoinRequest request
                && request.joiner().equals(peer)) {
            if (askedToJoin) {
                reject(ctx, "a second JoinRequest on one connection");
                return;
            }
            askedToJoin = true;
        }
        if (expectedPeer == null) {
            gate.heardFrom(peer);
        }
        standby = false;
        listener.onEnvelope(envelope);
    }

    private void reject(ChannelHandlerContext ctx, String why) {
        log.warn("[{}] closing connection from {}: {}", nodeName, ctx.channel().remoteAddress(), why);
        held.clear();
        ctx.close();
    }

    /** Whatever the node wrote in reaction to this batch of reads leaves now, before any other task. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush.run();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer != null && expectedPeer == null && !standby) {
            listener.onLinkDown(peer, LinkLoss.CLOSED);
        }
        held.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            // the peer went away (reset, broken pipe): the link-down path handles it
            log.debug("[{}] connection from {} failed: {}", nodeName, peer, cause.toString());
            ctx.close();
            return;
        }
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        log.warn("[{}] closing connection from {}: {}", nodeName,
                peer != null ? peer : ctx.channel().remoteAddress(), reason.getMessage());
        log.debug("[{}] connection failure", nodeName, cause);
        ctx.close();
    }
}
