package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Five real processes with the default timing; two members chat steadily while the leader is
 * killed ({@code kill -9}) or stopped ({@code kill -STOP}) partway through. No line is lost,
 * doubled or reordered, the most senior survivor leads, and a stopped leader that wakes up
 * finds it was replaced and rejoins as a member.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FailoverIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    /** Lines each sender types. */
    static final int LINES = 150;
    /** The leader goes once both senders have typed this many. */
    static final int FAULT_AFTER = 50;
    /** Pause between two lines of one sender (load shaping, not synchronisation). */
    static final long PACE_MS = 5;
    static final Pattern CHAT = Pattern.compile("> ([A-Za-z0-9_.-]+)\\(127\\.0\\.0\\.1:(\\d+)\\)\\[(\\d+)\\]: (.*)");
    static final Pattern JOINED_RING = Pattern.compile("\\* joined the ring: (\\d+) members, .*");
    static final Pattern SOMEONE_JOINED = Pattern.compile("\\* [A-Za-z0-9_.-]+\\(127\\.0\\.0\\.1:\\d+\\) joined");


    @Test
    void leaderKilledMidStreamLosesDoublesAndReordersNothing() {
        // a ring of five; alice leads, bob is the most senior of the others
        List<RingProcess> ring = startRing();
        RingProcess alice = ring.get(0);
        RingProcess bob = ring.get(1);
        List<RingProcess> survivors = ring.subList(1, ring.size());
        RingProcess carol = ring.get(2);
        RingProcess dave = ring.get(3);

        // carol and dave type steadily; the leader is killed partway through
        Senders senders = Senders.start(carol, dave);
        senders.awaitBoth(FAULT_AFTER);
        alice.signal("KILL");
        int sentAtFault = senders.fewestSent();
        senders.awaitDone();
        assertTrue(sentAtFault < LINES, "the leader went while the senders were still typing (" + sentAtFault + ")");

        // every survivor shows every line once, in one order, and names bob the new leader
        List<String> expected = new ArrayList<>(senders.texts());
        bob.sendLine("end");
        expected.add("end");
        List<String> order = awaitSameOrder(survivors, expected, "after alice was killed");
        senders.assertEachInTypedOrder(order);
        for (RingProcess p : survivors) {
            assertEquals("* leader: " + bob.display(), lastLeaderLine(p).replaceFirst(" \\(term \\d+\\)$", ""),
                    () -> "leader named at " + p + "\n" + everyone());
        }
        assertLogsMatchStdout(survivors);
    }

    @Test
    void leaderStoppedMidStreamIsReplacedAndRejoinsWhenWoken() {
        List<RingProcess> ring = startRing();
        RingProcess alice = ring.get(0);
        RingProcess bob = ring.get(1);
        List<RingProcess> survivors = ring.subList(1, ring.size());
        RingProcess carol = ring.get(2);
        RingProcess dave = ring.get(3);
        RingProcess eve = ring.get(4);

        // carol and dave type steadily; the leader hangs partway through
        Senders senders = Senders.start(carol, dave);
        senders.awaitBoth(FAULT_AFTER);
        alice.signal("STOP");
        int sentAtFault = senders.fewestSent();
        senders.awaitDone();
        assertTrue(sentAtFault < LINES, "the leader hung while the senders were still typing (" + sentAtFault + ")");

        // the survivors elect bob and show every line once, in one order
        List<String> expected = new ArrayList<>(senders.texts());
        List<String> order = awaitSameOrder(survivors, expected, "while alice is stopped");
        senders.assertEachInTypedOrder(order);
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : survivors) {
                assertEquals("* leader: " + bob.display(), lastLeaderLine(p).replaceFirst(" \\(term \\d+\\)$", ""),
                        () -> "leader named at " + p + "\n" + everyone());
            }
        });
        Map<RingProcess, Integer> outputBeforeWake = new HashMap<>();
        survivors.forEach(p -> outputBeforeWake.put(p, p.stdout().size()));
        int aliceBeforeWake = alice.stdout().size();

        // alice wakes up: she finds she was removed and joins again by herself, under bob
        alice.signal("CONT");
        awaitLineStarting(alice, "* this node was removed from the ring");
        awaitLineStarting(alice, "* rejoined the ring: 5 members, leader " + bob.display());
        awaitLineAfter(alice, "* this node was removed from the ring", "* rejoined the ring");

        // a line typed now reaches all five, after everything the survivors showed before
        eve.sendLine("after alice woke up");
        expected.add("after alice woke up");
        List<String> finalOrder = awaitSameOrder(survivors, expected, "after alice rejoined");
        assertEquals(order, finalOrder.subList(0, order.size()), () -> "the survivors' order changed\n" + everyone());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(
                alice.chatLines().stream().anyMatch(l -> l.endsWith("]: after alice woke up")), this::everyone));

        // alice never led a second ring: she showed nothing the others did not show at the same place ...
        List<String> aliceOrder = alice.chatLines();
        int common = Math.min(aliceOrder.size(), finalOrder.size());
        assertEquals(finalOrder.subList(0, common), aliceOrder.subList(0, common),
                () -> "alice's chat lines differ from the survivors'\n" + everyone());
        assertEquals(finalOrder, aliceOrder, () -> "alice missed or added lines\n" + everyone());
        // ... named no leader but bob, and nobody took her for a leader after she woke
        List<String> aliceAfterWake = alice.stdout().subList(aliceBeforeWake, alice.stdout().size());
        assertFalse(aliceAfterWake.stream().anyMatch(l -> l.startsWith("* leader: ") && !l.contains(bob.display())),
                "alice named another leader: " + aliceAfterWake);
        for (RingProcess p : survivors) {
            List<String> after = p.stdout().subList(outputBeforeWake.get(p), p.stdout().size());
            assertFalse(after.stream().anyMatch(l -> l.startsWith("* leader: ")), p + " saw a leader change: " + after);
        }
        assertLogsMatchStdout(ring);
    }

    @Test
    void leaderAndAnotherMemberStoppedTogetherAreRoutedAroundAndTheMostSeniorSurvivorLeads() {
        List<RingProcess> ring = startRing();
        RingProcess alice = ring.get(0);
        RingProcess bob = ring.get(1);
        RingProcess carol = ring.get(2);
        RingProcess dave = ring.get(3);
        RingProcess eve = ring.get(4);
        List<RingProcess> survivors = List.of(bob, dave, eve);

        // dave and eve type steadily; the leader and carol hang at the same moment
        Senders senders = Senders.start(dave, eve);
        senders.awaitBoth(FAULT_AFTER);
        alice.signal("STOP");
        carol.signal("STOP");
        senders.awaitDone();

        // the three survivors route around both, elect bob, and show every line once, in one order
        List<String> expected = new ArrayList<>(senders.texts());
        List<String> order = awaitSameOrder(survivors, expected, "while alice and carol are stopped");
        senders.assertEachInTypedOrder(order);
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : survivors) {
                assertEquals("* leader: " + bob.display(), lastLeaderLine(p).replaceFirst(" \\(term \\d+\\)$", ""),
                        () -> "leader named at " + p + "\n" + everyone());
            }
        });

        // both wake up, find they were removed, and rejoin; a line typed now reaches all five
        alice.signal("CONT");
        carol.signal("CONT");
        awaitLineStarting(alice, "* rejoined the ring");
        awaitLineStarting(carol, "* rejoined the ring");
        eve.sendLine("after both woke up");
        expected.add("after both woke up");
        awaitSameOrder(survivors, expected, "after alice and carol rejoined");
        for (RingProcess p : List.of(alice, carol)) {
            await().atMost(WAIT).untilAsserted(() -> assertTrue(
                    p.chatLines().stream().anyMatch(l -> l.endsWith("]: after both woke up")), this::everyone));
        }
        assertLogsMatchStdout(ring);
    }

    // ---- the ring ---------------------------------------------------------------------------

    /** alice leads; bob joins second (the most senior after her); carol, dave and eve join at once. */
    private List<RingProcess> startRing() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        awaitLineStarting(alice, "* started a new ring at 127.0.0.1:" + alice.port());
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        awaitLineStarting(bob, "* joined the ring: 2 members");
        add(RingProcess.joiner(tmp, "carol", RingProcess.freePort(), bob.port()));
        add(RingProcess.joiner(tmp, "dave", RingProcess.freePort(), alice.port()));
        add(RingProcess.joiner(tmp, "eve", RingProcess.freePort(), bob.port()));
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : nodes) {
                assertEquals(5, membersKnown(p), () -> "members known to " + p + "\n" + everyone());
            }
        });
        return List.copyOf(nodes);
    }

    /** How many members {@code p} has heard of: those it joined (or started) with, plus each later joiner. */
    private static int membersKnown(RingProcess p) {
        int known = 0;
        for (String line : p.stdout()) {
            Matcher m = JOINED_RING.matcher(line);
            if (m.matches()) {
                known = Integer.parseInt(m.group(1));
            } else if (line.startsWith("* started a new ring")) {
                known = 1;
            } else if (SOMEONE_JOINED.matcher(line).matches()) {
                known++;
            }
        }
        return known;
    }


    // ---- the two senders --------------------------------------------------------------------

    /** Two members typing numbered lines ({@code carol 17}) at a steady pace, each on its own thread. */
    private static final class Senders {

        private final List<RingProcess> who;
        private final List<AtomicInteger> sent = new ArrayList<>();
        private final List<CompletableFuture<Void>> running = new ArrayList<>();

        private Senders(List<RingProcess> who) {
            this.who = who;
        }

        static Senders start(RingProcess... who) {
            Senders s = new Senders(List.of(who));
            for (RingProcess p : who) {
                AtomicInteger count = new AtomicInteger();
                s.sent.add(count);
                s.running.add(CompletableFuture.runAsync(() -> {
                    for (int i = 1; i <= LINES; i++) {
                        p.sendLine(p.name() + " " + i);
                        count.set(i);
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MS));
                    }
                }, task -> new Thread(task, p.name() + "-typist").start()));
            }
            return s;
        }

        void awaitBoth(int lines) {
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> fewestSent() >= lines);
        }

        int fewestSent() {
            return sent.stream().mapToInt(AtomicInteger::get).min().orElse(0);
        }

        void awaitDone() {
            await().atMost(WAIT).until(() -> running.stream().allMatch(CompletableFuture::isDone));
            running.forEach(CompletableFuture::join); // a sender's exception fails the test
        }

        /** Every line typed, sender by sender. */
        List<String> texts() {
            List<String> texts = new ArrayList<>();
            for (RingProcess p : who) {
                for (int i = 1; i <= LINES; i++) {
                    texts.add(p.name() + " " + i);
                }
            }
            return texts;
        }

        /** Each sender's lines appear in {@code order} in the order it typed them. */
        void assertEachInTypedOrder(List<String> order) {
            for (RingProcess p : who) {
                List<String> own = order.stream().filter(l -> sender(l).equals(p.name())).map(FailoverIT::text).toList();
                List<String> typed = new ArrayList<>();
                for (int i = 1; i <= LINES; i++) {
                    typed.add(p.name() + " " + i);
                }
                assertEquals(typed, own, p + "'s lines as shown");
            }
        }
    }

    // ---- checks -----------------------------------------------------------------------------

    /**
     * Waits until every process in {@code group} shows exactly the {@code expected} texts, each once,
     * and all in the same order (same lines, same stamps); returns that order.
     */
    private List<String> awaitSameOrder(List<RingProcess> group, List<String> expected, String when) {
        List<String> sortedExpected = expected.stream().sorted().toList();
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : group) {
                List<String> texts = p.chatLines().stream().map(FailoverIT::text).toList();
                assertTrue(texts.containsAll(expected) || texts.size() > expected.size(),
                        () -> "not yet every line at " + p + " " + when + " (" + texts.size() + " shown)\n" + everyone());
            }
        });
        List<String> order = group.get(0).chatLines();
        for (RingProcess p : group) {
            List<String> lines = p.chatLines();
            assertEquals(sortedExpected, lines.stream().map(FailoverIT::text).sorted().toList(),
                    () -> "lines at " + p + " " + when + " (lost or doubled)\n" + everyone());
            assertEquals(order, lines, () -> "order at " + p + " differs from " + group.get(0) + " " + when + "\n" + everyone());
        }
        long lastStamp = -1;
        for (String line : order) {
            long stamp = Long.parseLong(chat(line).group(3));
            assertTrue(stamp > lastStamp, "stamps grow with the order " + when + ": " + line);
            lastStamp = stamp;
        }
        return order;
    }

    /** Each chat_<port>.log holds the same chat lines as stdout, and its T never goes backwards. */
    private void assertLogsMatchStdout(List<RingProcess> group) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : group) {
                assertEquals(p.chatLines(), p.loggedChatLines(), () -> "log of " + p + "\n" + everyone());
            }
        });
        group.forEach(RingProcess::assertLogTimeNeverGoesBack);
    }

    private static String lastLeaderLine(RingProcess p) {
        List<String> out = p.stdout();
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).startsWith("* leader: ")) {
                return out.get(i);
            }
        }
        return "(no leader line)";
    }

    private void awaitLineStarting(RingProcess p, String prefix) {
        await().atMost(WAIT).untilAsserted(() -> assertTrue(p.stdout().stream().anyMatch(l -> l.startsWith(prefix)),
                () -> "no line starting '" + prefix + "' from " + p + "\n" + everyone()));
    }

    /** {@code p} printed a line starting with {@code second} after one starting with {@code first}. */
    private void awaitLineAfter(RingProcess p, String first, String second) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> out = p.stdout();
            int i = 0;
            while (i < out.size() && !out.get(i).startsWith(first)) {
                i++;
            }
            assertTrue(out.subList(Math.min(i, out.size()), out.size()).stream().anyMatch(l -> l.startsWith(second)),
                    () -> "no '" + second + "' after '" + first + "' from " + p + "\n" + everyone());
        });
    }

    private String everyone() {
        return nodes.stream().map(RingProcess::describe).collect(Collectors.joining());
    }

    private static Matcher chat(String line) {
        Matcher m = CHAT.matcher(line);
        assertTrue(m.matches(), "not a chat line: " + line);
        return m;
    }

    private static String sender(String chatLine) {
        return chat(chatLine).group(1);
    }

    private static String text(String chatLine) {
        return chat(chatLine).group(4);
    }
}
