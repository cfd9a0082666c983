package org.ringchat.ring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * On a link an unsecured node opened, the peer only reads: any byte that comes back is either the
 * challenge of a peer that holds a secret (the node hears that authentication failed) or
 * something else, from a peer that does not speak the protocol at all (the node hears that).
 * Either way nothing passes, and the link closes.
 */
final class SilentPeerHandler extends ChannelInboundHandlerAdapter {

    /** What comes back from a peer that speaks something else than the protocol. */
    interface Foreign {
        void foreignProtocol(String what);
    }

    private final SecureChannelHandler.Failure failure;
    private final Foreign foreign;
    private boolean reported;

    SilentPeerHandler(SecureChannelHandler.Failure failure, Foreign foreign) {
        this.failure = failure;
        this.foreign = foreign;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!reported) {
                reported = true;
                if (!(msg instanceof ByteBuf bytes) || SecureChannelHandler.mayBeChallenge(bytes)) {
                    failure.authenticationFailed("the peer requires the ring's secret, and this node has none");
                } else {
                    foreign.foreignProtocol("it answered with bytes that are not the protocol");
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        ctx.close();
    }
}
