package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.app.ConsoleCommand.Kind;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingView;
import org.ringchat.ring.RingView.Status;

class ConsoleCommandTest {

    private static Kind kind(String line) {
        return ConsoleCommand.parse(line).kind();
    }

    @Test
    void commandsAreRecognised() {
        assertEquals(Kind.LEADER, kind("//leader"));
        assertEquals(Kind.LEADER, kind("  //leader  "));
        assertEquals(Kind.EXIT, kind("//exit"));
        assertEquals(Kind.HELP, kind("//help"));
        assertEquals(Kind.MEMBERS, kind("//members"));
        assertEquals(Kind.MEMBERS, kind("//who"));
        assertEquals(Kind.STATUS, kind("//status"));
    }

    @Test
    void unknownCommandKeepsTheWordAndIsNotChat() {
        ConsoleCommand c = ConsoleCommand.parse("//xyz and more");
        assertEquals(Kind.UNKNOWN, c.kind());
        assertEquals("//xyz", c.text());
        assertEquals(Kind.UNKNOWN, kind("//exitnow"));
    }

    @Test
    void chatAndEmptyLines() {
        assertEquals(new ConsoleCommand(Kind.CHAT, " hi // there "), ConsoleCommand.parse(" hi // there "));
        assertEquals(Kind.CHAT, kind("/leader"));
        assertEquals(Kind.EMPTY, kind(""));
        assertEquals(Kind.EMPTY, kind("   "));
    }

    @Test
    void leaderLineNamesTheLeaderOrTheElection() {
        Member a = new Member("alice", new NodeAddress("127.0.0.1", 5000), 1);
        Member b = new Member("bob", new NodeAddress("127.0.0.1", 5001), 2);
        RingView led = new RingView(b, Status.MEMBER, a, 1, List.of(a, b), a, a, 0, 0);
        RingView electing = new RingView(b, Status.ELECTING, null, 1, List.of(a, b), a, a, 0, 0);
        assertEquals("leader: alice(127.0.0.1:5000)", Console.leaderLine(led));
        assertEquals("leader: none (election in progress)", Console.leaderLine(electing));
        assertEquals(List.of("members (2, in ring order): alice(127.0.0.1:5000) [leader] -> bob(127.0.0.1:5001) [you]"),
                Console.memberLines(led));
    }

    @Test
    void tooLongAndHelpTexts() {
        assertEquals("line too long (2001 characters, at most 2000); not sent", Console.tooLong(2001, 2000));
        List<String> help = Console.helpLines();
        for (String cmd : List.of("//leader", "//members", "//status", "//help", "//exit")) {
            assertTrue(help.stream().anyMatch(l -> l.contains(cmd)), cmd);
        }
    }
}
