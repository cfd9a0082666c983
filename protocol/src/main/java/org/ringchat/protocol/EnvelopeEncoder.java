package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * {@link Envelope} → whole frame. Buffers written to the channel pass through untouched, so a
 * fan-out can encode a frame once and write a duplicate of it to every member.
 */
@ChannelHandler.Sharable
public final class EnvelopeEncoder extends MessageToByteEncoder<Envelope> {

    private final WireFormat format;

    public EnvelopeEncoder(WireFormat format) {
        super(Envelope.class);
        this.format = format;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope envelope, ByteBuf out) {
        format.encodeInto(envelope, out);
    }
}
