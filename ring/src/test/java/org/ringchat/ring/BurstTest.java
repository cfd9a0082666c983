package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node busy with a chat burst is not taken for a hung one. */
@Timeout(300)
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

    @Test
    void theLeadersOwnBurstWhileTwoFollowersSendIsShownOnceInOneOrder() {
        TestNode alice = start("alice", null);
        TestNode bob = start("bob", alice);
        TestNode carol = start("carol", alice);
        List<TestNode> all = List.of(alice, bob, carol);
        cluster.awaitOneRing(all);

        // the leader pastes a burst into its own node while both followers keep sending
        List<CompletableFuture<Void>> senders = all.stream().map(n -> CompletableFuture.runAsync(() -> {
            for (int i = 0; i < BURST; i++) {
                n.node.send(n.name + " " + i);
            }
        })).toList();
        senders.forEach(CompletableFuture::join);

        // every member shows every line once, each sender's in its order, all in one order
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> all.forEach(n ->
                assertEquals(3 * BURST, n.chats.size(), () -> n + "\n" + cluster.describe())));
        for (TestNode n : all) {
            for (TestNode sender : all) {
                List<String> own = n.texts().stream().filter(t -> t.startsWith(sender.name + " ")).toList();
                assertEquals(BURST, own.size(), () -> n + " shows " + sender + "'s lines a wrong number of times");
                for (int i = 0; i < BURST; i++) {
                    assertEquals(sender.name + " " + i, own.get(i), n + " shows " + sender + "'s lines out of order");
                }
            }
        }
        Cluster.assertSameHistory(all);
        assertEquals(0, cluster.handlerFailures());
    }
}
