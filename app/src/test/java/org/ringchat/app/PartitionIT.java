package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Six real processes, one per host of a {@link NetnsLab}: hosts 1–3 on one switch, 4–6 on
 * another, the switches joined by one uplink. Cutting the uplink splits the ring in two halves
 * that are both alive; each must see the other half as gone and go on as a ring of its own, the
 * half without the leader electing one; once the uplink is back, the halves merge into one ring
 * and each is shown what the other said meanwhile. It measures the detection, election and merge
 * times.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PartitionIT extends NetnsRingTest {

    /** How long the flapping uplink stays up, and then down again, before it comes back for good. */
    static final long FLAP_MS = 500;

    @BeforeEach
    void checkNamespaces() {
        NetnsLab.Availability lab = NetnsLab.availability();
        assumeTrue(lab.available(), "PartitionIT skipped, it needs Linux network namespaces as root: " + lab.reason());
    }

    /** The six hosts spread over {@code switches} switches joined in a line (2: hosts 1–3 and 4–6). */
    private void buildNetwork(int switches) {
        this.lab = NetnsLab.open(NAMES.size(), switches);
    }

    @Test
    void cutUplinkSplitsTheRingIntoTwoWorkingRingsThatMergeOnHeal() {
        buildNetwork(2);
        // six hosts, one node on each, listening on its host's address; all join through alice
        List<RingProcess> ring = startRing();
        List<RingProcess> sideA = ring.subList(0, 3); // alice (the leader), bob, carol: switch 1
        List<RingProcess> sideB = ring.subList(3, 6); // dave, erin, frank: switch 2
        RingProcess dave = ring.get(3);
        awaitShown(ring, sayOn(ring.get(5), "one ring before the cut"), "before the cut");

        // cut the uplink between the switches: each side still reaches itself, not the other
        Map<RingProcess, Integer> atCut = new HashMap<>();
        ring.forEach(p -> atCut.put(p, p.stdout().size()));
        long cutAt = System.nanoTime();
        lab.cutUplink(1);

        // each side names every member of the other as gone; the side without alice elects a leader
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : ring) {
                for (RingProcess gone : sideA.contains(p) ? sideB : sideA) {
                    assertTrue(goneAt(p, atCut.get(p), gone).isPresent(),
                            () -> p + " has not named " + gone + " as gone\n" + everyone());
                }
            }
            for (RingProcess p : sideB) {
                assertTrue(leaderLineAt(p, atCut.get(p)).isPresent(), () -> p + " has named no new leader\n" + everyone());
            }
        });
        long detectedA = millisSince(cutAt, sideA.stream().mapToLong(p -> lastGoneAt(p, atCut.get(p), sideB)).max());
        long detectedB = millisSince(cutAt, sideB.stream().mapToLong(p -> lastGoneAt(p, atCut.get(p), sideA)).max());
        long elected = millisSince(cutAt, sideB.stream().mapToLong(p -> leaderLineAt(p, atCut.get(p)).getAsLong()).max());
        System.out.printf("PartitionIT: from the cut, side A (with the leader) named all of side B gone in %d ms;"
                + " side B named all of side A gone in %d ms and its new leader in %d ms%n", detectedA, detectedB, elected);
        ring.forEach(p -> printTimeline(p, atCut.get(p), cutAt));

        // side B's new leader is its most senior member, dave; side A saw no leader change
        for (RingProcess p : sideB) {
            String line = p.stdout().get(indexOf(p, atCut.get(p), l -> l.startsWith("* leader: ")));
            assertTrue(line.startsWith("* leader: " + dave.display() + " "), () -> p + " named " + line + "\n" + everyone());
        }
        for (RingProcess p : sideA) {
            assertEquals(-1, indexOf(p, atCut.get(p), l -> l.startsWith("* leader: ")),
                    () -> p + " saw a leader change\n" + everyone());
        }

        // each side chats on its own: a line typed on a side reaches all of it (and, below, none of the other)
        awaitShown(sideA, sayOn(ring.get(1), "side A during the split"), "on side A");
        awaitShown(sideB, sayOn(ring.get(4), "side B during the split"), "on side B");

        // heal the uplink: within seconds the halves find each other and merge, alice's (the more
        // senior piece) absorbing dave's; every node is shown what the other side said meanwhile,
        // framed, exactly once
        Map<RingProcess, Integer> atHeal = new HashMap<>();
        ring.forEach(p -> atHeal.put(p, p.stdout().size()));
        long healAt = System.nanoTime();
        lab.healUplink(1);
        String whole = "* ring whole again: 6 members, leader " + ring.get(0).display();
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : ring) {
                assertTrue(p.readAt(atHeal.get(p), l -> l.equals(whole)).isPresent(),
                        () -> p + " has not shown '" + whole + "'\n" + everyone());
            }
        });
        long merged = millisSince(healAt, ring.stream().mapToLong(p -> p.readAt(atHeal.get(p), l -> l.equals(whole))
                .getAsLong()).max());
        System.out.printf("PartitionIT: from the heal, every node showed the ring whole again in %d ms%n", merged);
        ring.forEach(p -> printTimeline(p, atHeal.get(p), healAt));
        for (RingProcess p : ring) {
            boolean onA = sideA.contains(p);
            List<RingProcess> other = onA ? sideB : sideA;
            String header = "* while split from " + other.stream().map(RingProcess::display)
                    .collect(Collectors.joining(", ")) + ": 1 message";
            int at = indexOf(p, atHeal.get(p), l -> l.equals(header));
            assertTrue(at >= 0, () -> p + " did not show '" + header + "'\n" + everyone());
            String missed = onA ? "side B during the split" : "side A during the split";
            assertTrue(p.stdout().get(at + 1).endsWith("]: " + missed), () -> p + " showed after the header: "
                    + p.stdout().get(at + 1) + "\n" + everyone());
            assertEquals(whole, p.stdout().get(at + 2), () -> p + " did not close the merged lines\n" + everyone());
        }

        // one ring again: a line typed now reaches all six, and no node ever showed a line twice
        awaitShown(ring, sayOn(ring.get(4), "one ring after the merge"), "after the merge");
        awaitShown(ring, sayOn(ring.get(1), "and back"), "after the merge");
        assertNoLineTwice(ring);

        // chat_5000.log holds what stdout showed, on both sides
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : ring) {
                assertEquals(p.chatLines(), p.loggedChatLines(), () -> "log and stdout differ at " + p + "\n" + everyone());
            }
        });
    }

    @Test
    void throttledHostStillJoinsAndChats() {
        buildNetwork(2);
        // bob's link carries 32 kbit/s each way, from before he starts
        lab.throttle(2, "32kbit");
        RingProcess alice = add(node(1, List.of("-l")));
        awaitLine(alice, l -> l.startsWith("* started a new ring at " + lab.address(1) + ":" + PORT));
        RingProcess bob = add(node(2, List.of("-na", lab.address(1), "-np", String.valueOf(PORT))));

        // he joins, and lines cross the throttled link both ways
        awaitLine(bob, l -> l.startsWith("* joined the ring: 2 members, leader " + alice.display()));
        awaitShown(List.of(alice, bob), sayOn(bob, "through a trickle"), "from bob");
        awaitShown(List.of(alice, bob), sayOn(alice, "back through it"), "from alice");
    }

    @Test
    void threeWaySplitMergesBackIntoOneRing() {
        // three switches in a line: alice and bob, carol and dave, erin and frank
        buildNetwork(3);
        List<RingProcess> ring = startRing();
        List<List<RingProcess>> groups = List.of(ring.subList(0, 2), ring.subList(2, 4), ring.subList(4, 6));
        awaitShown(ring, sayOn(ring.get(5), "one ring before the cuts"), "before the cuts");

        // both uplinks go down: three pieces, each names the other four gone and chats on its own
        Map<RingProcess, Integer> atCut = marks(ring);
        lab.cutUplink(1);
        lab.cutUplink(2);
        await().atMost(WAIT).untilAsserted(() -> {
            for (List<RingProcess> group : groups) {
                for (RingProcess p : group) {
                    for (RingProcess gone : ring) {
                        if (!group.contains(gone)) {
                            assertTrue(goneAt(p, atCut.get(p), gone).isPresent(),
                                    () -> p + " has not named " + gone + " as gone\n" + everyone());
                        }
                    }
                }
            }
        });
        List<String> said = new ArrayList<>();
        for (List<RingProcess> group : groups) {
            String text = group.get(1).name() + " in a piece of two";
            awaitShown(group, sayOn(group.get(1), text), "in its piece");
            said.add(text);
        }

        // both uplinks come back: the pieces merge pair by pair into one ring, led by alice, and
        // every node is shown the lines of both other pieces, once
        Map<RingProcess, Integer> atHeal = marks(ring);
        long healAt = System.nanoTime();
        lab.healUplink(1);
        lab.healUplink(2);
        String whole = "* ring whole again: 6 members, leader " + ring.get(0).display();
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : ring) {
                assertTrue(p.readAt(atHeal.get(p), l -> l.equals(whole)).isPresent(),
                        () -> p + " has not shown '" + whole + "'\n" + everyone());
            }
        });
        System.out.printf("PartitionIT: three pieces: every node showed the ring whole again %d ms after the heal%n",
                millisSince(healAt, ring.stream().mapToLong(p -> p.readAt(atHeal.get(p), l -> l.equals(whole))
                        .getAsLong()).max()));
        ring.forEach(p -> printTimeline(p, atHeal.get(p), healAt));
        said.forEach(text -> awaitShown(ring, text, "after the merges"));
        awaitShown(ring, sayOn(ring.get(3), "one ring of six again"), "after the merges");
        assertNoLineTwice(ring);
    }

    @Test
    void flappingUplinkEndsInOneRing() {
        buildNetwork(2);
        List<RingProcess> ring = startRing();
        List<RingProcess> sideB = ring.subList(3, 6);
        awaitShown(ring, sayOn(ring.get(5), "one ring before the flaps"), "before the flaps");

        // the uplink goes down until both sides have parted, comes back, and goes down again half a
        // second later, while the pieces may be finding each other; then it comes back for good
        Map<RingProcess, Integer> atCut = marks(ring);
        lab.cutUplink(1);
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : sideB) {
                assertTrue(leaderLineAt(p, atCut.get(p)).isPresent(), () -> p + " has named no new leader\n" + everyone());
            }
        });
        awaitShown(sideB, sayOn(ring.get(4), "erin between the flaps"), "on side B");
        lab.healUplink(1);
        flap();
        lab.cutUplink(1);
        flap();
        Map<RingProcess, Integer> atHeal = marks(ring);
        long healAt = System.nanoTime();
        lab.healUplink(1);

        // one ring of six in the end, which every line reaches once
        String typed = sayOn(ring.get(1), "bob after the flaps");
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : ring) {
                assertTrue(p.chatLines().stream().anyMatch(l -> l.endsWith("]: " + typed)),
                        () -> "'" + typed + "' not shown at " + p + "\n" + everyone());
            }
        });
        System.out.printf("PartitionIT: flapping uplink: a line typed at the last heal reached all six in %d ms%n",
                millisSince(healAt, ring.stream().mapToLong(p -> p.readAt(atHeal.get(p), l -> l.endsWith("]: " + typed))
                        .getAsLong()).max()));
        ring.forEach(p -> printTimeline(p, atHeal.get(p), healAt));
        awaitShown(ring, "erin between the flaps", "after the flaps");
        awaitShown(ring, sayOn(ring.get(5), "frank in one ring"), "after the flaps");
        assertNoLineTwice(ring);
    }

    /** The fault's own timing (the link is up, or down, this long), not a wait for a condition. */
    private static void flap() {
        try {
            TimeUnit.MILLISECONDS.sleep(FLAP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void closeDeletesEveryNamespace() {
        NetnsLab other = NetnsLab.open(2, 1);
        assertEquals(3, other.existingNamespaces().size(), () -> "namespaces of " + other);
        other.close();
        assertEquals(List.of(), other.existingNamespaces());
    }

    /** Waits until every process of {@code group} shows a chat line ending in {@code ]: text}. */
    private void awaitShown(List<RingProcess> group, String text, String where) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : group) {
                assertTrue(p.chatLines().stream().anyMatch(l -> l.endsWith("]: " + text)),
                        () -> "'" + text + "' not shown at " + p + " " + where + "\n" + everyone());
            }
        });
    }

    private void assertNeverShown(List<RingProcess> group, String... texts) {
        for (RingProcess p : group) {
            for (String text : texts) {
                assertFalse(p.chatLines().stream().anyMatch(l -> l.endsWith("]: " + text)),
                        () -> "'" + text + "' crossed the partition to " + p + "\n" + everyone());
            }
        }
    }

    private static long lastGoneAt(RingProcess p, int from, List<RingProcess> others) {
        return others.stream().mapToLong(o -> goneAt(p, from, o).getAsLong()).max().orElseThrow();
    }

    private static OptionalLong leaderLineAt(RingProcess p, int from) {
        return p.readAt(from, l -> l.startsWith("* leader: "));
    }

    /** Prints what {@code p} showed from stdout line {@code from} on, each line with the ms since {@code start}. */
    private static void printTimeline(RingProcess p, int from, long start) {
        List<String> out = p.stdout();
        for (int i = from; i < out.size(); i++) {
            System.out.printf("PartitionIT: %6d ms %s: %s%n", TimeUnit.NANOSECONDS.toMillis(p.readAt(i) - start), p.name(), out.get(i));
        }
    }

    private static int indexOf(RingProcess p, int from, Predicate<String> line) {
        List<String> out = p.stdout();
        for (int i = from; i < out.size(); i++) {
            if (line.test(out.get(i))) {
                return i;
            }
        }
        return -1;
    }

}
