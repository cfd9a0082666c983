package org.ringchat.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingView;

/** Every --json line is one JSON object with the documented fields, whatever the text holds. */
class JsonLinesTest {

    /** Newlines, terminal escapes, bidi overrides, Unicode line breaks, C1, zero-width, emoji, quotes. */
    private static final String NASTY = "one\ntwo\r\n\u001b[31mred\u001b]0;title\u0007 \u202Eevil\u202C \u2066iso\u2069"
            + " \u2028ls\u2029ps \u0085nel \u009bcsi \u007fdel \u200bzw \ufeffbom \u00adshy tab\t"
            + " \"quoted\" back\\slash </script> 😀 👍🏽 👨\u200D👩\u200D👧 é e\u0301";

    private static final ObjectMapper PARSER = new ObjectMapper();
    private final JsonLines json = new JsonLines();

    /** 2026-11-30T07:50:59.123Z. */
    private static final long WALL_CLOCK_MS = 1_796_025_059_123L;
    private static final Member ALICE = new Member("alice", NodeAddress.parse("127.0.0.1:5000"), 1);

    private static ChatMessage message(String text) {
        return new ChatMessage(42, ALICE, 7, text, 107, 110, "ops", WALL_CLOCK_MS);
    }

    /** Parses a line that must be exactly one JSON object, and safe for a line-oriented reader. */
    private static JsonNode parse(String line) throws IOException {
        assertOneSafeLine(line);
        JsonNode node = PARSER.readTree(line);
        assertTrue(node.isObject(), line);
        return node;
    }

    private static void assertOneSafeLine(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            int type = Character.getType(c);
            assertFalse(type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR,
                    () -> String.format("raw U+%04X in %s", (int) c, line));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aChatOrHistoryMessageCarriesEverythingABotNeeds(boolean history) throws IOException {
        JsonNode chat = parse(json.chat(message("hello"), history));

        assertEquals(history ? "history" : "chat", chat.get("type").asText());
        assertEquals("ops", chat.get("room").asText());
        assertEquals(42, chat.get("seq").asLong());
        assertEquals(107, chat.get("stamp").asLong());
        assertEquals(110, chat.get("lamport").asLong());
        assertEquals("alice", chat.get("sender").asText());
        assertEquals("127.0.0.1:5000", chat.get("senderAddress").asText());
        assertEquals(7, chat.get("msgId").asLong());
        assertEquals("hello", chat.get("text").asText());
        // the wall-clock time twice: ISO-8601 in UTC to the millisecond, and epoch milliseconds
        assertEquals("2026-11-30T07:50:59.123Z", chat.get("time").asText());
        assertEquals(WALL_CLOCK_MS, chat.get("timeMs").asLong());
        assertEquals(List.of("type", "room", "seq", "stamp", "lamport", "time", "timeMs", "sender", "senderAddress",
                "msgId", "text"), names(chat));
    }

    @Test
    void aTimeTheLeaderDidNotGiveIsNullNotTheEpoch() throws IOException {
        JsonNode chat = parse(json.chat(new ChatMessage(1, ALICE, 1, "hi", 3, 4, "general", 0), false));

        assertTrue(chat.get("time").isNull(), chat::toString);
        assertTrue(chat.get("timeMs").isNull(), chat::toString);
    }

    @Test
    void timesAreAlwaysToTheMillisecond() throws IOException {
        // a whole second keeps its .000, so every time has one shape
        JsonNode chat = parse(json.chat(new ChatMessage(1, ALICE, 1, "hi", 3, 4, "general", 1_796_025_059_000L), false));

        assertEquals("2026-11-30T07:50:59.000Z", chat.get("time").asText());
    }

    @ParameterizedTest
    @EnumSource(RingEvent.Kind.class)
    void everyRingEventIsOneObjectWithItsTypeLamportAndText(RingEvent.Kind kind) throws IOException {
        JsonNode event = parse(json.event(new RingEvent(kind, 213, "something happened")));

        assertEquals(JsonLines.type(kind), event.get("type").asText());
        assertEquals(213, event.get("lamport").asLong());
        assertEquals("something happened", event.get("text").asText());
        assertEquals(List.of("type", "lamport", "text"), names(event));
    }

    @Test
    void everyRingEventKindHasItsOwnReadableTypeName() {
        // a kind added to RingEvent without a line in JsonLines fails here, not silently
        assertEquals(EnumSet.allOf(RingEvent.Kind.class), JsonLines.eventTypeNames().keySet());
        List<String> names = new ArrayList<>(JsonLines.eventTypeNames().values());
        assertEquals(names.size(), names.stream().distinct().count(), "two kinds share a type: " + names);
        names.addAll(List.of("chat", "history", "notice", "error", "status"));
        assertEquals(names.size(), names.stream().distinct().count(), "a kind reuses a type of its own: " + names);
        names.forEach(n -> assertTrue(n.matches("[a-z_]+"), n));
    }

    @Test
    void noticesAndErrorsCarryTheirText() throws IOException {
        JsonNode notice = parse(json.notice("leader: alice(127.0.0.1:5000)"));
        assertEquals("notice", notice.get("type").asText());
        assertEquals("leader: alice(127.0.0.1:5000)", notice.get("text").asText());

        JsonNode error = parse(json.error("unknown command //frobnicate"));
        assertEquals("error", error.get("type").asText());
        assertEquals("unknown command //frobnicate", error.get("text").asText());
        assertEquals(List.of("type", "text"), names(error));
    }

    @Test
    void statusIsItsFieldsInOrder() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("self", "alice(127.0.0.1:5000)");
        fields.put("leader", "alice(127.0.0.1:5000)");
        fields.put("size", 3);
        fields.put("term", 2L);
        fields.put("address", NodeAddress.parse("127.0.0.1:5000"));
        fields.put("room", null);

        JsonNode status = parse(json.status(fields));

        assertEquals(List.of("type", "self", "leader", "size", "term", "address", "room"), names(status));
        assertEquals("status", status.get("type").asText());
        assertEquals(3, status.get("size").asInt());
        assertEquals("127.0.0.1:5000", status.get("address").asText());
        assertTrue(status.get("room").isNull());
        assertThrows(IllegalArgumentException.class, () -> json.status(Map.of("type", "x")));
    }

