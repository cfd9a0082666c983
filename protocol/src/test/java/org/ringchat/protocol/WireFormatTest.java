package org.ringchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON inside a frame, and the frame layout, as other implementations would see them. */
@Timeout(30)
class WireFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Message> everyMessageType() {
        return Samples.oneOfEachType().stream();
    }

    @Test
    void everyPermittedMessageTypeIsRegisteredUnderItsSimpleName() {
        // the wire names Jackson knows about
        Map<Class<?>, String> registered = new HashMap<>();
        for (JsonSubTypes.Type t : Message.class.getAnnotation(JsonSubTypes.class).value()) {
            String previous = registered.put(t.value(), t.name());
            assertEquals(null, previous, "registered twice: " + t.value());
        }

        // exactly the sealed interface's permitted records, each named by its simple name
        Map<Class<?>, String> expected = new HashMap<>();
        for (Class<?> c : Message.class.getPermittedSubclasses()) {
            expected.put(c, c.getSimpleName());
        }
        assertEquals(expected, registered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessageType")
    void envelopeJsonHasFromTimeAndMessageWithStableTypeName(Message message) throws Exception {
        // an envelope from an IPv4 sender
        JsonNode json = JSON.readTree(WireFormat.toJson(new Envelope(Samples.ALICE_ADDR, 12, message)));

        // exactly the three envelope fields
        assertEquals(Set.of("from", "t", "msg"), fieldNames(json));
        assertEquals("127.0.0.1:5000", json.get("from").textValue());
        assertEquals(12, json.get("t").longValue());

        // the message carries its simple record name as "type", never a Java class name
        String type = json.get("msg").get("type").textValue();
        assertEquals(message.getClass().getSimpleName(), type);
        assertFalse(type.contains(".") || type.contains("$"), type);
        assertFalse(json.toString().contains("org.ringchat"), json::toString);
    }

    @Test
    void chatSubmitJsonIsExactlyAsDocumented() throws Exception {
        // the smallest complete example of the wire format, compared as a JSON tree
        Envelope envelope = new Envelope(new NodeAddress("10.0.0.1", 5000), 3,
                new Message.ChatSubmit(2, "hi"));

        JsonNode expected = JSON.readTree(
                "{\"from\":\"10.0.0.1:5000\",\"t\":3,"
                        + "\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":2,\"text\":\"hi\",\"room\":\"general\"}}");
        assertEquals(expected, JSON.readTree(WireFormat.toJson(envelope)));
    }

    @Test
    void addressesInsideMessagesAreHostColonPortStringsAndIpv6IsBracketed() throws Exception {
        // an IPv6 sender whose message names both an IPv6 and a host-name address
        Envelope envelope = new Envelope(new NodeAddress("::1", 5000), 1,
                new Message.Election(new Candidate(4, new NodeAddress("fe80::1", 6000)), 2));
        JsonNode json = JSON.readTree(WireFormat.toJson(envelope));

        // every address is one string, IPv6 hosts in brackets
        assertEquals("[::1]:5000", json.get("from").textValue());
        assertEquals("[fe80::1]:6000", json.at("/msg/candidate/address").textValue());

        // and reads back as the same address
        assertEquals(envelope, decode(WireFormat.toJson(envelope)));
    }

    @Test
    void emptyMessageIsJustItsType() throws Exception {
        // Leave has no fields: the type alone identifies it
        JsonNode msg = JSON.readTree(WireFormat.toJson(new Envelope(Samples.ALICE_ADDR, 1,
                new Message.Leave()))).get("msg");
        assertEquals(JSON.readTree("{\"type\":\"Leave\"}"), msg);
    }

    @Test
    void aHelloIsAStandbyOnlyWhenItSaysSo() throws Exception {
        // an ordinary Hello is written as before the field existed, and one without it reads as ordinary
        JsonNode plain = JSON.readTree(WireFormat.toJson(new Envelope(Samples.ALICE_ADDR, 1,
                new Message.Hello(ProtocolVersion.CURRENT, "Alice")))).get("msg");
        assertEquals(JSON.readTree("{\"type\":\"Hello\",\"version\":" + ProtocolVersion.CURRENT + ",\"name\":\"Alice\"}"), plain);
        Message.Hello old = (Message.Hello) decode("{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"Hello\","
                + "\"version\":" + ProtocolVersion.CURRENT + ",\"name\":\"Alice\"}}").message();
        assertFalse(old.standby());
        // a spare link's Hello says so
        JsonNode spare = JSON.readTree(WireFormat.toJson(new Envelope(Samples.ALICE_ADDR, 1,
                new Message.Hello(ProtocolVersion.CURRENT, "Alice").asStandby()))).get("msg");
        assertTrue(spare.get("standby").asBoolean());
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerPeersCanAddThem() {
        // a newer peer adds a field to the envelope and to the message
        Envelope decoded = decode("{\"from\":\"127.0.0.1:5000\",\"t\":4,\"trace\":\"x\","
                + "\"msg\":{\"type\":\"Ping\",\"nonce\":9,\"priority\":1}}");

        // the fields this version knows are read as usual
        assertEquals(new Envelope(Samples.ALICE_ADDR, 4, new Message.Ping(9)), decoded);
    }

    @Test
    void frameIsBigEndianLengthThenUtf8Json() throws Exception {
        // a message with multi-byte UTF-8 characters, so bytes and chars differ
        Envelope envelope = Samples.chat(5, "ünïcødé 🐦");
        WireFormat format = new WireFormat(WireFormat.DEFAULT_MAX_FRAME_BYTES);
        ByteBuf frame = format.encode(envelope, ByteBufAllocator.DEFAULT);
        try {
            // 4-byte length prefix equal to the number of body bytes that follow
            int length = frame.readInt();
            assertEquals(frame.readableBytes(), length);

            // the body is UTF-8 JSON of the envelope (characters outside the BMP may be
            // written as escaped surrogate pairs, so compare JSON trees rather than bytes)
            byte[] body = new byte[length];
            frame.readBytes(body);
            assertEquals(JSON.readTree(WireFormat.toJson(envelope)), JSON.readTree(new String(body, UTF_8)));
        } finally {
            frame.release();
        }
    }

    @Test
    void encodeRefusesAnEnvelopeOverTheMaximum() {
        // 64 bytes is the smallest allowed limit; a chat message over it is refused
        WireFormat format = new WireFormat(64);
        assertThrows(TooLongFrameException.class,
                () -> format.encode(Samples.chat(1, "x".repeat(100)), ByteBufAllocator.DEFAULT));
    }

    @Test
    void refusedEncodeLeavesTheTargetBufferAsItWas() {
        // a buffer that already holds a frame
        WireFormat format = new WireFormat(128);
        ByteBuf out = Unpooled.buffer();
        try {
            format.encodeInto(Samples.chat(1, "first"), out);
            byte[] before = readable(out);

            // appending a frame over the limit fails
            assertThrows(TooLongFrameException.class,
                    () -> format.encodeInto(Samples.chat(2, "y".repeat(200)), out));

            // and leaves no partial frame behind
            assertArrayEquals(before, readable(out));
        } finally {
            out.release();
        }
    }

    @Test
    void limitBelowSixtyFourBytesIsRejected() {
        // too small for any envelope to fit
        assertThrows(IllegalArgumentException.class, () -> new WireFormat(63));
        assertEquals(64, new WireFormat(64).maxFrameBytes());
    }

    @Test
    void decodeBodyReportsMalformedInputAsCorruptedFrame() {
        // the codec's single failure type for bad bodies
        assertThrows(CorruptedFrameException.class, () -> decode("{"));
        assertThrows(CorruptedFrameException.class, () -> decode("null"));
        assertThrows(CorruptedFrameException.class,
                () -> decode("{\"from\":\"h:1\",\"t\":-5,\"msg\":{\"type\":\"Leave\"}}"));
    }

    private static Envelope decode(String body) {
        ByteBuf buf = Unpooled.copiedBuffer(body, UTF_8);
        try {
            return WireFormat.decodeBody(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] readable(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

}
