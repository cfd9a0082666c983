package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Cuts the byte stream into frame bodies; a frame announced larger than the limit fails the channel.
 * Once the channel is closed (a bad frame failed it, or the node dropped the peer) no further
 * frames are cut from bytes that were already read.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    public FrameDecoder(int maxFrameBytes) {
        super(maxFrameBytes + WireFormat.LENGTH_BYTES, 0, WireFormat.LENGTH_BYTES, 0,
                WireFormat.LENGTH_BYTES, true);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (!ctx.channel().isOpen()) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        return super.decode(ctx, in);
    }
}
