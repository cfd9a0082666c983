package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Frame body → {@link Envelope}; invalid JSON or an unknown type fails the channel. */
public final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        out.add(WireFormat.decodeBody(body));
    }
}
