package org.ringchat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The frame format: a 4-byte big-endian length, then that many bytes of UTF-8 JSON holding one
 * {@link Envelope}, or a binary chat frame holding several ({@link ChatBatch}). Frames longer
 * than {@code maxFrameBytes} are refused on both sides.
 */
public final class WireFormat {

    /** Bytes of the length prefix. */
    public static final int LENGTH_BYTES = 4;

    /**
     * Default largest frame body, 1 MiB. Too low and a joiner's history or a new leader's
     * catch-up no longer fits in one frame; too high and a hostile peer can make a node buffer
     * that much per connection before it is refused.
     */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads and writes envelopes with their types resolved once, not per frame. */
    private static final ObjectReader READER = MAPPER.readerFor(Envelope.class);
    private static final ObjectWriter WRITER = MAPPER.writerFor(Envelope.class);

    private final int maxFrameBytes;

    public WireFormat(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Encodes a whole frame (prefix included) into a new buffer the caller owns. */
    public ByteBuf encode(Envelope envelope, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer();
        try {
            encodeInto(envelope, buf);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** Appends a whole frame (prefix included) to {@code out}. */
    public void encodeInto(Envelope envelope, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        try (OutputStream os = new ByteBufOutputStream(out)) {
            WRITER.writeValue(os, envelope);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + envelope.type(), e);
        }
        int length = out.writerIndex() - start - LENGTH_BYTES;
        if (length > maxFrameBytes) {
            out.writerIndex(start);
            throw new TooLongFrameException(
                    envelope.type() + " frame of " + length + " bytes exceeds " + maxFrameBytes);
        }
        out.setInt(start, length);
    }

    /** Decodes one frame body (without its prefix). */
    public static Envelope decodeBody(ByteBuf body) {
        try (InputStream in = new ByteBufInputStream(body)) {
            Envelope envelope = READER.readValue(in);
            if (envelope == null) {
                throw new CorruptedFrameException("empty frame");
            }
            return envelope;
        } catch (JsonProcessingException e) {
            throw new CorruptedFrameException("bad frame: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CorruptedFrameException("unreadable frame", e);
        }
    }

    /** Decodes one frame body (without its prefix): one envelope from JSON, one per entry from a chat frame. */
    public static List<Envelope> decodeFrame(ByteBuf body) {
        if (!ChatBatch.isChatFrame(body)) {
            return List.of(decodeBody(body));
        }
        return new ChatBatch.Reader().decode(body).envelopes();
    }

    /** JSON text of one envelope, for docs and tests. */
    public static String toJson(Envelope envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
