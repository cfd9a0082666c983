package org.ringchat.app;

import java.util.List;
import java.util.StringJoiner;
import org.ringchat.protocol.Member;
import org.ringchat.ring.RingNode;
import org.ringchat.ring.RingView;

/** Acts on each input line: sends chat, answers {@code //commands}. Answers go to the {@link Printer}. */
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
        switch (command.kind()) {
            case EMPTY -> { }
            case CHAT -> send(command.text());
            case LEADER -> printer.notice(leaderLine(node.view()));
            case MEMBERS -> memberLines(node.view()).forEach(printer::notice);
            case STATUS -> printer.notice(statusLine(node.view()));
            case HELP -> helpLines().forEach(printer::notice);
            case EXIT -> {
                return false;
            }
            case UNKNOWN -> printer.notice("unknown command " + command.text() + "; //help lists the commands");
        }
        return true;
    }

    private void send(String text) {
        if (text.length() > maxTextLength) {
            printer.notice(tooLong(text.length(), maxTextLength));
            return;
        }
        try {
            node.send(text);
        } catch (IllegalArgumentException e) {
            printer.notice(e.getMessage() + "; not sent");
        }
    }

    static String tooLong(int length, int max) {
        return "line too long (" + length + " characters, at most " + max + "); not sent";
    }

    static String leaderLine(RingView view) {
        return view.leader() == null ? "leader: none (election in progress)" : "leader: " + view.leader().display();
    }

    static List<String> memberLines(RingView view) {
        List<Member> members = view.members();
        StringJoiner ring = new StringJoiner(" -> ", "members (" + members.size() + ", in ring order): ", "");
        for (Member m : members) {
            String marks = "";
            if (view.leader() != null && m.address().equals(view.leader().address())) {
                marks += " [leader]";
            }
            if (m.address().equals(view.self().address())) {
                marks += " [you]";
            }
            ring.add(m.display() + marks);
        }
        return List.of(ring.toString());
    }

    static String statusLine(RingView view) {
        return "status: " + view.self().display() + " " + view.status().name().toLowerCase()
                + (view.isLeader() ? " (leader)" : "") + ", term " + view.term()
                + ", next " + view.next().display() + ", previous " + view.previous().display()
                + ", delivered #" + view.deliveredSeq() + ", unconfirmed " + view.unconfirmed();
    }

    static List<String> helpLines() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("type a line and press Enter to send it to everyone; commands:");
        for (ConsoleCommand.Kind k : ConsoleCommand.Kind.values()) {
            if (k.word() != null) {
                lines.add(String.format("  %-9s %s", k.word(), k.help()));
            }
        }
        return lines;
    }
}
