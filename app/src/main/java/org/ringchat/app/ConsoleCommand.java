package org.ringchat.app;

import java.util.Locale;

/**
 * One input line, understood: chat text, nothing, or a {@code //command}.
 *
 * @param text the chat text ({@link Kind#CHAT}) or the command word as typed ({@link Kind#UNKNOWN})
 */
record ConsoleCommand(Kind kind, String text) {

    static final String PREFIX = "//";

    enum Kind {
        CHAT(null, null),
        EMPTY(null, null),
        LEADER("//leader", "show the leader"),
        MEMBERS("//members", "list the members in ring order (also //who)"),
        STATUS("//status", "show this node's state, neighbours and term"),
        HELP("//help", "list the commands"),
        EXIT("//exit", "leave the ring and quit (also Ctrl-D, Ctrl-C)"),
        UNKNOWN(null, null);

        private final String word;
        private final String help;

        Kind(String word, String help) {
            this.word = word;
            this.help = help;
        }

        String word() {
            return word;
        }

        String help() {
            return help;
        }
    }

    static ConsoleCommand parse(String line) {
        if (line.isBlank()) {
            return new ConsoleCommand(Kind.EMPTY, "");
        }
        String trimmed = line.strip();
        if (!trimmed.startsWith(PREFIX)) {
            return new ConsoleCommand(Kind.CHAT, line);
        }
        String word = trimmed.split("\\s+", 2)[0];
        Kind kind = switch (word.toLowerCase(Locale.ROOT)) {
            case "//leader" -> Kind.LEADER;
            case "//members", "//who" -> Kind.MEMBERS;
            case "//status" -> Kind.STATUS;
            case "//help" -> Kind.HELP;
            case "//exit" -> Kind.EXIT;
            default -> Kind.UNKNOWN;
        };
        return new ConsoleCommand(kind, word);
    }
}
