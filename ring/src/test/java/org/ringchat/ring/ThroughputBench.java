package org.ringchat.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.ringchat.protocol.NodeAddress;

/**
 * Throughput and latency of ordered chat, all nodes in this JVM on 127.0.0.1 (a benchmark, not a
 * test). Every member but the leader sends; a message counts once every node has delivered it.
 *
 * <pre>
 * java ... org.ringchat.ring.ThroughputBench [nodes=5] [messages=200000] [paced=2000]
 * </pre>
 */
public final class ThroughputBench {

    private ThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = arg(args, "nodes", 5);
        int messages = arg(args, "messages", 200_000);
        int paced = arg(args, "paced", 2000);
        List<RingNode> ring = new ArrayList<>();
        Counter counter = new Counter();
        try {
            ring.add(RingNode.start(RingConfig.builder("n0").address("127.0.0.1", 0).build(), counter));
            ring.get(0).joined().get(30, TimeUnit.SECONDS);
            for (int i = 1; i < nodes; i++) {
                NodeAddress via = ring.get(i - 1).address();
                RingNode n = RingNode.start(RingConfig.builder("n" + i).address("127.0.0.1", 0).joinVia(via).build(), counter);
                n.joined().get(30, TimeUnit.SECONDS);
                ring.add(n);
            }
            List<RingNode> senders = nodes == 1 ? ring : ring.subList(1, nodes);

            // warm-up, then the burst: every sender queues its share as fast as it can
            run(counter, senders, 20_000, nodes, false);
            double seconds = run(counter, senders, messages, nodes, false);
            System.out.printf(Locale.ROOT, "throughput: %d nodes, %d senders, %d messages delivered at every node in %.2f s = %,.0f msg/s%n",
                    nodes, senders.size(), messages, seconds, messages / seconds);

            // latency: one message per millisecond, from send to delivered at every node
            long[] latencies = counter.latencies(senders, paced, nodes);
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "latency (1 msg/ms, %d messages): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", paced,
                    latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6,
                    latencies[latencies.length - 1] / 1e6);
        } finally {
            for (RingNode n : ring) {
                n.crash();
            }
        }
    }

    private static double run(Counter counter, List<RingNode> senders, int messages, int nodes, boolean unused) throws InterruptedException {
        CountDownLatch done = counter.expect((long) messages * nodes);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            senders.get(i % senders.size()).send("m" + i);
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("not every message was delivered");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static int arg(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 1));
            }
        }
        return fallback;
    }

    /** Counts deliveries at every node; for paced messages, records when the last node got each. */
    private static final class Counter implements RingListener {
        private volatile CountDownLatch latch = new CountDownLatch(0);
        private final ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Long> latency = new ConcurrentHashMap<>();
        private volatile int nodes;

        CountDownLatch expect(long deliveries) {
            latch = new CountDownLatch((int) Math.min(Integer.MAX_VALUE, deliveries));
            return latch;
        }

        long[] latencies(List<RingNode> senders, int count, int nodes) throws InterruptedException {
            this.nodes = nodes;
            CountDownLatch done = expect((long) count * nodes);
            for (int i = 0; i < count; i++) {
                String text = "p" + i;
                sentAt.put(text, System.nanoTime());
                senders.get(i % senders.size()).send(text);
                LockSupport.parkNanos(1_000_000);
            }
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("not every paced message was delivered");
            }
            return latency.values().stream().mapToLong(Long::longValue).toArray();
        }

        @Override
        public void onChat(ChatMessage message) {
            Long start = sentAt.get(message.text());
            if (start != null && seen.computeIfAbsent(message.text(), t -> new AtomicInteger()).incrementAndGet() == nodes) {
                latency.put(message.text(), System.nanoTime() - start);
            }
            latch.countDown();
        }

        @Override
        public void onEvent(RingEvent event) {
        }
    }
}
