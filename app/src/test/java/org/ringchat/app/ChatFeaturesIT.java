package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seeds' chat features through the real jar, in pipe mode: every command and alias, the
 * leader's directives typed by the leader and by a member, rooms, history on joining, and the
 * exit status of a removed member.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChatFeaturesIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    private String everyone() {
        StringBuilder out = new StringBuilder();
        nodes.forEach(p -> out.append(p.describe()));
        return out.toString();
    }

    private void awaitLine(RingProcess p, String line) {
        await().atMost(WAIT).untilAsserted(() ->
                assertTrue(p.stdout().contains(line), "no line '" + line + "' from " + p + "\n" + everyone()));
    }

    private void awaitAny(RingProcess p, Predicate<String> line, String what) {
        await().atMost(WAIT).untilAsserted(() ->
                assertTrue(p.stdout().stream().anyMatch(line), "no " + what + " from " + p + "\n" + everyone()));
    }

    /** Sends {@code command} and returns the lines it printed, up to a marker line sent after it. */
    private List<String> answer(RingProcess p, String command) {
        int from = p.stdout().size();
        p.sendLine(command);
        // an unknown command behind it: its answer ends the first one's
        p.sendLine("//end-of-answer");
        String marker = "* unknown command //end-of-answer";
        await().atMost(WAIT).untilAsserted(() -> assertTrue(p.stdout().subList(from, p.stdout().size()).stream()
                .anyMatch(l -> l.startsWith(marker)), "no answer to " + command + " from " + p));
        List<String> out = p.stdout().subList(from, p.stdout().size());
        int end = 0;
        while (!out.get(end).startsWith(marker)) {
            end++;
        }
        return List.copyOf(out.subList(0, end));
    }

    private RingProcess[] aliceAndBob(String... bobExtra) {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        awaitAny(alice, l -> l.startsWith("* started a new ring"), "start");
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port(), bobExtra));
        awaitAny(bob, l -> l.startsWith("* joined the ring"), "join");
        awaitLine(alice, "* " + bob.display() + " joined");
        return new RingProcess[] {alice, bob};
    }

    @Test
    void everyCommandAndAliasAnswers() {
        RingProcess[] ring = aliceAndBob();
        RingProcess alice = ring[0];
        RingProcess bob = ring[1];
        List<String> users = List.of("* " + alice.display() + " [leader] #general", "* " + bob.display() + " [you] #general");
        for (String alias : List.of("//users", "//members", "//who", "\\list_users")) {
            assertEquals(users, answer(bob, alias), alias);
        }
        for (String alias : List.of("//leader", "\\current_leader")) {
            assertEquals(List.of("* leader: " + alice.display()), answer(bob, alias), alias);
        }
        for (String alias : List.of("//is-leader", "\\is_leader")) {
            assertEquals(List.of("* is leader: no"), answer(bob, alias), alias);
            assertEquals(List.of("* is leader: yes"), answer(alice, alias), alias);
        }
        for (String alias : List.of("//status", "//state", "\\state")) {
            List<String> status = answer(bob, alias);
            assertEquals(1, status.size(), alias + ": " + status);
            assertTrue(status.get(0).startsWith("* status: " + bob.display() + " member, room #general, leader "
                    + alice.display() + ", ring of 2, next " + alice.display()), status.get(0));
            assertTrue(status.get(0).matches(".*election none, term 1, Lamport \\d+, delivered #\\d+, unconfirmed 0"),
                    status.get(0));
        }
        List<String> help = answer(bob, "//help");
        for (String word : List.of("//users", "//is-leader", "//join <room>", "//history [N]", "!silence <name>", "!unban <name>")) {
            assertTrue(help.stream().anyMatch(l -> l.contains(word)), word + " in " + help);
        }
        assertEquals(List.of("* rooms: #general (2)"), answer(bob, "//rooms"));
        // an unknown command is never sent; /// sends a line that starts with //
        assertEquals(List.of("* unknown command //frobnicate; //help lists the commands; ///frobnicate sends it as chat"),
                answer(bob, "//frobnicate now"));
        bob.sendLine("/// TODO: this starts with two slashes");
        awaitLine(alice, "> " + bob.display() + "[" + "" + lamportOf(alice, "// TODO: this starts with two slashes") + "]: // TODO: this starts with two slashes");
        assertFalse(alice.stdout().stream().anyMatch(l -> l.contains("frobnicate now")), "an unknown command was sent");
    }

    /** The stamp alice printed for the line with {@code text}, once she has it. */
    private long lamportOf(RingProcess p, String text) {
        awaitAny(p, l -> l.endsWith("]: " + text), "the line " + text);
        String line = p.stdout().stream().filter(l -> l.endsWith("]: " + text)).findFirst().orElseThrow();
        return Long.parseLong(line.substring(line.lastIndexOf('[') + 1, line.lastIndexOf(']')));
    }

    @Test
    void roomsIsolateChatAndHistoryIsShownOnJoining() {
        RingProcess[] ring = aliceAndBob();
        RingProcess alice = ring[0];
        RingProcess bob = ring[1];
        bob.sendLine("//join ops");
        awaitLine(bob, "* you are now in #ops");
        awaitLine(alice, "* " + bob.display() + " moved to #ops");
        for (int i = 1; i <= 12; i++) {
            bob.sendLine("ops line " + i);
        }
        alice.sendLine("general line");
        awaitAny(bob, l -> l.endsWith(" #ops: ops line 12"), "ops line 12");
        awaitAny(alice, l -> l.endsWith("]: general line"), "general line");
        assertFalse(alice.stdout().stream().anyMatch(l -> l.contains("ops line")), "alice saw another room's line");
        assertFalse(bob.stdout().stream().anyMatch(l -> l.contains("general line")), "bob saw another room's line");
        assertEquals(List.of("* rooms: #general (1), #ops (1)"), answer(alice, "//rooms"));
        // carol starts in ops: the room's last 10 lines come first, between two lines that say so
        RingProcess carol = add(RingProcess.joiner(tmp, "carol", RingProcess.freePort(), alice.port(), "--room", "ops"));
        awaitLine(carol, "* end of history");
        List<String> out = carol.stdout();
        int start = out.indexOf("* history: last 10 messages of ops");
        assertTrue(start >= 0, "no history header: " + out);
        List<String> shown = out.subList(start + 1, out.indexOf("* end of history"));
        for (int i = 0; i < 10; i++) {
            assertTrue(shown.get(i).startsWith("> " + bob.display() + "[") && shown.get(i).endsWith(" #ops: ops line " + (i + 3)),
                    shown.get(i));
        }
        // and //history shows them again, as many as asked (once the leader's view has carol in ops:
        // that line, printed when the view comes, would otherwise land inside the answer)
        awaitLine(carol, "* you moved to #ops");
        List<String> again = answer(carol, "//history 3");
        assertEquals("* history: last 3 messages of ops", again.get(0));
        assertTrue(again.get(3).endsWith(" #ops: ops line 12"), again.toString());
        // shown again on the screen only: the log's T never goes back
        carol.assertLogTimeNeverGoesBack();
        // back to general
        bob.sendLine("//leave");
        awaitLine(bob, "* you are now in #general");
        awaitAny(bob, l -> l.endsWith("]: general line"), "general's history");
    }

    @Test
    void directivesCountOnlyFromTheLeaderAndARemovedMemberExitsOne() {
        RingProcess[] ring = aliceAndBob();
        RingProcess alice = ring[0];
        RingProcess bob = ring[1];
        // a member's directive is refused, and nothing happens
        bob.sendLine("!silence alice");
        awaitAny(bob, l -> l.startsWith("* refused: only the leader's directives count"), "a refusal");
        // the leader silences bob: everyone hears of it, bob's lines are refused
        alice.sendLine("!silence bob");
        awaitLine(alice, "* bob was silenced by " + alice.display());
        awaitLine(bob, "* bob was silenced by " + alice.display());
        bob.sendLine("let me speak");
        awaitLine(bob, "* you are silenced: the leader did not send your line");
        assertTrue(answer(alice, "//users").contains("* " + bob.display() + " #general [silenced]"));
        alice.sendLine("!unsilence bob");
        awaitLine(bob, "* bob may speak again (" + alice.display() + ")");
        bob.sendLine("thank you");
        awaitAny(alice, l -> l.endsWith("]: thank you"), "bob's line after unsilence");
        assertFalse(alice.stdout().stream().anyMatch(l -> l.contains("let me speak")), "a silenced line was shown");
        // removed: bob's process says why and exits 1, and the name is banned
        alice.sendLine("!remove bob");
        assertEquals(1, bob.waitFor(WAIT), "bob's exit status\n" + everyone());
        assertTrue(bob.stderr().stream().anyMatch(l -> l.startsWith("error: removed from the ring by its leader "
                + alice.display())), bob.stderr().toString());
        awaitLine(alice, "* bob was removed from the ring and banned by " + alice.display());
        RingProcess again = add(RingProcess.joiner(tmp, "Bob", RingProcess.freePort(), alice.port()));
        assertEquals(1, again.waitFor(WAIT), "a banned name's exit status\n" + everyone());
        assertTrue(again.stderr().stream().anyMatch(l -> l.contains("banned")), again.stderr().toString());
        alice.sendLine("!unban bob");
        awaitLine(alice, "* bob was unbanned by " + alice.display() + " and may join again");
        RingProcess back = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        awaitAny(back, l -> l.startsWith("* joined the ring"), "bob back");
    }
}