    @Test
    void statusOfANodeNamesEveryMemberByNameAndAddress() throws IOException {
        Member bob = new Member("bob", NodeAddress.parse("127.0.0.1:5001"), 2);
        RingView view = new RingView(bob, RingView.Status.MEMBER, ALICE, 3, List.of(ALICE, bob), ALICE, ALICE, 12, 1,
                Map.of(bob.address(), "ops"), 57, List.of("Bob"), List.of());

        JsonNode status = parse(json.status(JsonLines.statusFields(view, "ops")));

        assertEquals(List.of("type", "name", "address", "state", "isLeader", "room", "silenced", "leader",
                "leaderAddress", "size", "next", "nextAddress", "previous", "previousAddress", "electing", "term",
                "lamport", "delivered", "unconfirmed"), names(status));
        assertEquals("bob", status.get("name").asText());
        assertEquals("127.0.0.1:5001", status.get("address").asText());
        assertEquals("member", status.get("state").asText());
        assertFalse(status.get("isLeader").asBoolean());
        assertEquals("ops", status.get("room").asText());
        assertTrue(status.get("silenced").asBoolean());
        assertEquals("alice", status.get("leader").asText());
        assertEquals("127.0.0.1:5000", status.get("leaderAddress").asText());
        assertEquals(2, status.get("size").asInt());
        assertEquals("127.0.0.1:5000", status.get("nextAddress").asText());
        assertFalse(status.get("electing").asBoolean());
        assertEquals(3, status.get("term").asLong());
        assertEquals(57, status.get("lamport").asLong());
        assertEquals(12, status.get("delivered").asLong());
        assertEquals(1, status.get("unconfirmed").asInt());
    }

    @Test
    void statusWithoutALeaderSaysNull() throws IOException {
        Member bob = new Member("bob", NodeAddress.parse("127.0.0.1:5001"), 2);
        RingView view = new RingView(bob, RingView.Status.ELECTING, null, 3, List.of(bob), bob, bob, 12, 0);

        JsonNode status = parse(json.status(JsonLines.statusFields(view, "general")));

        assertTrue(status.get("leader").isNull());
        assertTrue(status.get("leaderAddress").isNull());
        assertTrue(status.get("electing").asBoolean());
    }

    @Test
    void nastyTextRoundTripsExactlyAndStaysOneSafeLine() throws IOException {
        List<String> lines = List.of(json.chat(message(NASTY), false), json.chat(message(NASTY), true),
                json.event(new RingEvent(RingEvent.Kind.WARNING, 1, NASTY)), json.notice(NASTY), json.error(NASTY),
                json.status(Map.of("text", NASTY)));

        for (String line : lines) {
            // one line, no raw control, format or separator character, and the exact text back
            assertEquals(NASTY, parse(line).get("text").asText(), line);
            assertTrue(line.contains("\\u001B[31m") && line.contains("\\u202E") && line.contains("\\u2028")
                    && line.contains("\\u009B") && line.contains("\\u007F") && line.contains("\\n"), line);
            // what is merely non-ASCII stays readable
            assertTrue(line.contains("😀 👍🏽") && line.contains("é e\u0301"), line);
            // and the line survives UTF-8 unchanged, as stdout writes it
            assertEquals(line, new String(line.getBytes(UTF_8), UTF_8));
        }
    }

    @Test
    void docsJsonHasASectionForEveryType() throws IOException {
        String docs = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("docs/json.md"), UTF_8);
        List<String> types = new ArrayList<>(JsonLines.eventTypeNames().values());
        types.addAll(List.of("chat", "history", "notice", "error", "status"));
        for (String type : types) {
            assertTrue(docs.contains("\n### `" + type + "`\n") || docs.contains("\n## `" + type + "`\n"),
                    "docs/json.md has no section for " + type);
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
