package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
            byte[] hello = ("{\"from\":\"127.0.0.1:1\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":"
                    + ProtocolVersion.CURRENT + ",\"name\":\"mallory\"}}").getBytes(StandardCharsets.UTF_8);
            byte[] chunk = new byte[900 * 1024];
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket("127.0.0.1", ring.get(0).address().port());
                s.setSoTimeout(30_000);
                sockets.add(s);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(hello.length);
                out.write(hello);
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
