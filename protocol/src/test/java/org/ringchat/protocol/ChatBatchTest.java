package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.Message.ChatAck;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.ChatSubmit;

/** Chat frames ({@link ChatBatch}): several chat messages in one binary frame, bounded like the JSON ones. */
@Timeout(30)
class ChatBatchTest {

    private static final int MAX = WireFormat.DEFAULT_MAX_FRAME_BYTES;

    /** A chat frame with {@code envelopes} (all from the first one's sender), prefix included. */
    private static byte[] frame(int maxFrameBytes, List<Envelope> envelopes) {
        ChatBatch.Builder b = new ChatBatch.Builder(ByteBufAllocator.DEFAULT, envelopes.get(0).from(), maxFrameBytes);
        ByteBuf entry = Unpooled.buffer();
        for (Envelope e : envelopes) {
            entry.clear();
            ChatBatch.writeEntry(e, entry);
            b.add(entry);
        }
        ByteBuf frame = b.finish();
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        frame.release();
        return bytes;
    }

    private static byte[] frame(List<Envelope> envelopes) {
        return frame(MAX, envelopes);
    }

    private static List<Envelope> decode(byte[] frame) {
        return WireFormat.decodeFrame(Unpooled.wrappedBuffer(frame, WireFormat.LENGTH_BYTES,
                frame.length - WireFormat.LENGTH_BYTES));
    }

    /** The frame after {@code change} edits its bytes (prefix included). */
    private static byte[] edited(byte[] frame, Consumer<ByteBuf> change) {
        ByteBuf buf = Unpooled.buffer().writeBytes(frame);
        change.accept(buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    private static final ChatDeliver SILENCED = new ChatDeliver(8, 3, Samples.CAROL, 2, "", 12, "ops", 99, true);

    @Test
    void framesOfOneEntryAndOfManyHandOnTheSameListClassOfAFixedSize() {
        // the receive path is compiled for the list class the frames of a burst bring; a frame of one
        // line (the paced workload, a quiet chat) must not bring another and make it be compiled again
        List<Envelope> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new Envelope(Samples.ALICE_ADDR, i + 1, new ChatSubmit(i + 1, "line " + i, Room.GENERAL)));
        }
        ChatBatch.Frame one = new ChatBatch.Frame(many.subList(0, 1));
        ChatBatch.Frame two = new ChatBatch.Frame(many.subList(0, 2));
        ChatBatch.Frame all = new ChatBatch.Frame(many);
        assertSame(all.envelopes().getClass(), one.envelopes().getClass());
        assertSame(all.envelopes().getClass(), two.envelopes().getClass());
        assertEquals(many, all.envelopes());
        assertThrows(UnsupportedOperationException.class, () -> one.envelopes().add(many.get(1)));
        many.set(0, many.get(1)); // a copy: the caller's list is not the frame's
        assertEquals(1, one.envelopes().get(0).lamport());
        assertThrows(IllegalArgumentException.class, () -> new ChatBatch.Frame(List.of()));
        assertThrows(NullPointerException.class, () -> new ChatBatch.Frame(Arrays.asList(many.get(0), null)));
    }

    @Test
    void everyChatMessageSurvivesInOneFrameInOrderWithItsOwnLamportTime() {
        // one of each chat type, and a sender with a non-ASCII name and an IPv6 address
        List<Envelope> sent = List.of(
                new Envelope(Samples.ALICE_ADDR, 5, new ChatSubmit(7, "héllo 🐦 world", "ops")),
                new Envelope(Samples.ALICE_ADDR, 6, Samples.DELIVER),
                new Envelope(Samples.ALICE_ADDR, 7, Samples.DELIVER_2),
                new Envelope(Samples.ALICE_ADDR, 8, SILENCED),
                new Envelope(Samples.ALICE_ADDR, 9, new ChatAck(3, Bounds.MAX_COUNTER)),
                new Envelope(Samples.ALICE_ADDR, LamportClock.MAX, new ChatSubmit(Bounds.MAX_COUNTER, "x", Room.GENERAL)));

        // the same envelopes come out, in order
        assertEquals(sent, decode(frame(sent)));
    }

    @Test
    void textsAroundOneLengthByteKeepTheirLengthsWhateverTheirCharacters() {
        // a text's length takes one byte below 128 bytes of UTF-8, two from there: fewer than
        // 128 characters can still be more bytes than that, and 128 ASCII characters are too
        List<String> texts = List.of("a".repeat(127), "a".repeat(128), "é".repeat(63), "é".repeat(64),
                "é".repeat(127), "🐦".repeat(31), "🐦".repeat(32), "x" + "é".repeat(100));
        List<Envelope> sent = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            sent.add(new Envelope(Samples.ALICE_ADDR, i + 1, new ChatSubmit(i + 1, texts.get(i), Room.GENERAL)));
        }

