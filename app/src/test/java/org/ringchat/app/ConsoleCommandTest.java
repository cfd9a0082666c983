package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringchat.app.ConsoleCommand.Kind;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingView;
import org.ringchat.ring.RingView.Status;

class ConsoleCommandTest {

    private static final Member A = new Member("alice", new NodeAddress("127.0.0.1", 5000), 1);
    private static final Member B = new Member("bob", new NodeAddress("127.0.0.1", 5001), 2);
    private static final Member C = new Member("carol", new NodeAddress("127.0.0.1", 5002), 3);

    private static Kind kind(String line) {
        return ConsoleCommand.parse(line).kind();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"//users, USERS", "//members, USERS", "//who, USERS", "\\list_users, USERS",
        "//leader, LEADER", "\\current_leader, LEADER", "//is-leader, IS_LEADER", "\\is_leader, IS_LEADER",
        "//status, STATUS", "//state, STATUS", "\\state, STATUS", "//join ops, JOIN", "//leave, LEAVE_ROOM",
        "//rooms, ROOMS", "//history, HISTORY", "//history 5, HISTORY", "//help, HELP", "//exit, EXIT",
        "//EXIT, EXIT", "!silence bob, SILENCE", "!unsilence bob, UNSILENCE", "!remove bob, REMOVE",
        "!unban bob, UNBAN"})
    void everyCommandAliasAndDirectiveIsRecognised(String line, Kind expected) {
        assertEquals(expected, kind(line));
        assertEquals(expected, kind("  " + line + "  "));
    }

    @Test
    void argumentsAreTrimmed() {
        assertEquals(new ConsoleCommand(Kind.JOIN, "ops"), ConsoleCommand.parse("//join   ops  "));
        assertEquals(new ConsoleCommand(Kind.HISTORY, ""), ConsoleCommand.parse("//history"));
        assertEquals(new ConsoleCommand(Kind.SILENCE, "Bob"), ConsoleCommand.parse("!silence Bob"));
    }

    @Test
    void unknownCommandKeepsTheWordAndIsNotChat() {
        ConsoleCommand c = ConsoleCommand.parse("//xyz and more");
        assertEquals(Kind.UNKNOWN, c.kind());
        assertEquals("//xyz", c.text());
        assertEquals(Kind.UNKNOWN, kind("//exitnow"));
    }

    @Test
    void tripleSlashSendsTheLineWithOneSlashLess() {
        assertEquals(new ConsoleCommand(Kind.CHAT, "// TODO"), ConsoleCommand.parse("/// TODO"));
        assertEquals(new ConsoleCommand(Kind.CHAT, "//exit"), ConsoleCommand.parse("///exit"));
        assertEquals(new ConsoleCommand(Kind.CHAT, "///x"), ConsoleCommand.parse("////x"));
    }

    @Test
    void chatAndEmptyLines() {
        assertEquals(new ConsoleCommand(Kind.CHAT, " hi // there "), ConsoleCommand.parse(" hi // there "));
        assertEquals(Kind.CHAT, kind("/leader"));
        // only // is reserved: a bang or a backslash that is not a directive or alias is chat
        assertEquals(Kind.CHAT, kind("!!! great news"));
        assertEquals(Kind.CHAT, kind("\\o/ hello"));
        assertEquals(Kind.EMPTY, kind(""));
        assertEquals(Kind.EMPTY, kind("   "));
    }

    @Test
    void leaderLineNamesTheLeaderOrTheElection() {
        RingView led = new RingView(B, Status.MEMBER, A, 1, List.of(A, B), A, A, 0, 0);
        RingView electing = new RingView(B, Status.ELECTING, null, 1, List.of(A, B), A, A, 0, 0);
        assertEquals("leader: alice(127.0.0.1:5000)", Console.leaderLine(led));
        assertEquals("leader: none (election in progress)", Console.leaderLine(electing));
    }

    @Test
    void usersAreOneLineEachInRingOrderWithLeaderRoomAndSilenceMarked() {
        RingView view = new RingView(B, Status.MEMBER, A, 1, List.of(A, B, C), C, A, 7, 0,
                Map.of(C.address(), "ops"), 42, List.of("CAROL"), List.of());
        assertEquals(List.of("alice(127.0.0.1:5000) [leader] #general", "bob(127.0.0.1:5001) [you] #general",
                "carol(127.0.0.1:5002) #ops [silenced]"), Console.userLines(view));
        assertEquals(List.of("rooms: #general (2), #ops (1)"), Console.roomLines(view));
        assertEquals("status: bob(127.0.0.1:5001) member, room #general, leader alice(127.0.0.1:5000), ring of 3,"
                + " next carol(127.0.0.1:5002), previous alice(127.0.0.1:5000), election none, term 1, Lamport 42,"
                + " delivered #7, unconfirmed 0", Console.statusLine(view, "general"));
    }

    @Test
    void tooLongAndHelpTexts() {
        assertEquals("line too long (2001 characters, at most 2000); not sent", Console.tooLong(2001, 2000));
        List<String> help = Console.helpLines();
        for (String cmd : List.of("//users", "//leader", "//is-leader", "//status", "//join <room>", "//leave",
                "//rooms", "//history [N]", "//help", "//exit", "!silence <name>", "!unsilence <name>",
                "!remove <name>", "!unban <name>", "\\list_users", "\\current_leader", "\\is_leader", "\\state",
                "//members", "//who", "//state", "///")) {
            assertTrue(help.stream().anyMatch(l -> l.contains(cmd)), cmd);
        }
    }
}
