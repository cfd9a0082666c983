package org.ringchat.ring.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * On a link an unsecured node opened, the peer only reads: any byte that comes back is the
 * challenge of a peer that holds a secret (or garbage). Either way nothing passes: the node hears
 * that authentication failed, and the link closes.
 */
final class SilentPeerHandler extends ChannelInboundHandlerAdapter {

    private final SecureChannelHandler.Failure failure;
    private boolean reported;

    SilentPeerHandler(SecureChannelHandler.Failure failure) {
        this.failure = failure;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (!reported) {
            reported = true;
            failure.authenticationFailed("the peer requires the ring's secret, and this node has none");
        }
        ctx.close();
    }
}
