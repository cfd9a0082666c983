package org.ringchat.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Room;
import org.ringchat.ring.Moderation;
import org.ringchat.ring.RingNode;
import org.ringchat.ring.RingView;

/** Acts on each input line: sends chat, answers {@code //commands}, passes on directives. Answers go to the {@link Printer}. */
final class Console {

    private final RingNode node;
    private final Printer printer;
    private final int maxTextLength;

    Console(RingNode node, Printer printer) {
        this.node = node;
        this.printer = printer;
        this.maxTextLength = node.config().maxTextLength();
    }

    /** Handles one line; false when the user asked to leave. */
    boolean handle(String line) {
        ConsoleCommand command = ConsoleCommand.parse(line);
        String arg = command.text();
        switch (command.kind()) {
            case EMPTY -> { }
            case CHAT -> send(arg);
            case USERS -> userLines(node.view()).forEach(printer::notice);
            case LEADER -> printer.notice(leaderLine(node.view()));
            case IS_LEADER -> printer.notice("is leader: " + (node.view().isLeader() ? "yes" : "no"));
            case STATUS -> {
                RingView view = node.view();
                printer.status(statusLine(view, node.room()), view, node.room());
            }
            case JOIN -> joinRoom(arg);
            case LEAVE_ROOM -> joinRoom(Room.GENERAL);
            case ROOMS -> roomLines(node.view()).forEach(printer::notice);
            case HISTORY -> history(arg);
            case HELP -> helpLines().forEach(printer::notice);
            case EXIT -> {
                return false;
            }
            case SILENCE -> moderate(Moderation.SILENCE, arg);
            case UNSILENCE -> moderate(Moderation.UNSILENCE, arg);
            case REMOVE -> moderate(Moderation.REMOVE, arg);
            case UNBAN -> moderate(Moderation.UNBAN, arg);
            case UNKNOWN -> printer.error("unknown command " + arg + "; //help lists the commands; ///"
                    + arg.substring(2) + " sends it as chat");
        }
        return true;
    }

    private void send(String text) {
        if (text.length() > maxTextLength) {
            printer.error(tooLong(text.length(), maxTextLength));
            return;
        }
        try {
            node.send(text);
        } catch (IllegalArgumentException e) {
            printer.error(e.getMessage() + "; not sent");
        }
    }

    private void joinRoom(String room) {
        if (!Room.valid(room)) {
            printer.error("usage: //join <room>, a room being 1-" + Room.MAX_LENGTH
                    + " letters, digits, '_', '-' or '.'");
            return;
        }
        if (room.equals(node.room())) {
            printer.notice("you are already in #" + room);
            return;
        }
        printer.notice("you are now in #" + room);
        node.joinRoom(room);
    }

    private void history(String arg) {
        int n = node.config().historyShown();
        if (!arg.isEmpty()) {
            try {
                n = Integer.parseInt(arg);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > node.config().roomHistoryLimit()) {
                printer.error("usage: //history [N], N from 1 to " + node.config().roomHistoryLimit());
                return;
            }
        }
        printer.replay(node.room(), node.roomHistory(node.room(), n));
    }

    private void moderate(Moderation action, String name) {
        if (name.isEmpty() || name.contains(" ")) {
            printer.error("usage: " + action.usage());
            return;
        }
        node.moderate(action, name).whenComplete((v, e) -> {
            if (e != null) {
                Throwable why = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                printer.error("refused: " + why.getMessage());
            }
        });
    }

    static String tooLong(int length, int max) {
        return "line too long (" + length + " characters, at most " + max + "); not sent";
    }

    static String leaderLine(RingView view) {
        return view.leader() == null ? "leader: none (election in progress)" : "leader: " + view.leader().display();
    }

    /** One line per member, in ring order: {@code alice(127.0.0.1:5000) [leader] [you] #ops [silenced]}. */
    static List<String> userLines(RingView view) {
        List<String> lines = new ArrayList<>();
        for (Member m : view.members()) {
            StringBuilder line = new StringBuilder(m.display());
            if (view.leader() != null && m.address().equals(view.leader().address())) {
                line.append(" [leader]");
            }
            if (m.address().equals(view.self().address())) {
                line.append(" [you]");
            }
            line.append(" #").append(view.room(m.address()));
            if (view.silenced(m.name())) {
                line.append(" [silenced]");
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** {@code rooms: #general (2), #ops (1)}: every room with members, and how many. */
    static List<String> roomLines(RingView view) {
        Map<String, Integer> counts = new TreeMap<>();
        counts.put(Room.GENERAL, 0);
        for (Member m : view.members()) {
            counts.merge(view.room(m.address()), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((room, n) -> parts.add("#" + room + " (" + n + ")"));
        return List.of("rooms: " + String.join(", ", parts));
    }

    static String statusLine(RingView view, String room) {
        String leader = view.leader() == null ? "none" : view.leader().display();
        String election = view.status() == RingView.Status.ELECTING ? "electing" : "none";
        return "status: " + view.self().display() + " " + view.status().name().toLowerCase()
                + (view.isLeader() ? " (leader)" : "") + ", room #" + room + ", leader " + leader
                + ", ring of " + view.members().size() + ", next " + view.next().display()
                + ", previous " + view.previous().display() + ", election " + election + ", term " + view.term()
                + ", Lamport " + view.lamport() + ", delivered #" + view.deliveredSeq()
                + ", unconfirmed " + view.unconfirmed();
    }

    static List<String> helpLines() {
        List<String> lines = new ArrayList<>();
        lines.add("type a line and press Enter to send it to your room; ///text sends //text; commands:");
        for (ConsoleCommand.Kind k : ConsoleCommand.Kind.values()) {
            if (k.usage() != null && !k.isDirective()) {
                lines.add(String.format("  %-17s %s", k.usage(), k.help()));
            }
        }
        lines.add("the leader's directives:");
        for (ConsoleCommand.Kind k : ConsoleCommand.Kind.values()) {
            if (k.isDirective()) {
                lines.add(String.format("  %-17s %s", k.usage(), k.help()));
            }
        }
        return lines;
    }
}
