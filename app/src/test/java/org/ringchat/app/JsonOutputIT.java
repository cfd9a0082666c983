package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --json} through the real jar: every line on stdout is one JSON object, and a bot gets
 * each kind of event it needs (chat, history, join, leave, leader, room, moderation, notice,
 * error, status, …) with the fields {@code docs/json.md} promises.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JsonOutputIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> objects(RingProcess p) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : p.stdout()) {
            try {
                JsonNode node = JSON.readTree(line);
                assertTrue(node.isObject() && node.get("type").isTextual(), "not a typed object: " + line);
                out.add(node);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }
        return out;
    }

    private static boolean has(RingProcess p, String type, String text) {
        return objects(p).stream().anyMatch(o -> o.get("type").asText().equals(type)
                && o.path("text").asText().contains(text));
    }

    private void awaitType(RingProcess p, String type, String text) {
        await().atMost(WAIT).untilAsserted(() -> assertTrue(has(p, type, text),
                "no " + type + " with '" + text + "' from " + p + "\n" + p.describe()));
    }

    @Test
    void everyLineIsOneObjectAndEveryEventTypeComesThrough() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        await().atMost(WAIT).until(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started")));
        alice.sendLine("before the bot came");
        RingProcess bot = add(RingProcess.joiner(tmp, "bot", RingProcess.freePort(), alice.port(), "--json"));
        awaitType(bot, "welcome", "joined the ring");
        awaitType(bot, "history", "before the bot came");
        awaitType(bot, "notice", "end of history");
        alice.sendLine("hello bot \u001b[2J");
        awaitType(bot, "chat", "hello bot");
        JsonNode chat = objects(bot).stream().filter(o -> o.get("type").asText().equals("chat")).findFirst().orElseThrow();
        assertEquals("hello bot \u001b[2J", chat.get("text").asText(), "the exact text, escaped only by JSON");
        assertEquals("alice", chat.get("sender").asText());
        assertEquals("127.0.0.1:" + alice.port(), chat.get("senderAddress").asText());
        assertEquals("general", chat.get("room").asText());
        for (String field : List.of("seq", "stamp", "lamport", "timeMs", "msgId")) {
            assertTrue(chat.get(field).isIntegralNumber(), field + " in " + chat);
        }
        assertTrue(chat.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), chat.toString());
        bot.sendLine("hi from the bot");
        awaitType(bot, "sent", "hi from the bot");
        bot.sendLine("//status");
        await().atMost(WAIT).until(() -> objects(bot).stream().anyMatch(o -> o.get("type").asText().equals("status")
                && o.get("name").asText().equals("bot") && o.get("room").asText().equals("general")));
        bot.sendLine("//nonsense");
        awaitType(bot, "error", "unknown command //nonsense");
        bot.sendLine("//join ops");
        awaitType(bot, "notice", "you are now in #ops");
        awaitType(bot, "room", "you moved to #ops");
        alice.sendLine("!silence bot");
        awaitType(bot, "moderation", "bot was silenced by");
        RingProcess carol = add(RingProcess.joiner(tmp, "carol", RingProcess.freePort(), alice.port()));
        awaitType(bot, "join", "carol");
        carol.sendLine("//exit");
        awaitType(bot, "leave", "carol");
        alice.signal("KILL");
        awaitType(bot, "leader", "leader: bot");
        Set<String> types = new TreeSet<>();
        objects(bot).forEach(o -> types.add(o.get("type").asText()));
        assertTrue(types.containsAll(Set.of("welcome", "history", "notice", "chat", "status", "error", "room",
                "moderation", "join", "leave", "leader", "neighbors", "sent", "election_start", "repair")), types.toString());
    }
}
