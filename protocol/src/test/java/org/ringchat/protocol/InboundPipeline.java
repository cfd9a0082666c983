package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's codec pipeline on an {@link EmbeddedChannel}: frame decoder, envelope decoder,
 * envelope encoder, and at the end a handler that records the envelopes it is given (a chat
 * frame's one by one) and, like a
 * real node, closes the channel on any exception. EmbeddedChannel runs everything on the calling
 * thread, so results are visible as soon as {@link #feed} returns.
 */
final class InboundPipeline implements AutoCloseable {

    private final RecordingHandler recorder = new RecordingHandler();
    private final EmbeddedChannel channel;

    InboundPipeline(int maxFrameBytes) {
        this(maxFrameBytes, new EnvelopeEncoder(new WireFormat(maxFrameBytes)));
    }

    InboundPipeline(int maxFrameBytes, EnvelopeEncoder sharedEncoder) {
        channel = new EmbeddedChannel(
                new FrameDecoder(maxFrameBytes), new EnvelopeDecoder(), sharedEncoder, recorder);
    }

    /** Delivers {@code bytes} to the pipeline as one read. */
    InboundPipeline feed(byte[] bytes) {
        if (channel.isOpen()) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        return this;
    }

    List<Envelope> received() {
        return recorder.received;
    }

    Throwable failure() {
        return recorder.failure;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    EmbeddedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** The node's business handler, reduced to what the codec tests need to see. */
    private static final class RecordingHandler extends ChannelInboundHandlerAdapter {

        final List<Envelope> received = new ArrayList<>();
        Throwable failure;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Envelope envelope) {
                received.add(envelope);
            } else if (msg instanceof ChatBatch.Frame frame) {
                received.addAll(frame.envelopes());
            } else {
                ReferenceCountUtil.release(msg);
                throw new AssertionError("not an Envelope: " + msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ctx.close();
        }
    }

    /** Encodes {@code envelope} through an {@link EnvelopeEncoder} on its own channel. */
    static byte[] encode(EnvelopeEncoder encoder, Envelope envelope) {
        EmbeddedChannel out = new EmbeddedChannel(encoder);
        try {
            out.writeOutbound(envelope);
            ByteBuf frame = out.readOutbound();
            try {
                byte[] bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                return bytes;
            } finally {
                frame.release();
            }
        } finally {
            out.finishAndReleaseAll();
        }
    }

    /** A raw frame: the 4-byte big-endian length of {@code body}, then {@code body}. */
    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(WireFormat.LENGTH_BYTES + body.length)
                .putInt(body.length).put(body).array();
    }

    static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
