package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Frame body → an {@link Envelope} from a JSON body, or a {@link ChatBatch.Frame} of envelopes,
 * one per entry, from a chat frame (handed on together, in one read of the next handler). Invalid JSON, an unknown type or a malformed chat frame fails the channel.
 * One per connection: it remembers the last sender of the chat frames it read.
 */
public final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {

    private final ChatBatch.Reader chat = new ChatBatch.Reader();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        if (ChatBatch.isChatFrame(body)) {
            out.add(chat.decode(body));
        } else {
            out.add(WireFormat.decodeBody(body));
        }
    }
}
