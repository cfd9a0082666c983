package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;

/**
 * Real nodes a scenario test starts, hurts and waits for, written once and run over either
 * transport: {@link LoopbackCluster} (Netty on 127.0.0.1, real time) or the simulator's
 * {@code SimCluster} (in-memory network, virtual time, where waiting runs the simulation). Tests
 * never block on a node's future or sleep; they wait through {@link #awaitUntil} and {@link #await}.
 */
public interface Cluster extends AutoCloseable {

    /** Generous upper bound for anything a test waits for (real time on a loaded 2-core machine, or virtual time). */
    Duration PATIENCE = Duration.ofSeconds(30);

    /** Test timing: heartbeats every 50 ms, suspicion after 500 ms of silence. The cluster chooses the address. */
    static RingConfig.Builder config(String name) {
        return RingConfig.builder(name)
                .address("127.0.0.1", 0)
                .heartbeatMs(50)
                .suspectMs(500)
                .probeTimeoutMs(250)
                .electionTimeoutMs(1500)
                .syncTimeoutMs(750)
                .leaveTimeoutMs(2000)
                .joinTimeoutMs(10_000);
    }

    /** An assertion to retry until it holds. */
    interface Assertion {
        void check() throws Throwable;
    }

    /** Starts a node and waits until it is admitted (or has started its ring). */
    TestNode start(RingConfig config);

    /** Starts a node that must not get in, and returns why it did not. */
    Throwable joinFailure(RingConfig config);

    /**
     * Starts these nodes at once and does not wait: some may not get in. Each one's
     * {@code node.joined()} tells, once done (wait for it with {@link #awaitUntil}).
     */
    List<TestNode> startAll(List<RingConfig> configs);

    default TestNode startLeader(String name) {
        return start(config(name).build());
    }

    default TestNode join(String name, TestNode via) {
        return start(config(name).joinVia(via.address()).build());
    }

    /** A ring of n0 … n(n-1), in order of seniority, each joining through the one before; waits until it is one ring. */
    default List<TestNode> ring(int n) {
        List<TestNode> ring = new ArrayList<>();
        ring.add(startLeader("n0"));
        for (int i = 1; i < n; i++) {
            ring.add(join("n" + i, ring.get(i - 1)));
        }
        awaitOneRing(ring);
        return ring;
    }

    /** Kills a node without a goodbye: its sockets close at once. */
    void crash(TestNode n);

    /** Stops the node's only thread: it neither reads, writes nor runs timers until {@link #resume}. */
    void pause(TestNode n);

    void resume(TestNode n);

    /** Leaves gracefully and waits until the node has stopped. */
    void leave(TestNode n);

    /** The node's user types a line. */
    default void send(TestNode n, String text) {
        n.node.send(text);
    }

    /**
     * {@code lines} lines {@code "<name> <i>"} from {@code sender}, {@code batch} at a time with
     * {@code pauseMs} between batches, so that the stream spreads over whatever happens meanwhile.
     * Completes when the last line was handed to the node.
     */
    CompletableFuture<Void> stream(TestNode sender, int lines, int batch, long pauseMs);

    /** Waits (running the simulation, in a simulated cluster) until {@code assertion} holds; fails after {@link #PATIENCE}. */
    void awaitUntil(Assertion assertion);

    default void awaitUntil(BooleanSupplier condition) {
        awaitUntil(() -> assertTrue(condition.getAsBoolean(), () -> "condition not met\n" + describe()));
    }

    /** Waits until the future completes; fails after {@link #PATIENCE}. */
    void await(CompletableFuture<?> future);

    List<TestNode> nodes();

    @Override
    void close();

    /**
     * Waits until exactly {@code live} form one ring: each one is a member with the same leader,
     * the same members (exactly {@code live}), and next/previous links that go once around.
     */
    default void awaitOneRing(List<TestNode> live) {
        awaitUntil(() -> assertOneRing(live));
    }

