package org.ringchat.app;

import java.util.Locale;

/**
 * One input line, understood: chat text, nothing, a {@code //command} or a leader's
 * {@code !directive}. The Ruby seed's spellings ({@code \list_users}, {@code \current_leader},
 * {@code \is_leader}, {@code \state}) work too. A line starting with {@code ///} is chat with one
 * {@code /} removed, so that a line starting with {@code //} can be sent.
 *
 * @param text the chat text ({@link Kind#CHAT}), the command word as typed ({@link Kind#UNKNOWN}),
 *     or what follows the command word, trimmed (empty when nothing does)
 */
record ConsoleCommand(Kind kind, String text) {

    static final String PREFIX = "//";
    /** A chat line that starts with {@code //}: typed with one more {@code /}. */
    static final String ESCAPE = "///";

    enum Kind {
        CHAT(null, null),
        EMPTY(null, null),
        USERS("//users", "list the members in ring order, with the leader, rooms and silenced members marked "
                + "(also //members, //who, \\list_users)"),
        LEADER("//leader", "show the leader (also \\current_leader)"),
        IS_LEADER("//is-leader", "say whether this node leads the ring (also \\is_leader)"),
        STATUS("//status", "show this node, its neighbours, leader, term, clock and room (also //state, \\state)"),
        JOIN("//join <room>", "move to a room, creating it on first use"),
        LEAVE_ROOM("//leave", "go back to room general"),
        ROOMS("//rooms", "list the rooms and how many members each has"),
        HISTORY("//history [N]", "show the last N messages of this room again (10 unless given)"),
        HELP("//help", "list the commands and directives"),
        EXIT("//exit", "leave the ring and quit (also Ctrl-D, Ctrl-C)"),
        SILENCE("!silence <name>", "leader only: the ring refuses that member's lines until !unsilence"),
        UNSILENCE("!unsilence <name>", "leader only: that member may chat again"),
        REMOVE("!remove <name>", "leader only: disconnect that member and ban its name until !unban"),
        UNBAN("!unban <name>", "leader only: that name may join again"),
        UNKNOWN(null, null);

        private final String usage;
        private final String help;

        Kind(String usage, String help) {
            this.usage = usage;
            this.help = help;
        }

        /** How it is typed, with its argument ({@code //join <room>}), or null for what is not a command. */
        String usage() {
            return usage;
        }

        String help() {
            return help;
        }

        boolean isDirective() {
            return usage != null && usage.startsWith("!");
        }
    }

    static ConsoleCommand parse(String line) {
        if (line.isBlank()) {
            return new ConsoleCommand(Kind.EMPTY, "");
        }
        String trimmed = line.strip();
        if (trimmed.startsWith(ESCAPE)) {
            return new ConsoleCommand(Kind.CHAT, line.replaceFirst("/", ""));
        }
        boolean command = trimmed.startsWith(PREFIX) || trimmed.startsWith("\\") || trimmed.startsWith("!");
        if (!command) {
            return new ConsoleCommand(Kind.CHAT, line);
        }
        String[] parts = trimmed.split("\\s+", 2);
        String word = parts[0];
        String argument = parts.length > 1 ? parts[1].strip() : "";
        Kind kind = switch (word.toLowerCase(Locale.ROOT)) {
            case "//users", "//members", "//who", "\\list_users" -> Kind.USERS;
            case "//leader", "\\current_leader" -> Kind.LEADER;
            case "//is-leader", "\\is_leader" -> Kind.IS_LEADER;
            case "//status", "//state", "\\state" -> Kind.STATUS;
            case "//join" -> Kind.JOIN;
            case "//leave" -> Kind.LEAVE_ROOM;
            case "//rooms" -> Kind.ROOMS;
            case "//history" -> Kind.HISTORY;
            case "//help" -> Kind.HELP;
            case "//exit" -> Kind.EXIT;
            case "!silence" -> Kind.SILENCE;
            case "!unsilence" -> Kind.UNSILENCE;
            case "!remove" -> Kind.REMOVE;
            case "!unban" -> Kind.UNBAN;
            default -> null;
        };
        if (kind == null) {
            // a line that merely starts with a backslash or a bang is chat; only // is reserved
            return trimmed.startsWith(PREFIX) ? new ConsoleCommand(Kind.UNKNOWN, word) : new ConsoleCommand(Kind.CHAT, line);
        }
        return new ConsoleCommand(kind, argument);
    }
}
