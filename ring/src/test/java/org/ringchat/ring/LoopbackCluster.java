package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;

/**
 * Real nodes on 127.0.0.1 with ephemeral ports, with faults a test can inject: crash (sockets
 * close, no goodbye), pause (the node's only thread blocks: no I/O, no timers, like SIGSTOP) and
 * resume. Timeouts are shrunk so failures heal fast; {@link #close()} stops everything.
 */
public final class LoopbackCluster implements AutoCloseable {

    /** Generous upper bound for anything a test waits for on a loaded 2-core machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<TestNode> nodes = new CopyOnWriteArrayList<>();
    private final Map<TestNode, CountDownLatch> paused = new ConcurrentHashMap<>();

    /** A node under test and everything it delivered. */
    public static final class TestNode {
        public final String name;
        public final RingNode node;
        public final Recording<ChatMessage> chats = new Recording<>();
        public final Recording<RingEvent> events = new Recording<>();

        TestNode(String name, RingConfig config) {
            this.name = name;
            this.node = RingNode.start(config, new RingListener() {
                @Override
                public void onChat(ChatMessage message) {
                    chats.add(message);
                }

                @Override
                public void onEvent(RingEvent event) {
                    events.add(event);
                }
            });
        }

        public NodeAddress address() {
            return node.address();
        }

        public RingView view() {
            return node.view();
        }

        public List<String> texts() {
            return chats.stream().map(ChatMessage::text).toList();
        }

        public List<String> lines() {
            return chats.stream().map(m -> m.seq() + " " + m.line()).toList();
        }

        public boolean saw(RingEvent.Kind kind, String fragment) {
            return events.stream().anyMatch(e -> e.kind() == kind && e.text().contains(fragment));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What a node delivered, appended on the node's thread. Cheap to append (a node may deliver
     * tens of thousands of messages), read through copies.
     */
    public static final class Recording<T> {
        private final List<T> items = new ArrayList<>();

        synchronized void add(T item) {
            items.add(item);
        }

        public synchronized int size() {
            return items.size();
        }

        public synchronized T get(int index) {
            return items.get(index);
        }

        public synchronized List<T> snapshot() {
            return List.copyOf(items);
        }

        public java.util.stream.Stream<T> stream() {
            return snapshot().stream();
        }
    }

    /** Test timing: heartbeats every 50 ms, suspicion after 500 ms of silence. */
    public static RingConfig.Builder config(String name) {
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

    public TestNode startLeader(String name) {
        return started(new TestNode(name, config(name).build()));
    }

    public TestNode join(String name, TestNode via) {
        return started(new TestNode(name, config(name).joinVia(via.address()).build()));
    }

    /** A ring of n0 … n(n-1), in order of seniority, each joining through the one before; waits until it is one ring. */
    public List<TestNode> ring(int n) {
        List<TestNode> ring = new ArrayList<>();
        ring.add(startLeader("n0"));
        for (int i = 1; i < n; i++) {
            ring.add(join("n" + i, ring.get(i - 1)));
        }
        awaitOneRing(ring);
        return ring;
    }

    public TestNode start(RingConfig config) {
        return started(new TestNode(config.name(), config));
    }

    private TestNode started(TestNode n) {
        nodes.add(n);
        n.node.joined().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        return n;
    }

    public List<TestNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Kills a node without a goodbye: its sockets close at once. */
    public void crash(TestNode n) {
        n.node.crash().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Blocks the node's only thread: it neither reads, writes nor runs timers until {@link #resume}. */
    public void pause(TestNode n) {
        CountDownLatch latch = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        paused.put(n, latch);
        n.node.executor().execute(() -> {
            blocked.countDown();
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(blocked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), n + " did not pause");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public void resume(TestNode n) {
        CountDownLatch latch = paused.remove(n);
        if (latch != null) {
            latch.countDown();
        }
    }

    /**
     * Waits until exactly {@code live} form one ring: each one is a member with the same leader,
     * the same members (exactly {@code live}), and next/previous links that go once around.
     */
    public void awaitOneRing(List<TestNode> live) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertOneRing(live));
    }

    public void assertOneRing(List<TestNode> live) {
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
        Map<NodeAddress, TestNode> byAddress = new ConcurrentHashMap<>();
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
    public static TestNode mostSenior(List<TestNode> nodes) {
        TestNode best = null;
        for (TestNode n : nodes) {
            if (best == null || n.view().self().rank() < best.view().self().rank()) {
                best = n;
            }
        }
        return best;
    }

    /** Every node's view, for assertion messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (TestNode n : nodes) {
            RingView v = n.view();
            sb.append(String.format("  %-8s %-9s leader=%s term=%d next=%s prev=%s members=%s delivered=%d unconfirmed=%d%n",
                    n.name, v.status(), v.leader() == null ? "-" : v.leader().name(), v.term(),
                    v.next() == null ? "-" : v.next().name(), v.previous() == null ? "-" : v.previous().name(),
                    v.members().stream().map(Member::name).toList(), v.deliveredSeq(), v.unconfirmed()));
        }
        return sb.toString();
    }

    /** Total handler failures across nodes: tests assert there were none. */
    public long handlerFailures() {
        return nodes.stream().mapToLong(n -> n.node.handlerFailures()).sum();
    }

    @Override
    public void close() {
        paused.values().forEach(CountDownLatch::countDown);
        paused.clear();
        List<java.util.concurrent.CompletableFuture<Void>> stops = new ArrayList<>();
        for (TestNode n : nodes) {
            stops.add(n.node.crash());
        }
        for (var f : stops) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already stopped, or stuck: nothing more to do in a teardown
            }
        }
    }
}
