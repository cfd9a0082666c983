package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;

/**
 * What the multi-host tests share: six real processes, one per host of a {@link NetnsLab}
 * (alice leading, the others joining through her), and how they read what the processes show.
 * Each test class builds its own lab in {@link #lab}; it is deleted after each test, after the
 * processes that ran in it.
 */
abstract class NetnsRingTest extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int PORT = 5000;
    static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank");

    NetnsLab lab;

    void assertNoLineTwice(List<RingProcess> group) {
        for (RingProcess p : group) {
            List<String> texts = p.chatLines().stream().map(l -> l.substring(l.indexOf("]: ") + 3)).toList();
            assertEquals(texts.stream().distinct().toList(), texts, () -> p + " showed a line twice\n" + everyone());
        }
    }

    void awaitLine(RingProcess p, Predicate<String> line) {
        await().atMost(WAIT).failFast(p + " exited", () -> assertTrue(p.isAlive(), () -> p + " exited\n" + everyone()))
                .untilAsserted(() -> assertTrue(p.stdout().stream().anyMatch(line), () -> everyone()));
    }

    /** The processes end first, then the namespaces they ran in go. */
    @Override
    @AfterEach
    void destroyAll() {
        try {
            super.destroyAll();
        } finally {
            if (lab != null) {
                lab.close();
                assertEquals(List.of(), lab.existingNamespaces(), "namespaces left behind by " + lab);
            }
        }
    }

    String everyone() {
        List<String> all = new ArrayList<>();
        nodes.forEach(p -> all.add(p.describe()));
        return all.stream().collect(Collectors.joining()) + "lab: " + lab;
    }

    /**
     * When {@code p} (from its stdout line {@code from} on) named {@code gone} as gone: repaired
     * around it ({@code * gone crashed; ring repaired ...} or {@code ... stopped responding; ...}),
     * or, for its leader, lost it ({@code * leader gone ...; electing a new leader}).
     */
    static OptionalLong goneAt(RingProcess p, int from, RingProcess gone) {
        String who = gone.display() + " ";
        return p.readAt(from, l -> l.startsWith("* " + who) && l.contains("; ring repaired")
                || l.startsWith("* leader " + who) && l.endsWith("; electing a new leader"));
    }

    static Map<RingProcess, Integer> marks(List<RingProcess> ring) {
        Map<RingProcess, Integer> at = new HashMap<>();
        ring.forEach(p -> at.put(p, p.stdout().size()));
        return at;
    }

    static long millisSince(long start, OptionalLong end) {
        return TimeUnit.NANOSECONDS.toMillis(end.orElseThrow() - start);
    }

    RingProcess node(int host, List<String> args) {
        String name = NAMES.get(host - 1);
        return RingProcess.start(lab.exec(host), tmp.resolve(name), name, lab.address(host), PORT, args);
    }

    /** {@code p} types {@code text}; returns it. */
    static String sayOn(RingProcess p, String text) {
        p.sendLine(text);
        return text;
    }

    /**
     * Starts alice on host 1 as the leader, then the five others one by one, each on its host,
     * through alice. One by one, because five JVMs starting at once on two busy cores can starve
     * alice past a joiner's wait (then 750 ms) for her answer (the joiner then exits with "does not speak
     * the ringchat protocol").
     */
    List<RingProcess> startRing() {
        RingProcess alice = add(node(1, List.of("-l")));
        awaitLine(alice, l -> l.startsWith("* started a new ring at " + lab.address(1) + ":" + PORT));
        for (int h = 2; h <= NAMES.size(); h++) {
            RingProcess joiner = add(node(h, List.of("-na", lab.address(1), "-np", String.valueOf(PORT))));
            int members = h;
            awaitLine(joiner, l -> l.startsWith("* joined the ring: " + members + " members, leader " + alice.display()));
        }
        List<RingProcess> ring = List.copyOf(nodes);
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> joins = alice.stdout().stream().filter(l -> l.matches("\\* \\S+\\(\\S+\\) joined")).toList();
            assertEquals(ring.size() - 1, joins.size(), () -> "joins seen by alice: " + joins + "\n" + everyone());
        });
        return ring;
    }
}
