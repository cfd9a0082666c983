package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every number and text a frame carries has a range: a frame with any numeric field at an
 * extreme, or with text that is not valid Unicode, does not decode (its connection closes), and
 * no decoded message carries a counter beyond {@link Bounds#MAX_COUNTER}.
 */
class BoundsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Fields that may hold any value: nonces (random), a change's base digest (a fingerprint, compared,
     * never counted with), and Hello's protocol version (checked by the receiver).
     */
    private static final Set<String> ANY_VALUE = Set.of("nonce", "baseDigest", "msg.version");

    private static final long[] EXTREMES = {Long.MAX_VALUE, Long.MIN_VALUE, Bounds.MAX_COUNTER + 1, -2};

    private static Envelope decode(JsonNode json) {
        return decode(json.toString());
    }

    private static Envelope decode(String json) {
        return WireFormat.decodeBody(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyNumericFieldAtAnExtremeIsRefused() throws Exception {
        int checked = 0;
        for (Message message : Samples.oneOfEachType()) {
            JsonNode original = JSON.readTree(WireFormat.toJson(new Envelope(Samples.ALICE_ADDR, 3, message)));
            for (String path : JsonFields.numericPaths(original)) {
                for (long extreme : EXTREMES) {
                    JsonNode json = original.deepCopy();
                    JsonFields.set(json, path, extreme);
                    String field = JsonFields.field(path);
                    if (ANY_VALUE.contains(field) || ANY_VALUE.contains(path) && message instanceof Message.Hello) {
                        continue;
                    }
                    assertThrows(CorruptedFrameException.class, () -> decode(json),
                            () -> message.getClass().getSimpleName() + " " + path + " = " + extreme + " was accepted");
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "checked " + checked + " cases");
    }

    @Test
    void textThatIsNotValidUnicodeIsRefused() throws Exception {
        // a lone surrogate, as JSON can spell it
        String lone = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":1,\"text\":\"bad \\ud800 text\"}}";
        assertThrows(CorruptedFrameException.class, () -> decode(lone));
        String name = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":2,\"name\":\"\\udc00x\"}}";
        assertThrows(CorruptedFrameException.class, () -> decode(name));
        // a proper pair is fine
        String pair = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":1,\"text\":\"\\ud83d\\udc26\"}}";
        assertEquals("🐦", ((Message.ChatSubmit) decode(pair).message()).text());
    }

    @Test
    void namesAreBoundedAndNonEmpty() {
        assertThrows(IllegalArgumentException.class, () -> new Member("", Samples.ALICE_ADDR, 1));
        assertThrows(IllegalArgumentException.class, () -> new Member("x".repeat(Bounds.MAX_NAME_LENGTH + 1), Samples.ALICE_ADDR, 1));
        assertEquals(Bounds.MAX_NAME_LENGTH, new Member("x".repeat(Bounds.MAX_NAME_LENGTH), Samples.ALICE_ADDR, 1).name().length());
    }

    @Test
    void nameLengthCountsCodePointsNotJavaChars() {
        // 32 letters outside the BMP are 64 Java chars, and still a name of 32 characters
        String gothic = "\uD800\uDF30".repeat(Bounds.MAX_NAME_LENGTH);
        assertEquals(2 * Bounds.MAX_NAME_LENGTH, new Member(gothic, Samples.ALICE_ADDR, 1).name().length());
        assertThrows(IllegalArgumentException.class, () -> new Member(gothic + "\uD800\uDF30", Samples.ALICE_ADDR, 1));
    }

    @Test
    void aFrameWithANameThatHidesOrFakesTextIsRefused() {
        // a space, a control, a bidi override, a zero-width joiner, a line separator, a no-break
        // space, and "é" spelt e + combining acute (not NFC): each in a Hello, a JoinRequest and a Member
        String[] bad = {"bo b", "bo\\u0007b", "bo\\u202eb", "bo\\u200db", "bo\\u2028b", "bo\\u00a0b", "jose\\u0301"};
        for (String name : bad) {
            String hello = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":3,\"name\":\"" + name + "\"}}";
            String join = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"JoinRequest\",\"name\":\"" + name
                    + "\",\"joiner\":\"127.0.0.1:5000\",\"afterSeq\":-1}}";
            String leave = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"MembershipUpdate\",\"view\":{\"term\":1,"
                    + "\"version\":2,\"leader\":\"127.0.0.1:5000\",\"members\":[{\"name\":\"" + name
                    + "\",\"address\":\"127.0.0.1:5000\",\"rank\":1}],\"nextRank\":2},\"departed\":[]}}";
            for (String json : List.of(hello, join, leave)) {
                assertThrows(CorruptedFrameException.class, () -> decode(json), json);
            }
        }
        // the same letters composed (NFC), and any script, are the leader's to judge: the wire takes them
        assertEquals("jos\u00e9", ((Message.Hello) decode(
                "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":3,\"name\":\"jos\\u00e9\"}}")
                .message()).name());
        assertEquals("\u0437\u043e\u044f", new Member("\u0437\u043e\u044f", Samples.ALICE_ADDR, 1).name());
    }

    @Test
    void aJoinAcceptedTellsAtMostMaxLostMembers() {
        LostMember eve = new LostMember(new Member("Eve", new NodeAddress("10.0.0.5", 5004), 3),
                Departure.Reason.CRASHED, 1_000, 4);
        // as many as a leader remembers are told
        List<LostMember> most = Collections.nCopies(Bounds.MAX_LOST_MEMBERS, eve);
        assertEquals(Bounds.MAX_LOST_MEMBERS,
                new Message.JoinAccepted(Samples.CAROL, Samples.VIEW, 2, List.of(), List.of(), most).lost().size());
        // one more is not built, so a frame carrying it does not decode
        List<LostMember> tooMany = Collections.nCopies(Bounds.MAX_LOST_MEMBERS + 1, eve);
        assertThrows(IllegalArgumentException.class,
                () -> new Message.JoinAccepted(Samples.CAROL, Samples.VIEW, 2, List.of(), List.of(), tooMany));
    }

    @Test
    void aJoinRejectedFromAnOlderSenderIsNotANameRefusal() {
        // no nameRefused field: false, so the joiner treats it as before
        String old = "{\"from\":\"127.0.0.1:5000\",\"t\":1,\"msg\":{\"type\":\"JoinRejected\",\"reason\":\"no\"}}";
        assertEquals(new Message.JoinRejected("no", false), decode(old).message());
    }
}