    default void assertOneRing(List<TestNode> live) {
        Set<NodeAddress> expected = live.stream().map(TestNode::address).collect(Collectors.toSet());
        RingView first = live.get(0).view();
        assertTrue(first.leader() != null, () -> "no leader\n" + describe());
        for (TestNode n : live) {
            RingView v = n.view();
            assertEquals(RingView.Status.MEMBER, v.status(), () -> n + " not a member\n" + describe());
            assertEquals(first.leader(), v.leader(), () -> "leaders differ\n" + describe());
            assertEquals(first.term(), v.term(), () -> "terms differ\n" + describe());
            Set<NodeAddress> members = v.members().stream().map(Member::address).collect(Collectors.toSet());
            assertEquals(expected, members, () -> n + " has other members\n" + describe());
        }
        // following next from any node visits every live node once and comes back
        Map<NodeAddress, TestNode> byAddress = new TreeMap<>();
        live.forEach(n -> byAddress.put(n.address(), n));
        Set<NodeAddress> visited = new HashSet<>();
        TestNode at = live.get(0);
        for (int i = 0; i < live.size(); i++) {
            assertTrue(visited.add(at.address()), () -> "next links loop early\n" + describe());
            RingView v = at.view();
            TestNode next = byAddress.get(v.next().address());
            assertTrue(next != null, () -> "next is not live\n" + describe());
            assertEquals(at.address(), next.view().previous().address(),
                    () -> "next/previous disagree\n" + describe());
            at = next;
        }
        assertEquals(live.get(0).address(), at.address(), () -> "next links do not close\n" + describe());
    }

    /** The most senior (lowest rank) of these nodes, by their own admitted rank. */
    static TestNode mostSenior(List<TestNode> nodes) {
        TestNode best = null;
        for (TestNode n : nodes) {
            if (best == null || n.view().self().rank() < best.view().self().rank()) {
                best = n;
            }
        }
        return best;
    }

    /**
     * No doubles, no gaps, and no disagreement: every node shows an unbroken run of the ring's
     * order (a later joiner's run starts later), and all runs end at the same message.
     */
    static void assertSameHistory(List<TestNode> survivors) {
        Map<Long, String> order = new TreeMap<>();
        Set<Long> ends = new HashSet<>();
        for (TestNode n : survivors) {
            List<ChatMessage> shown = n.chats.snapshot();
            for (int i = 0; i < shown.size(); i++) {
                ChatMessage m = shown.get(i);
                if (i > 0) {
                    long previous = shown.get(i - 1).seq();
                    assertEquals(previous + 1, m.seq(), () -> n + " shows #" + m.seq() + " right after #" + previous);
                }
                String before = order.putIfAbsent(m.seq(), m.line());
                if (before != null) {
                    assertEquals(before, m.line(), () -> "members disagree on message #" + m.seq());
                }
            }
            ends.add(shown.isEmpty() ? 0 : shown.get(shown.size() - 1).seq());
        }
        assertEquals(1, ends.size(), "survivors end at different messages: " + ends);
    }

    /** Every node's view, for assertion messages. */
    default String describe() {
        StringBuilder sb = new StringBuilder();
        for (TestNode n : nodes()) {
            RingView v = n.view();
            sb.append(String.format("  %-8s %-9s leader=%s term=%d next=%s prev=%s members=%s delivered=%d unconfirmed=%d%n",
                    n.name, v.status(), v.leader() == null ? "-" : v.leader().name(), v.term(),
                    v.next() == null ? "-" : v.next().name(), v.previous() == null ? "-" : v.previous().name(),
                    v.members().stream().map(Member::name).toList(), v.deliveredSeq(), v.unconfirmed()));
        }
        return sb.toString();
    }

    /** Total handler failures across nodes: tests assert there were none. */
    default long handlerFailures() {
        return nodes().stream().mapToLong(n -> n.node.handlerFailures()).sum();
    }
}
