package org.ringchat.ring;

import org.awaitility.Awaitility;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Real nodes on 127.0.0.1 with ephemeral ports, in real time, with faults a test can inject:
 * crash (sockets close, no goodbye), pause (the node's only thread blocks: no I/O, no timers,
 * like SIGSTOP) and resume. Timeouts are shrunk so failures heal fast; {@link #close()} stops
 * everything.
 */
public final class LoopbackCluster implements Cluster {

    /** Kept for the tests that only run on sockets. */
    public static final Duration PATIENCE = Cluster.PATIENCE;

    private final List<TestNode> nodes = new CopyOnWriteArrayList<>();
    private final Map<TestNode, CountDownLatch> paused = new ConcurrentHashMap<>();

    public static RingConfig.Builder config(String name) {
        return Cluster.config(name);
    }

    @Override
    public TestNode start(RingConfig config) {
        TestNode n = launch(config);
        n.node.joined().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        return n;
    }

    @Override
    public List<TestNode> startAll(List<RingConfig> configs) {
        return configs.stream().map(this::launch).toList();
    }

    private TestNode launch(RingConfig config) {
        TestNode n = new TestNode(config.name(), listener -> RingNode.start(config, listener));
        nodes.add(n);
        return n;
    }

    @Override
    public Throwable joinFailure(RingConfig config) {
        RingNode node = RingNode.start(config, RingListener.NONE);
        CompletionException error = assertThrows(CompletionException.class,
                () -> node.joined().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
        return error.getCause();
    }

    @Override
    public List<TestNode> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public void crash(TestNode n) {
        n.node.crash().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
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

    @Override
    public void resume(TestNode n) {
        CountDownLatch latch = paused.remove(n);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public void leave(TestNode n) {
        n.node.leave().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** A background thread types the lines, parking between batches. */
    @Override
    public CompletableFuture<Void> stream(TestNode sender, int lines, int batch, long pauseMs) {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < lines; i++) {
                sender.node.send(sender.name + " " + i);
                if (i % batch == batch - 1) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
                }
            }
        });
    }

    @Override
    public void awaitUntil(Assertion assertion) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion::check);
    }

    @Override
    public void await(CompletableFuture<?> future) {
        future.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The most senior (lowest rank) of these nodes, by their own admitted rank. */
    public static TestNode mostSenior(List<TestNode> nodes) {
        return Cluster.mostSenior(nodes);
    }

    @Override
    public void close() {
        paused.values().forEach(CountDownLatch::countDown);
        paused.clear();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
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
