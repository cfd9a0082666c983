package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node busy with a chat burst is not taken for a hung one. */
@Timeout(120)
class BurstTest {

    private static final int BURST = 20_000;

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    /** Default failure detection: heartbeats every 200 ms, suspicion after 1 s. */
    private TestNode start(String name, TestNode via) {
        RingConfig.Builder config = RingConfig.builder(name).address("127.0.0.1", 0);
        if (via != null) {
            config.joinVia(via.address());
        }
        return cluster.start(config.build());
    }

    @Test
    void aBurstOfChatRaisesNoSuspicion() {
        TestNode alice = start("alice", null);
        TestNode bob = start("bob", alice);
        TestNode carol = start("carol", bob);
        List<TestNode> all = List.of(alice, bob, carol);
        cluster.awaitOneRing(all);

        // bob pours out a burst as fast as the ring takes it
        for (int i = 0; i < BURST; i++) {
            bob.node.send("burst " + i);
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                all.forEach(n -> assertEquals(BURST, n.chats.size(), n::toString)));

        // nobody suspected anybody, nobody was removed, and the order is bob's
        for (TestNode n : all) {
            assertTrue(n.events.stream().noneMatch(e -> e.kind() == RingEvent.Kind.SUSPECT
                    || e.kind() == RingEvent.Kind.REPAIRED || e.kind() == RingEvent.Kind.REMOVED),
                    () -> n + ": " + n.events.stream().filter(e -> e.kind().shown() || e.kind() == RingEvent.Kind.SUSPECT).toList());
            for (int i = 0; i < BURST; i += 997) {
                assertEquals("burst " + i, n.chats.get(i).text());
            }
        }
        cluster.assertOneRing(all);
    }
}
