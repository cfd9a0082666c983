package org.ringchat.ring.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.util.NetUtil;
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
 */
final class PeerHandler extends SimpleChannelInboundHandler<Envelope> {

    private static final Logger log = LoggerFactory.getLogger(PeerHandler.class);

    private final TransportListener listener;
    private final String nodeName;
    /** For links we opened: who must answer. Null on accepted connections until Hello. */
    private final NodeAddress expectedPeer;
    private final Runnable flush;
    private final Greeting greeting;
    private final int handshakeTimeoutMs;
    private NodeAddress peer;

    /** The transport's say on a peer that introduced itself on an accepted connection. */
    interface Greeting {
        /** False when {@code peer} already holds as many connections as it may. */
        boolean greeted(io.netty.channel.Channel channel, NodeAddress peer);
    }

    PeerHandler(NodeAddress expectedPeer, TransportListener listener, String nodeName, Runnable flush,
            Greeting greeting, int handshakeTimeoutMs) {
        this.expectedPeer = expectedPeer;
        this.flush = flush;
        this.listener = listener;
        this.nodeName = nodeName;
        this.greeting = greeting;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    /** An accepted connection must introduce itself in time: idle strangers do not hold a descriptor for ever. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (expectedPeer == null) {
            ctx.executor().schedule(() -> {
                if (peer == null && ctx.channel().isOpen()) {
                    reject(ctx, "no Hello within " + handshakeTimeoutMs + " ms");
                }
            }, handshakeTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
        if (peer == null) {
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
            if (expectedPeer != null && !expectedPeer.equals(envelope.from())) {
                reject(ctx, "Hello from " + envelope.from() + " on the link to " + expectedPeer);
                return;
            }
            if (expectedPeer == null && ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null) {
                // under TLS, the claimed address and name are the certificate's, or nothing
                String why = TlsIdentity.mismatchOfAddress(ctx.channel(), envelope.from());
                why = why != null ? why : TlsIdentity.mismatchOfName(ctx.channel(), hello.name());
                if (why != null) {
                    reject(ctx, "Hello from " + envelope.from() + " as " + hello.name() + ": " + why);
                    return;
                }
            }
            if (expectedPeer == null && !greeting.greeted(ctx.channel(), envelope.from())) {
                reject(ctx, envelope.from() + " already holds as many connections as a peer may");
                return;
            }
            peer = envelope.from();
        } else if (!peer.equals(envelope.from())) {
            reject(ctx, envelope.type() + " claims to come from " + envelope.from() + " on " + peer + "'s connection");
            return;
        }
        listener.onEnvelope(envelope);
    }

    private void reject(ChannelHandlerContext ctx, String why) {
        log.warn("[{}] closing connection from {}: {}", nodeName, ctx.channel().remoteAddress(), why);
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
        if (peer != null && expectedPeer == null) {
            listener.onLinkDown(peer, false);
        }
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
