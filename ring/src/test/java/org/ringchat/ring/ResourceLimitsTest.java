package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.ring.transport.TransportLimits;

/**
 * Strangers and members that try to exhaust a node's resources, against a live ring: the node
 * closes what it must, keeps within its limits, removes no honest member, and chat goes on.
 * Each test prints its figures (heap, the longest pause in honest chat).
 */
@Timeout(180)
class ResourceLimitsTest {

    private final LoopbackCluster cluster = new LoopbackCluster();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // gone already
            }
        }
        cluster.close();
    }

    private static RingConfig.Builder config(String name, TransportLimits limits) {
        return Cluster.config(name).limits(limits);
    }

    /** A ring of three with these limits; n0 leads. */
    private List<TestNode> ring(TransportLimits limits) {
        TestNode a = cluster.start(config("n0", limits).build());
        TestNode b = cluster.start(config("n1", limits).joinVia(a.address()).build());
        TestNode c = cluster.start(config("n2", limits).joinVia(a.address()).build());
        List<TestNode> all = List.of(a, b, c);
        cluster.awaitOneRing(all);
        return all;
    }

    @Test
    void aThousandIdleConnectionsAreClosedAndChatGoesOn() throws Exception {
        TransportLimits limits = new TransportLimits(1000, 256, 4, TransportLimits.DEFAULT_MAX_PENDING_WRITE_BYTES,
                TransportLimits.DEFAULT_MAX_UNFINISHED_FRAME_BYTES);
        List<TestNode> ring = ring(limits);
        try (Chatter chat = new Chatter(ring)) {
            // a thousand strangers connect to the leader and say nothing
            for (int i = 0; i < 1000; i++) {
                Socket s = new Socket("127.0.0.1", ring.get(0).address().port());
                s.setSoTimeout(30_000);
                sockets.add(s);
            }
            // each is closed: at once beyond the limit, at the handshake deadline otherwise
            for (Socket s : sockets) {
                assertEquals(-1, s.getInputStream().read(), "the node closes an idle stranger");
            }
            chat.assertFlowing("after a thousand idle connections");
        }
    }

    @Test
    void halfSentMaximumFramesAreBoundedAndChatGoesOn() throws Exception {
        TransportLimits limits = new TransportLimits(30_000, 1024, 4, TransportLimits.DEFAULT_MAX_PENDING_WRITE_BYTES,
                8L << 20);
        List<TestNode> ring = ring(limits);
        System.gc();
        long before = usedHeap();
        try (Chatter chat = new Chatter(ring)) {
            // three hundred strangers each start a maximum frame, send most of it, and stall
            byte[] chunk = new byte[900 * 1024];
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("127.0.0.1", ring.get(0).address().port());
                s.setSoTimeout(30_000);
                sockets.add(s);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(ring.get(0).node.config().maxFrameBytes());
                try {
                    out.write(chunk);
                    out.flush();
                } catch (IOException e) {
                    // the node already closed this one: over the budget
                }
            }
            // the node holds at most its budget of unfinished frames: the rest were closed
            int closed = 0;
            for (Socket s : sockets) {
                s.setSoTimeout(100);
                try {
                    if (s.getInputStream().read() == -1) {
                        closed++;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // held within the budget
                } catch (IOException reset) {
                    closed++;
                }
            }
            assertTrue(closed >= 300 - (int) (limits.maxUnfinishedFrameBytes() / chunk.length) - 1,
                    "only what fits the budget stays open: " + closed + " of 300 closed");
            System.gc();
            long grown = usedHeap() - before;
            System.out.printf(Locale.ROOT, "half-sent frames: %d of 300 connections closed, heap grew by %.1f MB%n",
                    closed, grown / 1e6);
            assertTrue(grown < 64L << 20, "heap grew by " + grown / (1 << 20) + " MiB");
            chat.assertFlowing("after hundreds of half-sent frames");
        }
    }

    @Test
    void aMemberThatNeverReadsIsDroppedNotBufferedForever() {
        TransportLimits limits = new TransportLimits(TransportLimits.DEFAULT_HANDSHAKE_TIMEOUT_MS, 1024, 4, 1L << 20,
                TransportLimits.DEFAULT_MAX_UNFINISHED_FRAME_BYTES);
        List<TestNode> ring = ring(limits);
        TestNode sleeper = ring.get(2);
        // n2 stops reading (its thread stops: the kernel buffers fill, then the leader's queue)
        cluster.pause(sleeper);
        List<TestNode> honest = ring.subList(0, 2);
        try (Chatter chat = new Chatter(honest)) {
            // n1 floods meanwhile
            for (int i = 0; i < 20_000; i++) {
                ring.get(1).node.send("flood " + i + " " + "x".repeat(100));
            }
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> honest.forEach(n ->
                    assertTrue(n.texts().contains("flood 19999 " + "x".repeat(100)), n::toString)));
            chat.assertFlowing("while a member never reads");
            cluster.awaitOneRing(honest);
        } finally {
            cluster.resume(sleeper);
        }
        // the honest members never took each other for dead
        for (TestNode n : honest) {
            assertTrue(n.events.stream().noneMatch(e -> e.kind() == RingEvent.Kind.REMOVED), n::toString);
        }
    }

    /**
     * A member (a hand-written one, that answers heartbeats and pings) submits chat lines to the
     * leader as fast as its socket takes them, with no regard for its send window, while honest
     * members chat: the leader reads them all and stays responsive. Nobody honest is removed or
     * takes the leader for hung, and honest chat goes on.
     */
    @Test
    void aMemberFloodingTheLeaderDoesNotMakeItLookHung() throws Exception {
        List<TestNode> ring = ring(TransportLimits.DEFAULTS);
        TestNode leader = ring.get(0);
        int lines = 30_000;
        String padding = "y".repeat(200);
        try (Stranger mallory = new Stranger(true); Chatter chat = new Chatter(ring)) {
            // it floods on the connection it joined on (closing that one would be its crash)
            try (Socket socket = mallory.connect(leader.address(), "mallory")) {
                Stranger.write(socket, new Envelope(mallory.address(), 1,
                        new Message.JoinRequest("mallory", mallory.address(), -1)));
                cluster.awaitUntil(() -> assertTrue(leader.view().members().stream()
                        .anyMatch(m -> m.address().equals(mallory.address())), "mallory admitted"));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                long start = System.nanoTime();
                for (int i = 1; i <= lines; i++) {
                    Stranger.write(out, new Envelope(mallory.address(), 2, new Message.ChatSubmit(i, "flood " + i + " " + padding)));
                }
                // a ping behind the flood: its Pong says the leader has handled every line of it
                Stranger.write(out, new Envelope(mallory.address(), 3, new Message.Ping(31337)));
                await().atMost(Duration.ofSeconds(120)).until(() -> mallory.received.stream().anyMatch(e ->
                        e.message() instanceof Message.Pong p && p.nonce() == 31337));
                long shown = ring.get(1).texts().stream().filter(t -> t.startsWith("flood ")).count();
                // (its lines beyond its send window may be dropped: an honest node never has more in flight)
                System.out.printf(Locale.ROOT, "member flood: %d lines of %d bytes read by the leader in %d ms, %d of them shown at n1 by then%n",
                        lines, padding.length() + 12, (System.nanoTime() - start) / 1_000_000, shown);
                chat.assertFlowing("while a member floods the leader");
            }
        }
        for (TestNode n : ring) {
            assertTrue(n.events.stream().noneMatch(e -> e.kind() == RingEvent.Kind.REMOVED
                    || e.kind() == RingEvent.Kind.ELECTION_STARTED
                    || e.kind() == RingEvent.Kind.REPAIRED && e.text().matches("n\\d.*")), n + " was moved by a member's flood");
        }
        assertEquals("n0", ring.get(1).view().leader().name());
    }

    /**
     * Twenty strangers, each under its own proven address, ask the leader to join five hundred
     * times, as fast as it answers: one request per connection, the host's burst admitted or
     * refused by name, the rest refused at once for the rate. Nobody honest is removed, the
     * phantoms admitted are removed when they do not answer, and chat goes on.
     */
    @Test
    void aJoinFloodIsRefusedCheaplyAndChatGoesOn() throws Exception {
        List<TestNode> ring = ring(TransportLimits.DEFAULTS);
        TestNode leader = ring.get(0);
        List<Stranger> strangers = new ArrayList<>();
        AtomicInteger asked = new AtomicInteger();
        try (Chatter chat = new Chatter(ring)) {
            List<Thread> flooders = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Stranger s = new Stranger();
                strangers.add(s);
                int who = i;
                Thread t = new Thread(() -> flood(s, leader, who, 25, asked), "flooder-" + i);
                flooders.add(t);
                t.start();
            }
            for (Thread t : flooders) {
                t.join(120_000);
            }
            long refusedForRate = strangers.stream().flatMap(s -> s.received.stream())
                    .filter(e -> e.message() instanceof Message.JoinRejected r
                            && r.reason().startsWith("too many join requests")).count();
            System.out.printf(Locale.ROOT, "join flood: %d requests asked, %d refused for the rate%n", asked.get(), refusedForRate);
            assertTrue(asked.get() >= 400, "the flood got through: " + asked.get());
            assertTrue(refusedForRate >= asked.get() - JoinHandling.JOIN_BURST_PER_HOST - 200,
                    "beyond the burst, the rate refuses: " + refusedForRate + " of " + asked.get());
            chat.assertFlowing("after a join flood");
        } finally {
            strangers.forEach(Stranger::close);
        }
        cluster.awaitOneRing(ring); // the phantoms are gone
        for (TestNode n : ring) {
            assertTrue(n.events.stream().noneMatch(e -> e.kind() == RingEvent.Kind.REMOVED
                    || e.kind() == RingEvent.Kind.ELECTION_STARTED), n + " was moved by a join flood");
        }
    }

    /** One stranger's share of the flood: a request per connection, each waiting for its answer. */
    private static void flood(Stranger s, TestNode leader, int who, int times, AtomicInteger asked) {
        for (int i = 0; i < times; i++) {
            int answers = answers(s);
            try (Socket socket = s.connect(leader.address(), "phantom" + who)) {
                Stranger.write(socket, new Envelope(s.address(), 1,
                        new Message.JoinRequest("phantom" + who + "x" + i, s.address(), -1)));
                asked.incrementAndGet();
                long until = System.nanoTime() + 10_000_000_000L;
                while (answers(s) == answers && System.nanoTime() < until) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
                }
            } catch (IOException closed) {
                // the node may hang up on us
            }
        }
    }

    private static int answers(Stranger s) {
        return (int) s.received.stream().filter(e -> e.message() instanceof Message.JoinRejected
                || e.message() instanceof Message.JoinAccepted).count();
    }

    /**
     * A stranger, and then a member, ask ring members to probe and ping a victim outside the
     * ring, many times: no member opens a single connection to it.
     */
    @Test
    void probesAndPingsAreNeverReflectedAtAnOutsider() throws Exception {
        List<TestNode> ring = ring(TransportLimits.DEFAULTS);
        try (java.net.ServerSocket victim = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                Stranger mallory = new Stranger();
                Chatter chat = new Chatter(ring)) {
            NodeAddress target = new NodeAddress("127.0.0.1", victim.getLocalPort());
            AtomicInteger reached = new AtomicInteger();
            Thread counter = new Thread(() -> {
                while (!victim.isClosed()) {
                    try (Socket in = victim.accept()) {
                        reached.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "victim");
            counter.setDaemon(true);
            counter.start();
            for (String as : List.of("stranger", "member")) {
                if (as.equals("member")) {
                    try (Socket socket = mallory.connect(ring.get(0).address(), "mallory")) {
                        Stranger.write(socket, new Envelope(mallory.address(), 1,
                                new Message.JoinRequest("mallory", mallory.address(), -1)));
                        cluster.awaitUntil(() -> ring.get(0).view().members().stream()
                                .anyMatch(m -> m.address().equals(mallory.address())));
                    }
                }
                for (TestNode n : ring) {
                    try (Socket socket = mallory.connect(n.address(), "mallory")) {
                        for (int i = 0; i < 200; i++) {
                            Stranger.write(socket, new Envelope(mallory.address(), 1,
                                    new Message.Probe(target, i)));
                            Stranger.write(socket, new Envelope(mallory.address(), 1,
                                    new Message.Suspect(target, true)));
                        }
                        // a ping behind them: its Pong says the node has handled them all
                        Stranger.write(socket, new Envelope(mallory.address(), 1,
                                new Message.Ping(424242)));
                        cluster.awaitUntil(() -> mallory.received.stream().anyMatch(e ->
                                e.message() instanceof Message.Pong p && p.nonce() == 424242
                                        && e.from().equals(n.address())));
                        mallory.received.removeIf(e -> e.message() instanceof Message.Pong);
                    }
                }
            }
            assertEquals(0, reached.get(), "a node connected to the outsider it was asked to probe");
            chat.assertFlowing("after probe reflection attempts");
        }
        cluster.awaitOneRing(ring);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Honest chat in the background: a line every 20 ms from the first node, and the longest gap between deliveries. */
    private final class Chatter implements AutoCloseable {
        private final List<TestNode> ring;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private int sent;
        /** The longest time, in ms, the honest lines shown by the second member did not grow. */
        private volatile long longestPauseMs;

        Chatter(List<TestNode> ring) {
            this.ring = ring;
            this.thread = new Thread(() -> {
                long lastGrowth = System.nanoTime();
                long lastCount = 0;
                while (running.get()) {
                    ring.get(0).node.send("honest " + sent++);
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                    long count = ring.get(1).chats.size();
                    long now = System.nanoTime();
                    if (count > lastCount) {
                        lastCount = count;
                        lastGrowth = now;
                    } else {
                        longestPauseMs = Math.max(longestPauseMs, (now - lastGrowth) / 1_000_000);
                    }
                }
            }, "honest-chat");
            thread.start();
        }

        /** Every honest line reached every honest member; prints the longest pause. */
        void assertFlowing(String when) {
            String probe = "probe " + when;
            ring.get(ring.size() - 1).node.send(probe);
            await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> ring.forEach(n ->
                    assertTrue(n.texts().contains(probe), () -> n + " lacks the probe " + when + "\n" + cluster.describe())));
            System.out.printf(Locale.ROOT, "%s: %d lines delivered at %s, longest pause in honest chat %d ms, heap %.0f MB%n",
                    when, ring.get(1).chats.size(), ring.get(1), longestPauseMs, usedHeap() / 1e6);
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
