package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every number and text a frame carries has a range: a frame with any numeric field at an
 * extreme, or with text that is not valid Unicode, does not decode (its connection closes), and
 * no decoded message carries a counter beyond {@link Bounds#MAX_COUNTER}.
 */
class BoundsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fields that may hold any value: nonces (random), and Hello's protocol version (checked by the receiver). */
    private static final Set<String> ANY_VALUE = Set.of("nonce", "msg.version");

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
}
