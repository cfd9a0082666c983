package org.ringchat.app;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ringchat.protocol.Member;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingView;

/**
 * The {@code --json} output: every output event as one JSON object on one line, its kind in
 * {@code type}. A pure formatter, safe to share between threads; the caller prints the lines.
 * The format is documented, and promised, in {@code docs/json.md}.
 *
 * <p>Strings are the exact text (a consumer decodes the very characters the sender wrote), and a
 * line is safe for any line-oriented consumer and any terminal: besides what JSON requires, every
 * control character (C0, DEL, C1), line and paragraph separator (U+2028, U+2029) and format
 * character (bidi overrides and isolates, zero-width characters, BOM) is written as a
 * {@code \}{@code uXXXX} escape. Everything else, emoji included, is written as itself (UTF-8 on
 * the way out).
 */
final class JsonLines {

    /** The {@code type} of each ring event; a kind missing here would be written as its name in lower case. */
    private static final Map<RingEvent.Kind, String> EVENT_TYPES = eventTypes();
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper = JsonMapper.builder(
            new JsonFactoryBuilder().characterEscapes(new LineSafeEscapes()).build()).build();

    private static Map<RingEvent.Kind, String> eventTypes() {
        Map<RingEvent.Kind, String> types = new EnumMap<>(RingEvent.Kind.class);
        types.put(RingEvent.Kind.WELCOME, "welcome");
        types.put(RingEvent.Kind.JOINED, "join");
        types.put(RingEvent.Kind.LEFT, "leave");
        types.put(RingEvent.Kind.REPAIRED, "repair");
        types.put(RingEvent.Kind.NEIGHBORS, "neighbors");
        types.put(RingEvent.Kind.SUSPECT, "suspect");
        types.put(RingEvent.Kind.ELECTION_STARTED, "election_start");
        types.put(RingEvent.Kind.ELECTION, "election");
        types.put(RingEvent.Kind.LEADER, "leader");
        types.put(RingEvent.Kind.REMOVED, "removed");
        types.put(RingEvent.Kind.CHAT_SENT, "sent");
        types.put(RingEvent.Kind.WARNING, "warning");
        types.put(RingEvent.Kind.ROOM, "room");
        types.put(RingEvent.Kind.MODERATION, "moderation");
        types.put(RingEvent.Kind.MERGED, "merged");
        return Collections.unmodifiableMap(types);
    }

    /** The explicit {@code type} names of ring events, for tests and docs. */
    static Map<RingEvent.Kind, String> eventTypeNames() {
        return EVENT_TYPES;
    }

    /** The {@code type} a ring event of this kind is written with. */
    static String type(RingEvent.Kind kind) {
        return EVENT_TYPES.getOrDefault(kind, kind.name().toLowerCase(Locale.ROOT));
    }

    /** A delivered message: {@code type} {@code chat}, or {@code history} when shown as history. */
    String chat(ChatMessage message, boolean history) {
        long wallClockMs = message.wallClockMs();
        Map<String, Object> fields = object(history ? "history" : "chat");
        fields.put("room", message.room());
        fields.put("seq", message.seq());
        fields.put("stamp", message.stamp());
        fields.put("lamport", message.lamport());
        boolean known = wallClockMs > 0;
        fields.put("time", known ? UTC.format(Instant.ofEpochMilli(wallClockMs)) : null);
        fields.put("timeMs", known ? wallClockMs : null);
        fields.put("sender", message.sender().name());
        fields.put("senderAddress", message.sender().address().toString());
        fields.put("msgId", message.msgId());
        fields.put("text", message.text());
        return write(fields);
    }

    /** A ring event: its kind's {@link #type}, this node's Lamport time and its line of text. */
    String event(RingEvent event) {
        Map<String, Object> fields = object(type(event.kind()));
        fields.put("lamport", event.lamport());
        fields.put("text", event.text());
        return write(fields);
    }

    /** A line of the console's own, shown as {@code * text} on a screen. */
    String notice(String text) {
        return textOnly("notice", text);
    }

    /** Something the user asked for that failed, shown as {@code * text} or {@code error: text}. */
    String error(String text) {
        return textOnly("error", text);
    }

    /**
     * {@code //status} as one object: {@code type} {@code status} and the given fields in their
     * order, their values as Jackson writes them.
     *
     * @throws IllegalArgumentException if a field is called {@code type}
     */
    String status(Map<String, ?> fields) {
        if (fields.containsKey("type")) {
            throw new IllegalArgumentException("a status field may not be called type");
        }
        Map<String, Object> all = object("status");
        all.putAll(fields);
        return write(all);
    }

    /**
     * The fields of {@code //status} for {@link #status}: this node, its room, the leader, the ring
     * and the counters, each member as a name and an address.
     */
    static Map<String, Object> statusFields(RingView view, String room) {
        Map<String, Object> fields = new LinkedHashMap<>();
        member(fields, "name", "address", view.self());
        fields.put("state", view.status().name().toLowerCase(Locale.ROOT));
        fields.put("isLeader", view.isLeader());
        fields.put("room", room);
        fields.put("silenced", view.silenced(view.self().name()));
        member(fields, "leader", "leaderAddress", view.leader());
        fields.put("size", view.members().size());
        member(fields, "next", "nextAddress", view.next());
        member(fields, "previous", "previousAddress", view.previous());
        fields.put("electing", view.status() == RingView.Status.ELECTING);
        fields.put("term", view.term());
        fields.put("lamport", view.lamport());
        fields.put("delivered", view.deliveredSeq());
        fields.put("unconfirmed", view.unconfirmed());
        return fields;
    }

    private static void member(Map<String, Object> fields, String name, String address, Member member) {
        fields.put(name, member == null ? null : member.name());
        fields.put(address, member == null ? null : member.address().toString());
    }

    private String textOnly(String type, String text) {
        Map<String, Object> fields = object(type);
        fields.put("text", text);
        return write(fields);
    }

    private static Map<String, Object> object(String type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type);
        return fields;
    }

    private String write(Map<String, Object> fields) {
        try {
            return mapper.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + fields.get("type") + " as JSON", e);
        }
    }

    /**
     * JSON's own escapes, and {@code \}{@code uXXXX} for DEL, the C1 controls, line and paragraph
     * separators and format characters. Surrogates pass through: Jackson asks per UTF-16 unit, and
     * the ring accepts no lone surrogate ({@code Bounds.text}), so every one is half of a pair.
     */
    private static final class LineSafeEscapes extends CharacterEscapes {

        private final int[] ascii = standardAsciiEscapesForJSON();

        LineSafeEscapes() {
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            int type = Character.getType(ch);
            boolean escape = type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            return escape ? new SerializedString(String.format("\\u%04X", ch)) : null;
        }
    }
}
