package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts the byte stream into frame bodies; a frame announced larger than the limit fails the
 * channel, and so does holding more unfinished bytes than the node's {@link ReadBudget} has left.
 * Once the channel is closed (a bad frame failed it, or the node dropped the peer) no further
 * frames are cut from bytes that were already read.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    private final ReadBudget budget;
    /** Bytes of an unfinished frame this connection holds, as counted in the budget. */
    private long held;

    public FrameDecoder(int maxFrameBytes, ReadBudget budget) {
        super(maxFrameBytes + WireFormat.LENGTH_BYTES, 0, WireFormat.LENGTH_BYTES, 0,
                WireFormat.LENGTH_BYTES, true);
        this.budget = budget;
    }

    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, ReadBudget.unlimited());
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (!ctx.channel().isOpen()) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        Object frame = super.decode(ctx, in);
        if (frame == null) {
            hold(in.readableBytes());
        }
        return frame;
    }

    private void hold(long bytes) {
        boolean within = budget.change(bytes - held);
        held = bytes;
        if (!within) {
            throw new TooLongFrameException("unfinished frames of all connections would hold more than "
                    + budget.maxBytes() + " bytes");
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        budget.change(-held);
        held = 0;
    }
}
