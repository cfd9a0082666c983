package org.ringchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.protocol.InboundPipeline.concat;
import static org.ringchat.protocol.InboundPipeline.encode;
import static org.ringchat.protocol.InboundPipeline.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The node's codec pipeline (FrameDecoder → EnvelopeDecoder, EnvelopeEncoder) on EmbeddedChannel. */
@Timeout(30)
class CodecTest {

    private static final int MAX = WireFormat.DEFAULT_MAX_FRAME_BYTES;
    private static final int SMALL_MAX = 256;

    private final EnvelopeEncoder encoder = new EnvelopeEncoder(new WireFormat(MAX));

    static Stream<Message> everyMessageType() {
        return Samples.oneOfEachType().stream();
    }

    @Test
    void samplesCoverEveryPermittedMessageTypeExactlyOnce() {
        // the sealed interface is the source of truth for which messages exist
        Set<Class<?>> permitted = Set.of(Message.class.getPermittedSubclasses());

        // one sample per type: adding a message type without a sample fails here
        List<Class<?>> sampled = Samples.oneOfEachType().stream()
                .<Class<?>>map(Object::getClass).collect(Collectors.toList());
        assertEquals(permitted, Set.copyOf(sampled), "Samples.oneOfEachType() vs permitted subclasses");
        assertEquals(permitted.size(), sampled.size(), "one sample per type: " + sampled);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessageType")
    void everyMessageTypeSurvivesEncodeThenDecode(Message message) {
        // encode through the outbound encoder, as a node sends
        Envelope sent = new Envelope(Samples.CAROL_ADDR, 99, message);
        byte[] bytes = encode(encoder, sent);

        // feed the bytes to a receiving node's pipeline
        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            receiver.feed(bytes);

            // exactly the same envelope comes out, and the channel stays healthy
            assertNull(receiver.failure());
            assertEquals(List.of(sent), receiver.received());
            assertTrue(receiver.isOpen());
        }
    }

