package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three real processes chat through stdin/stdout; one leaves with //exit. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThreeNodeChatIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Pattern CHAT = Pattern.compile("> ([A-Za-z0-9_.-]+)\\(127\\.0\\.0\\.1:(\\d+)\\)\\[(\\d+)\\]: (.*)");



    private String everyone() {
        return nodes.stream().map(RingProcess::describe).collect(Collectors.joining());
    }

    /** Waits until {@code p} has printed {@code line} on stdout. */
    private void awaitLine(RingProcess p, String line) {
        await().atMost(WAIT).untilAsserted(() ->
                assertTrue(p.stdout().contains(line), "no line '" + line + "' from " + p + "\n" + everyone()));
    }

    private void awaitLineStarting(RingProcess p, String prefix) {
        await().atMost(WAIT).untilAsserted(() -> assertTrue(p.stdout().stream().anyMatch(l -> l.startsWith(prefix)),
                "no line starting '" + prefix + "' from " + p + "\n" + everyone()));
    }

    @Test
    void threeNodesSeeEveryLineOnceInTheSameOrderAndOneLeavesGracefully() {
        // alice starts the ring; bob joins through her; carol joins through bob, who is not the leader
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        awaitLineStarting(alice, "* started a new ring at 127.0.0.1:" + alice.port());
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        awaitLineStarting(bob, "* joined the ring");
        awaitLine(alice, "* " + bob.display() + " joined");
        RingProcess carol = add(RingProcess.joiner(tmp, "carol", RingProcess.freePort(), bob.port()));
        awaitLineStarting(carol, "* joined the ring");
        awaitLine(alice, "* " + carol.display() + " joined");
        awaitLine(bob, "* " + carol.display() + " joined");

        // everyone talks at once
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            for (RingProcess p : nodes) {
                String text = "line " + i + " from " + p.name() + " with ünïcödé";
                texts.add(text);
                p.sendLine(text);
            }
        }

        // every process shows every line exactly once, in the same order, with the same T
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : nodes) {
                assertEquals(texts.size(), p.chatLines().size(), "chat lines at " + p + "\n" + everyone());
            }
        });
        List<String> order = alice.chatLines();
        for (RingProcess p : nodes) {
            assertEquals(order, p.chatLines(), "order at " + p + "\n" + everyone());
        }
        assertEquals(new HashSet<>(texts), order.stream().map(ThreeNodeChatIT::text).collect(Collectors.toSet()));
        long lastStamp = -1;
        for (String line : order) {
            Matcher m = CHAT.matcher(line);
            assertTrue(m.matches(), "format of " + line);
            long stamp = Long.parseLong(m.group(3));
            assertTrue(stamp > lastStamp, "stamps grow with the order: " + order);
            lastStamp = stamp;
        }
        // each sender's own lines keep the order it typed them in
        for (RingProcess p : nodes) {
            List<String> own = order.stream().map(ThreeNodeChatIT::text).filter(t -> t.contains("from " + p.name() + " "))
                    .toList();
            assertEquals(texts.stream().filter(t -> t.contains("from " + p.name() + " ")).toList(), own);
        }

        // each chat_<port>.log holds the same lines as "T: > ...", and T never goes backwards
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : nodes) {
                assertEquals(order, p.loggedChatLines(), "log of " + p + "\n" + everyone());
            }
        });
        nodes.forEach(RingProcess::assertLogTimeNeverGoesBack);

        // bob leaves with //exit: he ends with 0 and the others see him go
        bob.sendLine("//exit");
        assertEquals(0, bob.waitFor(WAIT), "bob's exit code\n" + everyone());
        awaitLine(alice, "* " + bob.display() + " left");
        awaitLine(carol, "* " + bob.display() + " left");

        // the ring closed around him: chat still flows both ways
        carol.sendLine("after bob left");
        alice.sendLine("still here");
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : List.of(alice, carol)) {
                assertTrue(p.chatLines().stream().anyMatch(l -> l.endsWith(": after bob left")), p + "\n" + everyone());
                assertTrue(p.chatLines().stream().anyMatch(l -> l.endsWith(": still here")), p + "\n" + everyone());
            }
        });
        assertEquals(alice.chatLines(), carol.chatLines());

        // end of input: both leave gracefully
        carol.closeStdin();
        assertEquals(0, carol.waitFor(WAIT), "carol's exit code\n" + everyone());
        awaitLine(alice, "* " + carol.display() + " left");
        alice.closeStdin();
        assertEquals(0, alice.waitFor(WAIT), "alice's exit code\n" + everyone());
        nodes.forEach(RingProcess::assertLogTimeNeverGoesBack);
        for (RingProcess p : nodes) {
            assertEquals(List.of(), p.stderr(), "stderr of " + p);
        }
    }

    @Test
    void consoleCommandsAnswerOnStdoutAndAreNotSent() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        awaitLineStarting(alice, "* started a new ring");
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        awaitLine(alice, "* " + bob.display() + " joined");
        awaitLineStarting(bob, "* joined the ring");

        // a lone command line each, then a chat line to know the commands were handled before it
        bob.sendLine("//leader");
        bob.sendLine("//xyz");
        bob.sendLine("");
        bob.sendLine("x".repeat(2001));
        bob.sendLine("done");
        awaitLine(alice, "> " + bob.display() + "[" + stampOf(bob, "done") + "]: done");
        List<String> out = bob.stdout();
        assertEquals(1, out.stream().filter(l -> l.equals("* leader: " + alice.display())).count(), bob.describe());
        assertTrue(out.contains("* unknown command //xyz; //help lists the commands; ///xyz sends it as chat"), bob.describe());
        assertTrue(out.contains("* line too long (2001 characters, at most 2000); not sent"), bob.describe());
        assertEquals(1, alice.chatLines().size(), "only 'done' was sent\n" + everyone());
    }

    private long stampOf(RingProcess p, String text) {
        await().atMost(WAIT).untilAsserted(() ->
                assertTrue(p.chatLines().stream().anyMatch(l -> text(l).equals(text)), p.describe()));
        Matcher m = CHAT.matcher(p.chatLines().stream().filter(l -> text(l).equals(text)).findFirst().orElseThrow());
        assertTrue(m.matches());
        return Long.parseLong(m.group(3));
    }

    private static String text(String chatLine) {
        Matcher m = CHAT.matcher(chatLine);
        assertTrue(m.matches(), "not a chat line: " + chatLine);
        return m.group(4);
    }
}
