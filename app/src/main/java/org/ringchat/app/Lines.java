package org.ringchat.app;

import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;

/** How chat messages and ring events are written, on the screen and in {@code chat_<port>.log}. */
final class Lines {

    private Lines() {
    }

    /** {@code > Name(IP:port)[T]: text}. */
    static String chat(ChatMessage message) {
        return "> " + message.line();
    }

    /** {@code * text} for events people see; the bare text for the others (log only). */
    static String event(RingEvent event) {
        return event.kind().shown() ? notice(event.text()) : event.text();
    }

    /** A line of the console's own: {@code * text}. */
    static String notice(String text) {
        return "* " + text;
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