        assertEquals(sent, decode(frame(sent)));
    }

    @Test
    void theNodesPipelineTakesChatFramesAndJsonFramesOnOneConnection() {
        Envelope json = Samples.chat(1, "json first");
        Envelope a = new Envelope(Samples.ALICE_ADDR, 2, Samples.DELIVER);
        Envelope b = new Envelope(Samples.ALICE_ADDR, 3, new ChatAck(3, 4));
        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            // a JSON frame, then a chat frame of two, in one read
            receiver.feed(InboundPipeline.concat(InboundPipeline.encode(new EnvelopeEncoder(new WireFormat(MAX)), json),
                    frame(List.of(a, b))));

            assertNull(receiver.failure());
            assertEquals(List.of(json, a, b), receiver.received());
            assertTrue(receiver.isOpen());
        }
    }

    @Test
    void aRepeatedSenderIsDecodedOnceAndADifferentOneIsNot() {
        ChatDeliver fromBob = new ChatDeliver(9, 3, Samples.BOB, 1, "bob", 13, "general", 100);
        List<Envelope> decoded = decode(frame(List.of(new Envelope(Samples.ALICE_ADDR, 1, Samples.DELIVER),
                new Envelope(Samples.ALICE_ADDR, 2, Samples.DELIVER), new Envelope(Samples.ALICE_ADDR, 3, fromBob))));

        ChatDeliver first = (ChatDeliver) decoded.get(0).message();
        ChatDeliver second = (ChatDeliver) decoded.get(1).message();
        assertSame(first.sender(), second.sender());
        assertEquals(Samples.BOB, ((ChatDeliver) decoded.get(2).message()).sender());
    }

    @Test
    void aBuilderStaysWithinTheFrameLimitAndRefusesAnEntryThatFitsNoFrame() {
        ChatBatch.Builder b = new ChatBatch.Builder(ByteBufAllocator.DEFAULT, Samples.ALICE_ADDR, 256);
        ByteBuf entry = Unpooled.buffer();
        ChatBatch.writeEntry(new Envelope(Samples.ALICE_ADDR, 1, new ChatSubmit(1, "y".repeat(100))), entry);
        try {
            // two entries of ~110 bytes fit a 256-byte body, a third does not
            assertTrue(b.fits(entry.readableBytes()));
            b.add(entry);
            assertTrue(b.fits(entry.readableBytes()));
            b.add(entry);
            assertFalse(b.fits(entry.readableBytes()));
            assertEquals(2, b.count());
        } finally {
            b.discard();
        }

        // an entry larger than a frame is refused even in an empty frame
        ChatBatch.Builder small = new ChatBatch.Builder(ByteBufAllocator.DEFAULT, Samples.ALICE_ADDR, 64);
        try {
            assertThrows(TooLongFrameException.class, () -> small.add(entry));
            assertEquals(0, small.count());
        } finally {
            small.discard();
        }
    }

    @Test
    void malformedChatFramesAreRefusedAsCorrupted() {
        byte[] good = frame(List.of(new Envelope(Samples.ALICE_ADDR, 1, new ChatSubmit(1, "abc")),
                new Envelope(Samples.ALICE_ADDR, 2, new ChatAck(1, 1))));
        int countAt = WireFormat.LENGTH_BYTES + 1;
        int lastByte = good.length - 1;
        List<byte[]> bad = List.of(
                // a count of 0, of 3 (more entries than there are), negative, and far beyond the body
                edited(good, f -> f.setInt(countAt, 0)),
                edited(good, f -> f.setInt(countAt, 3)),
                edited(good, f -> f.setInt(countAt, -1)),
                edited(good, f -> f.setInt(countAt, Integer.MAX_VALUE)),
                // truncated inside the last entry
                edited(good, f -> f.writerIndex(lastByte)),
                // a byte after the last entry
                edited(good, f -> f.writeByte(0)),
                // an unknown entry type
                edited(good, f -> f.setByte(lastByte - 3, 9)),
                // a number of ten bytes
                edited(good, f -> {
                    f.writerIndex(lastByte - 1);
                    for (int i = 0; i < 10; i++) {
                        f.writeByte(0x81);
                    }
                }),
                // the sender's address, 127.0.0.1:5000, ends in a colon
                edited(good, f -> f.setByte(countAt + 4 + 14, ':')));
        for (byte[] frame : bad) {
            assertThrows(CorruptedFrameException.class, () -> decode(frame));
        }
    }

    @Test
    void outOfRangeValuesAndBadTextAreRefusedAsInJson() {
        // a room with a space; a text that is not UTF-8; a silenced flag of 2; a counter past 2^53
        List<byte[]> bad = new ArrayList<>();
        bad.add(edited(frame(List.of(new Envelope(Samples.ALICE_ADDR, 1, new ChatSubmit(1, "abc", "o")))),
                f -> f.setByte(f.writerIndex() - 1, ' ')));
        byte[] surrogate = frame(List.of(new Envelope(Samples.ALICE_ADDR, 1, new ChatSubmit(1, "\ud83d\udc26", "o"))));
        bad.add(edited(surrogate, f -> f.setByte(f.writerIndex() - 3 - 3, 0xED))); // the bird's 4 bytes now start ED: not UTF-8
        bad.add(edited(frame(List.of(new Envelope(Samples.ALICE_ADDR, 1, SILENCED))),
                f -> f.setByte(f.writerIndex() - 1, 2)));
        ByteBuf entry = Unpooled.buffer();
        entry.writeByte(3); // ChatAck
        ChatBatch.writeVarint(entry, 1);
        ChatBatch.writeVarint(entry, Bounds.MAX_COUNTER + 1);
        ChatBatch.writeVarint(entry, 1);
        ChatBatch.Builder b = new ChatBatch.Builder(ByteBufAllocator.DEFAULT, Samples.ALICE_ADDR, MAX);
        b.add(entry);
        ByteBuf f = b.finish();
        byte[] tooBig = new byte[f.readableBytes()];
        f.readBytes(tooBig);
        f.release();
        bad.add(tooBig);

        assertThrows(CorruptedFrameException.class, () -> decode(bad.get(0)));
        // malformed UTF-8 decodes to U+FFFD replacement characters, never to a lone surrogate
        List<Envelope> replaced = decode(bad.get(1));
        assertInstanceOf(ChatSubmit.class, replaced.get(0).message());
        assertTrue(((ChatSubmit) replaced.get(0).message()).text().contains("\ufffd"));
        assertThrows(CorruptedFrameException.class, () -> decode(bad.get(2)));
        assertThrows(CorruptedFrameException.class, () -> decode(bad.get(3)));
    }

    @Test
    void onlyChatMessagesTravelInChatFrames() {
        for (Message m : Samples.oneOfEachType()) {
            boolean chat = m instanceof ChatSubmit || m instanceof ChatDeliver || m instanceof ChatAck;
            assertEquals(chat, ChatBatch.batchable(m), m.getClass().getSimpleName());
            if (!chat) {
                assertThrows(IllegalArgumentException.class,
                        () -> ChatBatch.writeEntry(new Envelope(Samples.ALICE_ADDR, 1, m), Unpooled.buffer()));
            }
        }
    }

    @Test
    void mutatedChatFramesDecodeWithinBoundsOrFailTheConnection() {
        // a seeded fuzz, as DecoderFuzzTest does for JSON: bits flipped, bytes dropped, inserted or cut
        byte[] seed = frame(List.of(new Envelope(Samples.ALICE_ADDR, 5, new ChatSubmit(7, "héllo", "ops")),
                new Envelope(Samples.ALICE_ADDR, 6, Samples.DELIVER), new Envelope(Samples.ALICE_ADDR, 7, SILENCED),
                new Envelope(Samples.ALICE_ADDR, 8, new ChatAck(3, 4))));
        SplittableRandom random = new SplittableRandom(20261130L);
        int decoded = 0;
        for (int i = 0; i < 2_000; i++) {
            ByteBuf body = Unpooled.buffer().writeBytes(seed, WireFormat.LENGTH_BYTES, seed.length - WireFormat.LENGTH_BYTES);
            int at = 1 + random.nextInt(body.readableBytes() - 1); // the marker stays
            switch (random.nextInt(4)) {
                case 0 -> body.setByte(at, body.getByte(at) ^ (1 << random.nextInt(8)));
                case 1 -> body.writerIndex(at);
                case 2 -> body.setByte(at, random.nextInt(256));
                default -> {
                    ByteBuf tail = body.copy(at, body.writerIndex() - at);
                    body.writerIndex(at).writeByte(random.nextInt(256)).writeBytes(tail);
                }
            }
            byte[] input = new byte[WireFormat.LENGTH_BYTES + body.readableBytes()];
            Unpooled.wrappedBuffer(input).writerIndex(0).writeInt(body.readableBytes()).writeBytes(body);
            try (InboundPipeline pipeline = new InboundPipeline(MAX)) {
                pipeline.feed(input);
                Throwable failure = pipeline.failure();
                if (failure != null && !(failure instanceof DecoderException)) {
                    fail("iteration " + i + ": " + failure, failure);
                }
                for (Envelope e : pipeline.received()) {
                    decoded++;
                    ChatBatch.writeEntry(e, Unpooled.buffer()); // within bounds: it encodes again
                }
            }
        }
        assertTrue(decoded > 400, "many mutations keep a frame decodable: " + decoded);
    }
}
