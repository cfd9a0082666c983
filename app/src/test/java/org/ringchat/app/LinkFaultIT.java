package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults of one member's link that are not a clean cut, in a 6-node ring of real processes, one
 * per host of a {@link NetnsLab} (alice, the leader, on host 1 ... frank on host 6): every packet
 * lost one way, a fifth of the packets lost both ways, and a link throttled to a trickle. Each
 * test prints what it measured ({@code LinkFaultIT: ...}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LinkFaultIT extends NetnsRingTest {

    /**
     * How long the lossy link of {@link #randomLossOnOneLinkRemovesNobodyAndChatFlows} lasts, and
     * the trickle of {@link #throttledMemberIsRemovedAndTheRestChatsOn}: 20 s, or the system
     * property {@code linkfault.seconds} (longer runs for measurements).
     */
    static final Duration FAULT = Duration.ofSeconds(Long.getLong("linkfault.seconds", 20));
    static final int LOSS_PERCENT = 20;
    /** The throttled member's rate each way: heartbeats alone need more. */
    static final String TRICKLE = "8kbit";

    @BeforeEach
    void buildNetwork() {
        NetnsLab.Availability lab = NetnsLab.availability(true);
        assumeTrue(lab.available(), "LinkFaultIT skipped, it needs Linux network namespaces and nftables as root: " + lab.reason());
        this.lab = NetnsLab.open(NAMES.size(), 2);
    }

    /** Which of a host's packets the one-way fault drops. */
    enum Way {
        /** Every packet the host sends. */
        LEAVING,
        /** Every packet sent to it. */
        ARRIVING
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void oneWayLossCutsTheMemberOffAndTheRestChatsOn(Way way) {
        List<RingProcess> ring = startRing();
        RingProcess erin = ring.get(4);
        List<RingProcess> rest = new ArrayList<>(ring);
        rest.remove(erin);
        awaitShown(ring, sayOn(ring.get(5), "one ring before the fault"), "before the fault");

        // every packet erin's host sends (or every packet sent to it) is lost at her switch port
        Map<RingProcess, Integer> atFault = marks(ring);
        long faultAt = System.nanoTime();
        if (way == Way.LEAVING) {
            lab.dropFrom(5, 100);
        } else {
            lab.dropTo(5, 100);
        }

        // a line typed at once by bob reaches the five others, however long the ring stalls meanwhile
        String during = sayOn(ring.get(1), "bob while erin's link fails");
        awaitShown(rest, during, "while erin's link fails");
        long chatPause = millisSince(faultAt, lastShownAt(rest, atFault, during));

        // the five others name erin gone
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : rest) {
                assertTrue(goneAt(p, atFault.get(p), erin).isPresent(), () -> p + " has not named erin as gone\n" + everyone());
            }
        });
        long detected = millisSince(faultAt, rest.stream().mapToLong(p -> goneAt(p, atFault.get(p), erin).getAsLong()).max());

        // erin notices she is cut off: she names her leader or her neighbours gone, or finds herself removed
        await().atMost(WAIT).untilAsserted(() ->
                assertTrue(cutOffAt(erin, atFault.get(erin)).isPresent(), () -> "erin noticed nothing\n" + everyone()));
        long noticed = millisSince(faultAt, cutOffAt(erin, atFault.get(erin)));

        // the rest chat on without her
        long sentAt = System.nanoTime();
        String after = sayOn(ring.get(3), "dave after erin is gone");
        awaitShown(rest, after, "after erin is gone");
        long latency = millisSince(sentAt, lastShownAt(rest, atFault, after));
        System.out.printf("LinkFaultIT: one-way loss (%s erin's host): bob's line typed at the fault reached the other"
                + " five in %d ms; all five named erin gone in %d ms; erin noticed in %d ms; a line after that took %d ms%n",
                way, chatPause, detected, noticed, latency);
        ring.forEach(p -> printTimeline(p, atFault.get(p), faultAt));

        // heal erin's link: within seconds she is back in one ring with the five (her piece merges
        // into theirs, or she rejoins), is shown what she missed, and nobody shows a line twice
        Map<RingProcess, Integer> atHeal = marks(ring);
        long healAt = System.nanoTime();
        lab.clearDrops(5);
        String healed = sayOn(ring.get(2), "carol after the heal");
        awaitShown(ring, healed, "after the heal");
        awaitShown(List.of(erin), during, "at erin after the heal");
        awaitShown(List.of(erin), after, "at erin after the heal");
        System.out.printf("LinkFaultIT: one-way loss (%s erin's host): a line typed at the heal reached all six in %d ms%n",
                way, millisSince(healAt, lastShownAt(ring, atHeal, healed)));
        printTimeline(erin, atHeal.get(erin), healAt);
        awaitShown(ring, sayOn(erin, "erin back in the ring"), "from erin after the heal");
        assertNoLineTwice(ring);
        assertLogsMatchStdout(ring);
    }

    @Test
    void randomLossOnOneLinkRemovesNobodyAndChatFlows() {
        List<RingProcess> ring = startRing();
        RingProcess carol = ring.get(2);
        awaitShown(ring, sayOn(ring.get(5), "one ring before the loss"), "before the loss");

        // a fifth of carol's packets, each way, is lost at her switch port
        Map<RingProcess, Integer> atFault = marks(ring);
        Map<RingProcess, Integer> stderrAtFault = new HashMap<>();
        ring.forEach(p -> stderrAtFault.put(p, p.stderr().size()));
        long faultAt = System.nanoTime();
        lab.dropFrom(3, LOSS_PERCENT);
        lab.dropTo(3, LOSS_PERCENT);

        // for FAULT, the six take turns typing a line, each waiting for the last to reach all six
        List<Long> latencies = new ArrayList<>();
        String stalled = null;
        try {
            for (int i = 0; System.nanoTime() - faultAt < FAULT.toNanos(); i++) {
                RingProcess sender = ring.get(i % ring.size());
                long sentAt = System.nanoTime();
                String text = sayOn(sender, "line " + i + " from " + sender.name() + " through the loss");
                awaitShown(ring, text, "during the loss");
                latencies.add(millisSince(sentAt, lastShownAt(ring, atFault, text)));
            }
        } catch (ConditionTimeoutException e) {
            stalled = e.getMessage().lines().findFirst().orElse("");
        }
        long dropped = lab.dropped(3);
        lab.clearDrops(3);

        // nobody was removed, nobody saw a leader change, nobody found itself out of the ring
        List<String> lost = new ArrayList<>();
        for (RingProcess p : ring) {
            List<String> out = p.stdout();
            for (int i = atFault.get(p); i < out.size(); i++) {
                String line = out.get(i);
                if (isLoss(line)) {
                    lost.add(p.name() + ": " + line);
                }
            }
        }
        long suspicions = ring.stream().mapToLong(p -> countFrom(p.stderr(), stderrAtFault.get(p), l -> l.contains("suspect "))).sum();
        // a member that lost the leader alone elects in silence: nobody follows, and its user is told nothing
        long unfollowed = ring.stream().mapToLong(p -> countFrom(p.stderr(), stderrAtFault.get(p),
                l -> l.contains("electing a new leader (told once the others take part)"))).sum();
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("LinkFaultIT: %d %% loss each way on carol's link for %d s (%d packets dropped): %d lines"
                + " reached all six, delivery median %d ms, max %d ms; %d suspicions and %d elections nobody followed"
                + " (diagnostics); %s; removals and leader changes: %s%n", LOSS_PERCENT, FAULT.toSeconds(), dropped, latencies.size(),
                sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2), sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1),
                suspicions, unfollowed, stalled == null ? "chat never stalled past " + WAIT.toSeconds() + " s" : "then " + stalled, lost);
        ring.forEach(p -> printStderr(p, stderrAtFault.get(p)));
        assertEquals(List.of(), lost, () -> "a healthy member was taken for lost\n" + everyone());
        assertEquals(null, stalled, () -> "chat stalled with nobody removed\n" + everyone());
        assertTrue(carol.isAlive(), () -> everyone());
        assertLogsMatchStdout(ring);
    }

    @Test
    void throttledMemberIsRemovedAndTheRestChatsOn() {
        List<RingProcess> ring = startRing();
        RingProcess frank = ring.get(5);
        List<RingProcess> rest = ring.subList(0, 5);
        awaitShown(ring, sayOn(ring.get(4), "one ring before the trickle"), "before the trickle");

        Map<RingProcess, Integer> atFault = marks(ring);
        long faultAt = System.nanoTime();
        lab.throttle(6, TRICKLE);

        // for FAULT, the five others take turns typing a line, each waiting for the last to reach the five
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; System.nanoTime() - faultAt < FAULT.toNanos(); i++) {
            RingProcess sender = rest.get(i % rest.size());
            long sentAt = System.nanoTime();
            String text = sayOn(sender, "line " + i + " from " + sender.name() + " past the trickle");
            awaitShown(rest, text, "past the trickle");
            latencies.add(millisSince(sentAt, lastShownAt(rest, atFault, text)));
        }
        long franksLines = countFrom(frank.stdout(), atFault.get(frank), l -> l.startsWith("> "));
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("LinkFaultIT: frank's link at %s for %d s: %d lines reached the other five, median %d ms,"
                + " max %d ms; frank showed %d of them%n", TRICKLE, FAULT.toSeconds(), latencies.size(),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), franksLines);
        ring.forEach(p -> printTimeline(p, atFault.get(p), faultAt, l -> !l.startsWith("> ")));

        // frank cannot keep up with the chat he is sent: the five others remove him, and he finds
        // himself alone (he takes them all for gone and leads a ring of his own)
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : rest) {
                assertTrue(goneAt(p, atFault.get(p), frank).isPresent(), () -> p + " has not named frank as gone\n" + everyone());
            }
            assertTrue(cutOffAt(frank, atFault.get(frank)).isPresent(), () -> "frank noticed nothing\n" + everyone());
        });
        System.out.printf("LinkFaultIT: frank's link at %s: all five named him gone in %d ms, he noticed in %d ms%n", TRICKLE,
                millisSince(faultAt, rest.stream().mapToLong(p -> goneAt(p, atFault.get(p), frank).getAsLong()).max()),
                millisSince(faultAt, cutOffAt(frank, atFault.get(frank))));
        // unthrottle: frank's ring of one merges back into the five's, and he is shown every line
        // he missed, each once
        Map<RingProcess, Integer> atHeal = marks(ring);
        long healAt = System.nanoTime();
        lab.unthrottle(6);
        String healed = sayOn(ring.get(1), "bob after the trickle");
        awaitShown(ring, healed, "after the trickle");
        for (int i = 0; i < latencies.size(); i++) {
            String missed = "line " + i + " from " + rest.get(i % rest.size()).name() + " past the trickle";
            awaitShown(List.of(frank), missed, "at frank after the trickle");
        }
        System.out.printf("LinkFaultIT: frank's link unthrottled: a line typed then reached all six in %d ms%n",
                millisSince(healAt, lastShownAt(ring, atHeal, healed)));
        printTimeline(frank, atHeal.get(frank), healAt, l -> !l.startsWith("> "));
        assertNoLineTwice(ring);
        assertLogsMatchStdout(ring);
    }

    // ---- the ring ---------------------------------------------------------------------------

    // ---- what they show ---------------------------------------------------------------------

    private static Predicate<String> chatLine(String text) {
        return l -> l.startsWith("> ") && l.endsWith("]: " + text);
    }

    private void awaitShown(List<RingProcess> group, String text, String where) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : group) {
                assertTrue(p.chatLines().stream().anyMatch(chatLine(text)),
                        () -> "'" + text + "' not shown at " + p + " " + where + "\n" + everyone());
            }
        });
    }

    /** When the last of {@code group} showed {@code text} (after its mark). */
    private static OptionalLong lastShownAt(List<RingProcess> group, Map<RingProcess, Integer> from, String text) {
        return group.stream().mapToLong(p -> p.readAt(from.get(p), chatLine(text)).orElseThrow()).max();
    }

    /** When {@code p} first showed that it lost the ring: another member gone, a leader lost, or itself removed. */
    private static OptionalLong cutOffAt(RingProcess p, int from) {
        return p.readAt(from, LinkFaultIT::isLoss);
    }

    /** A line saying a member (or the leader, or this node) was taken for gone. */
    private static boolean isLoss(String line) {
        return line.startsWith("* ") && (line.contains("; ring repaired") || line.endsWith("; electing a new leader")
                || line.contains("removed from the ring") || line.startsWith("* leader: "));
    }

    private static long countFrom(List<String> lines, int from, Predicate<String> which) {
        return lines.subList(Math.min(from, lines.size()), lines.size()).stream().filter(which).count();
    }

    private void assertLogsMatchStdout(List<RingProcess> group) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : group) {
                assertEquals(p.chatLines(), p.loggedChatLines(), () -> "log and stdout differ at " + p + "\n" + everyone());
            }
        });
    }

    /** Prints what {@code p} showed from stdout line {@code from} on, each line with the ms since {@code start}. */
    private static void printTimeline(RingProcess p, int from, long start) {
        printTimeline(p, from, start, l -> true);
    }

    private static void printTimeline(RingProcess p, int from, long start, Predicate<String> which) {
        List<String> out = p.stdout();
        for (int i = from; i < out.size(); i++) {
            if (!which.test(out.get(i))) {
                continue;
            }
            System.out.printf("LinkFaultIT: %6d ms %s: %s%n", TimeUnit.NANOSECONDS.toMillis(p.readAt(i) - start), p.name(), out.get(i));
        }
    }

    private static void printStderr(RingProcess p, int from) {
        List<String> err = p.stderr();
        for (int i = from; i < err.size(); i++) {
            System.out.printf("LinkFaultIT: %s stderr: %s%n", p.name(), err.get(i));
        }
    }

}
