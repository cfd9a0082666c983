package org.ringchat.app;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.ringchat.protocol.Room;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;

/**
 * How chat messages and ring events are written, on the screen and in {@code chat_<port>.log}.
 * Everything that came from the ring is made visible first ({@link #visible}): no peer can move
 * a terminal's cursor, clear it, retitle it, turn text around or start a fake line.
 */
final class Lines {

    private Lines() {
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    /** {@code > Name(IP:port)[T]: text}, or {@code > Name(IP:port)[T] #room: text} outside {@link Room#GENERAL}. */
    static String chat(ChatMessage message) {
        return chat(new StringBuilder(message.text().length() + 48), message, visible(message.sender().display()))
                .toString();
    }

    /**
     * Appends {@link #chat}'s line to {@code out}, the sender's {@code display} given already made
     * {@link #visible} (a printer keeps it from one line to the next): the same characters, without
     * the intermediate strings. Every part is made visible on its own, which is the same as making
     * the whole line visible: each part meets the next at a printable ASCII character.
     */
    static StringBuilder chat(StringBuilder out, ChatMessage message, String display) {
        out.append("> ").append(display).append('[').append(message.stamp()).append(']');
        if (!message.room().equals(Room.GENERAL)) {
            out.append(" #");
            visible(out, message.room());
        }
        out.append(": ");
        return visible(out, message.text());
    }

    /**
     * {@link #chat}'s line as UTF-8 bytes, appended to {@code out}, the sender's {@code display}
     * given already made {@link #visible} and encoded (a printer keeps it from one line to the
     * next): the same bytes as {@link #chat}'s line encoded, made without a string.
     */
    static Utf8Line chat(Utf8Line out, ChatMessage message, byte[] display) {
        out.ascii("> ").append(display).ascii('[').append(message.stamp()).ascii(']');
        if (!message.room().equals(Room.GENERAL)) {
            out.ascii(" #").visible(message.room());
        }
        return out.ascii(": ").visible(message.text());
    }

    /**
     * {@link #chat} after the time the leader ordered it, as an ISO-8601 instant in UTC to the
     * second ({@code 2026-11-30T08:12:03Z > bob(…)[17]: hi}): the chat log's form, so that a
     * log reads the same in any time zone.
     */
    static String stamped(ChatMessage message) {
        return stamp(message.wallClockMs()) + chat(message);
    }

    /**
     * What {@link #stamped} puts before the line for a message ordered at {@code wallClockMs}: the
     * second in UTC and a space, or nothing when the time is unknown (0 or less).
     */
    static String stamp(long wallClockMs) {
        return wallClockMs <= 0 ? "" : Instant.ofEpochSecond(Math.floorDiv(wallClockMs, 1000)) + " ";
    }

    /**
     * {@link #chat} after the local time the leader ordered it, {@code HH:MM } (nothing when the
     * time is unknown).
     */
    static String timed(ChatMessage message, ZoneId zone) {
        if (message.wallClockMs() <= 0) {
            return chat(message);
        }
        return CLOCK.format(Instant.ofEpochMilli(message.wallClockMs()).atZone(zone)) + " " + chat(message);
    }

    /** {@code * text} for events people see; the bare text for the others (log only). */
    static String event(RingEvent event) {
        return event.kind().shown() ? notice(event.text()) : visible(event.text());
    }

    /** {@link #event}'s line as UTF-8 bytes, appended to {@code out}. */
    static Utf8Line event(Utf8Line out, RingEvent event) {
        return (event.kind().shown() ? out.ascii("* ") : out).visible(event.text());
    }

    /** A line of the console's own: {@code * text}. */
    static String notice(String text) {
        return "* " + visible(text);
    }

    /**
     * {@code text} with every character that would act on a terminal rather than show shown as an
     * escape instead: control characters (ESC, newline, carriage return, backspace, tab, the C1
     * range), format characters (bidi overrides and isolates, zero-width characters) and any lone
     * surrogate: as {@code \x1b} below U+0100, and as a backslash, {@code u} and four hex digits
     * above (U+202E, the right-to-left override, shows as backslash-u202e); a backslash stays a
     * backslash (the escapes are for reading, not for decoding back).
     */
    static String visible(String text) {
        return firstToEscape(text, 0) < 0 ? text : visible(new StringBuilder(text.length() + 8), text).toString();
    }

    /** Appends {@link #visible}{@code (text)} to {@code out}: the runs between escapes in one piece each. */
    static StringBuilder visible(StringBuilder out, String text) {
        int from = 0;
        for (int i = firstToEscape(text, 0); i >= 0; i = firstToEscape(text, from)) {
            char c = text.charAt(i);
            out.append(text, from, i)
                    .append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            from = i + 1;
        }
        return out.append(text, from, text.length());
    }

    /** The index of the first character at or after {@code from} that {@link #visible} escapes; -1 if none. */
    private static int firstToEscape(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!actsOnTerminal(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: a character beyond U+FFFF, shown as it is
                continue;
            }
            return i;
        }
        return -1;
    }

    private static boolean actsOnTerminal(char c) {
        if (c >= ' ' && c < 0x7f) {
            return false; // printable ASCII, most of every line: no table look-up
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || Character.isSurrogate(c)
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** {@code T: line}, as in the chat log. */
    static String logged(long lamport, String line) {
        return lamport + ": " + line;
    }

    /** The prompt: {@code > Name(IP:port): }. */
    static String prompt(String display) {
        return "> " + display + ": ";
    }
}