    @Test
    void frameFedOneByteAtATimeDecodesToOneEnvelopeOnlyOnceComplete() {
        byte[] bytes = encode(encoder, Samples.chat(7, "split across many reads"));

        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            // every byte but the last arrives in its own read: nothing is delivered yet
            for (int i = 0; i < bytes.length - 1; i++) {
                receiver.feed(new byte[] {bytes[i]});
                assertTrue(receiver.received().isEmpty(), "delivered early after byte " + i);
            }

            // the last byte completes the frame: one envelope
            receiver.feed(new byte[] {bytes[bytes.length - 1]});
            assertEquals(List.of(Samples.chat(7, "split across many reads")), receiver.received());
            assertTrue(receiver.isOpen());
        }
    }

    static Stream<Arguments> chunkings() {
        // cut points inside the length prefix, right after it, mid-body and one byte from the end
        return Stream.of(
                Arguments.of(List.of(1)),
                Arguments.of(List.of(3)),
                Arguments.of(List.of(4)),
                Arguments.of(List.of(20)),
                Arguments.of(List.of(-1)),
                Arguments.of(List.of(2, 30)),
                Arguments.of(List.of(4, 5)),
                Arguments.of(List.of(10, -1)));
    }

    @ParameterizedTest(name = "cut at {0}")
    @MethodSource("chunkings")
    void frameSplitIntoTwoOrThreeReadsDecodesToOneEnvelope(List<Integer> cuts) {
        Envelope sent = Samples.chat(8, "split in chunks");
        byte[] bytes = encode(encoder, sent);

        // negative cut points count from the end of the frame
        int[] at = cuts.stream().mapToInt(c -> c < 0 ? bytes.length + c : c).toArray();

        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            // all chunks but the last leave the frame incomplete
            int from = 0;
            for (int cut : at) {
                receiver.feed(Arrays.copyOfRange(bytes, from, cut));
                assertTrue(receiver.received().isEmpty());
                from = cut;
            }

            // the last chunk completes it
            receiver.feed(Arrays.copyOfRange(bytes, from, bytes.length));
            assertEquals(List.of(sent), receiver.received());
        }
    }

    @ParameterizedTest(name = "{0} frames")
    @ValueSource(ints = {2, 3, 50})
    void severalFramesInOneReadDecodeToSeveralEnvelopesInOrder(int count) {
        // encode count envelopes and glue them into one read
        List<Envelope> sent = IntStream.rangeClosed(1, count)
                .mapToObj(i -> Samples.chat(i, "message " + i)).collect(Collectors.toList());
        byte[] oneRead = concat(sent.stream().map(e -> encode(encoder, e)).toArray(byte[][]::new));

        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            receiver.feed(oneRead);

            // all of them, in the order they were written
            assertEquals(sent, receiver.received());
        }
    }

    @Test
    void readsThatStraddleFrameBoundariesDecodeEveryFrameInOrder() {
        // three frames cut into reads that each end in the middle of a frame
        List<Envelope> sent = List.of(Samples.chat(1, "one"), Samples.chat(2, "two"), Samples.chat(3, "three"));
        byte[] stream = concat(sent.stream().map(e -> encode(encoder, e)).toArray(byte[][]::new));
        int third = stream.length / 3;

        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            // first read: the first frame and part of the second
            receiver.feed(Arrays.copyOfRange(stream, 0, third + 10));
            assertEquals(sent.subList(0, 1), receiver.received());

            // second read: the rest of the second and a piece of the third
            receiver.feed(Arrays.copyOfRange(stream, third + 10, 2 * third + 10));
            assertEquals(sent.subList(0, 2), receiver.received());

            // last read: the end of the third
            receiver.feed(Arrays.copyOfRange(stream, 2 * third + 10, stream.length));
            assertEquals(sent, receiver.received());
        }
    }

    @Test
    void frameOfExactlyTheMaximumIsEncodedAndDecoded() {
        // a chat message padded so that its JSON body is exactly SMALL_MAX bytes
        Envelope atLimit = chatWithBodyOf(SMALL_MAX);
        EnvelopeEncoder smallEncoder = new EnvelopeEncoder(new WireFormat(SMALL_MAX));
        byte[] bytes = encode(smallEncoder, atLimit);
        assertEquals(WireFormat.LENGTH_BYTES + SMALL_MAX, bytes.length);

        // a node with the same limit accepts it
        try (InboundPipeline receiver = new InboundPipeline(SMALL_MAX)) {
            receiver.feed(bytes);
            assertEquals(List.of(atLimit), receiver.received());
            assertTrue(receiver.isOpen());
        }
    }

    @Test
    void lengthPrefixOverTheMaximumClosesTheChannelBeforeTheBodyArrives() {
        // a peer announces a body one byte over the limit
        byte[] prefix = ByteBuffer.allocate(4).putInt(SMALL_MAX + 1).array();

        try (InboundPipeline receiver = new InboundPipeline(SMALL_MAX)) {
            // the prefix alone is enough to refuse it: nothing is buffered waiting for the body
            receiver.feed(prefix);

            assertFalse(receiver.isOpen());
            assertInstanceOf(TooLongFrameException.class, receiver.failure());
            assertTrue(receiver.received().isEmpty());
        }
    }

    @Test
    void oversizeFrameIsNotDeliveredEvenWhenItsBodyIsValid() {
        // a valid envelope one byte over the receiver's limit, framed by hand
        byte[] body = WireFormat.toJson(chatWithBodyOf(SMALL_MAX + 1)).getBytes(UTF_8);
        assertEquals(SMALL_MAX + 1, body.length);

        try (InboundPipeline receiver = new InboundPipeline(SMALL_MAX)) {
            // the whole frame arrives in one read
            receiver.feed(frame(body));

            // the channel is closed and nothing was delivered
            assertFalse(receiver.isOpen());
            assertInstanceOf(TooLongFrameException.class, receiver.failure());
            assertTrue(receiver.received().isEmpty());
        }
    }

    @ParameterizedTest(name = "prefix {0}")
    @ValueSource(ints = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void absurdLengthPrefixClosesTheChannel(int prefix) {
        try (InboundPipeline receiver = new InboundPipeline(SMALL_MAX)) {
            // a length that is negative or far over the limit
            receiver.feed(concat(ByteBuffer.allocate(4).putInt(prefix).array(), "{}".getBytes(UTF_8)));

            // refused, nothing delivered
            assertFalse(receiver.isOpen());
            assertNotNull(receiver.failure());
            assertTrue(receiver.received().isEmpty());
        }
    }

    @Test
    void encoderRefusesAnEnvelopeOverTheMaximumAndWritesNothing() {
        EmbeddedChannel sender = new EmbeddedChannel(new EnvelopeEncoder(new WireFormat(SMALL_MAX)));
        try {
            // the write fails with the encoder's TooLongFrameException as cause
            EncoderException e = assertThrows(EncoderException.class,
                    () -> sender.writeOutbound(chatWithBodyOf(SMALL_MAX + 1)));
            assertInstanceOf(TooLongFrameException.class, e.getCause());

            // no partial frame reached the wire
            assertNull(sender.readOutbound());

            // the channel is still usable for a message that fits
            assertTrue(sender.writeOutbound(Samples.chat(2, "fits")));
            ByteBuf frame = sender.readOutbound();
            assertNotNull(frame);
            frame.release();
        } finally {
            sender.finishAndReleaseAll();
        }
    }

    static Stream<Arguments> badBodies() {
        String from = "\"from\":\"127.0.0.1:5000\"";
        String chat = "{\"type\":\"ChatSubmit\",\"msgId\":1,\"text\":\"hi\"}";
        String good = "{" + from + ",\"t\":1,\"msg\":" + chat + "}";
        return Stream.of(
                Arguments.of("invalid JSON", "this is not json"),
                Arguments.of("truncated JSON", good.substring(0, good.length() - 2)),
                Arguments.of("empty body", ""),
                Arguments.of("JSON null", "null"),
                Arguments.of("JSON array", "[" + good + "]"),
                Arguments.of("unknown type", "{" + from + ",\"t\":1,\"msg\":{\"type\":\"Teleport\"}}"),
                Arguments.of("Java class name as type", "{" + from + ",\"t\":1,\"msg\":"
                        + "{\"type\":\"org.ringchat.protocol.Message$ChatSubmit\",\"msgId\":1,\"text\":\"hi\"}}"),
                Arguments.of("type missing", "{" + from + ",\"t\":1,\"msg\":{\"msgId\":1,\"text\":\"hi\"}}"),
                Arguments.of("ChatSubmit without text",
                        "{" + from + ",\"t\":1,\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":1}}"),
                Arguments.of("null for a primitive",
                        "{" + from + ",\"t\":1,\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":null,\"text\":\"hi\"}}"),
                Arguments.of("msg missing", "{" + from + ",\"t\":1}"),
                Arguments.of("from missing", "{\"t\":1,\"msg\":" + chat + "}"),
                Arguments.of("from not host:port", "{\"from\":\"nohost\",\"t\":1,\"msg\":" + chat + "}"),
                Arguments.of("negative Lamport time", "{" + from + ",\"t\":-1,\"msg\":" + chat + "}"),
                Arguments.of("View with ranks out of order", "{" + from + ",\"t\":1,\"msg\":{\"type\":\"NotMember\","
                        + "\"view\":{\"term\":1,\"version\":1,\"leader\":\"h:1\",\"nextRank\":3,\"members\":["
                        + "{\"name\":\"b\",\"address\":\"h:2\",\"rank\":2},"
                        + "{\"name\":\"a\",\"address\":\"h:1\",\"rank\":1}]}}}"),
                Arguments.of("trailing garbage", good + " garbage"),
                Arguments.of("two envelopes in one frame", good + good));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badFrameBodyClosesTheChannelAndDeliversNothing(String why, String body) {
        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            // a well-framed body that is not a valid envelope
            receiver.feed(frame(body.getBytes(UTF_8)));

            // the decoder fails the channel; the node closes it
            assertFalse(receiver.isOpen(), why);
            assertInstanceOf(CorruptedFrameException.class, receiver.failure(), why);
            assertTrue(receiver.received().isEmpty(), why);
        }
    }

    static Stream<Arguments> failingFrames() {
        byte[] oversize = WireFormat.toJson(chatWithBodyOf(SMALL_MAX + 1)).getBytes(UTF_8);
        return Stream.of(
                Arguments.of("oversize frame", frame(oversize)),
                Arguments.of("invalid JSON", frame("garbage".getBytes(UTF_8))),
                Arguments.of("unknown type", frame(("{\"from\":\"h:1\",\"t\":1,\"msg\":{\"type\":\"Nope\"}}")
                        .getBytes(UTF_8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingFrames")
    void framesReadAfterOneThatFailedTheChannelAreNotDelivered(String why, byte[] failing) {
        // a failing frame and two good ones arrive in the same read
        byte[] good = encode(encoder, Samples.chat(1, "after"));
        try (InboundPipeline receiver = new InboundPipeline(SMALL_MAX)) {
            receiver.feed(concat(failing, good, good));

            // the first closes the channel; the node hears nothing more from that peer
            assertFalse(receiver.isOpen(), why);
            assertNotNull(receiver.failure(), why);
            assertEquals(List.of(), receiver.received(), why);
        }
    }

    @Test
    void sameBodiesWithTheBadPartRemovedDecodeFine() {
        // guards the bad-body cases above: the well-formed base they are built from is accepted
        String good = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":"
                + "{\"type\":\"ChatSubmit\",\"msgId\":1,\"text\":\"hi\"}}";
        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            receiver.feed(frame(good.getBytes(UTF_8)));
            assertEquals(List.of(Samples.chat(1, "hi")), receiver.received());
        }
    }

    @Test
    void freshChannelSharingTheEncoderWorksAfterAnotherWasClosedByABadFrame() {
        // the encoder is @Sharable: one instance serves every connection of a node
        assertTrue(encoder.isSharable());
        FrameDecoder frameDecoder = new FrameDecoder(MAX);
        assertFalse(frameDecoder.isSharable(), "FrameDecoder buffers per connection");

        // two connections use the same encoder instance
        try (InboundPipeline broken = new InboundPipeline(MAX, encoder);
                InboundPipeline healthy = new InboundPipeline(MAX, encoder)) {

            // garbage closes the first connection
            broken.feed(frame("garbage".getBytes(UTF_8)));
            assertFalse(broken.isOpen());

            // the second one still decodes inbound frames
            Envelope in = Samples.chat(3, "still fine");
            healthy.feed(encode(encoder, in));
            assertEquals(List.of(in), healthy.received());

            // and still encodes outbound ones with the shared encoder
            Envelope out = Samples.chat(4, "reply");
            assertTrue(healthy.channel().writeOutbound(out));
            ByteBuf written = healthy.channel().readOutbound();
            byte[] bytes = new byte[written.readableBytes()];
            written.readBytes(bytes);
            written.release();
            assertEquals(List.of(out), decodeAll(bytes));
        }
    }

    @Test
    void encodedBuffersPassThroughTheEncoderUntouched() {
        // a fan-out encodes once and writes duplicates of the same frame to every member
        WireFormat format = new WireFormat(MAX);
        EmbeddedChannel sender = new EmbeddedChannel(encoder);
        ByteBuf once = format.encode(Samples.chat(5, "fan-out"), sender.alloc());
        try {
            sender.writeOutbound(once.retainedDuplicate());
            ByteBuf written = sender.readOutbound();
            byte[] bytes = new byte[written.readableBytes()];
            written.readBytes(bytes);
            written.release();

            // the written bytes are a whole frame that decodes to the envelope
            assertEquals(List.of(Samples.chat(5, "fan-out")), decodeAll(bytes));
        } finally {
            once.release();
            sender.finishAndReleaseAll();
        }
    }

    /** Feeds {@code bytes} to a fresh pipeline and returns what it delivered. */
    private static List<Envelope> decodeAll(byte[] bytes) {
        try (InboundPipeline receiver = new InboundPipeline(MAX)) {
            receiver.feed(bytes);
            assertNull(receiver.failure());
            return new ArrayList<>(receiver.received());
        }
    }

    /** A chat envelope whose JSON body is exactly {@code bodyBytes} long (ASCII padding). */
    static Envelope chatWithBodyOf(int bodyBytes) {
        int base = WireFormat.toJson(Samples.chat(1, "")).getBytes(UTF_8).length;
        Envelope padded = Samples.chat(1, "x".repeat(bodyBytes - base));
        assertEquals(bodyBytes, WireFormat.toJson(padded).getBytes(UTF_8).length);
        return padded;
    }
}
