package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingListener;
import org.ringchat.ring.RingNode;
import org.ringchat.ring.TestNode;

/**
 * Scenario tests' nodes on the simulated network, in virtual time: the test's thread drives the
 * simulation, which advances only while the test waits ({@link #awaitUntil}, {@link #await}),
 * so a wait costs no real time and a run is a function of the seed. Each node gets its own
 * loopback-range address; {@link Cluster#PATIENCE} is virtual time here.
 *
 * <p>The test's thread plays the console: {@code RingNode.send} from it queues the line for the
 * node. That call blocks once {@code RingNode.MAX_WAITING_LINES} lines wait, and nothing would
 * drain them while the test's thread is blocked: send more through {@link #stream}.
 */
public final class SimCluster implements Cluster {

    /** How often a wait looks at its condition, in virtual time (as the socket tests poll). */
    private static final long POLL_US = 20_000;

    /** A node and its simulated thread and transport. */
    private record Handle(TestNode node, SimExecutor executor) {
    }

    private final long seed;
    private final SimScheduler scheduler = new SimScheduler();
    /**
     * Off unless {@code -Dsim.clusterTrace=true}: then every frame is traced, and {@link #close}
     * writes the story to {@code target/sim/cluster-SEED.trace} (a test that fails on a
     * simulated cluster is read like a failing seed).
     */
    private final Trace trace = new Trace(Boolean.getBoolean("sim.clusterTrace"), scheduler);
    private final SimNetwork network;
    private final List<Handle> handles = new ArrayList<>();
    private int started;

    public SimCluster(long seed) {
        this.seed = seed;
        this.network = new SimNetwork(scheduler, new SplittableRandom(seed), trace);
    }

    @Override
    public TestNode start(RingConfig config) {
        TestNode n = launch(config);
        await(n.node.joined());
        return n;
    }

    /** All at the same virtual instant. */
    @Override
    public List<TestNode> startAll(List<RingConfig> configs) {
        return configs.stream().map(this::launch).toList();
    }

    private TestNode launch(RingConfig config) {
        int index = started;
        TestNode n = new TestNode(config.name(), listener -> startNode(config, listener));
        handles.set(index, new Handle(n, handles.get(index).executor()));
        return n;
    }

    private RingNode startNode(RingConfig config, RingListener listener) {
        int index = started++;
        RingConfig placed = config.toBuilder().address(Simulation.addressOf(index)).build();
        SimExecutor executor = new SimExecutor(index, config.name(), scheduler);
        SimTransport transport = new SimTransport(network, executor, trace, placed.address(), placed.connectTimeoutMs());
        RingNode node = RingNode.start(placed, listener, transport, executor);
        handles.add(new Handle(null, executor));
        return node;
    }

    @Override
    public Throwable joinFailure(RingConfig config) {
        RingNode node = startNode(config, RingListener.NONE);
        runUntil(() -> node.joined().isDone(), "the refused join to end");
        try {
            node.joined().join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError(config.name() + " was admitted");
    }

    @Override
    public List<TestNode> nodes() {
        List<TestNode> out = new ArrayList<>();
        for (Handle h : handles) {
            if (h.node() != null) {
                out.add(h.node());
            }
        }
        return out;
    }

    private SimExecutor executor(TestNode n) {
        return handles.get(index(n)).executor();
    }

    private int index(TestNode n) {
        for (int i = 0; i < handles.size(); i++) {
            if (handles.get(i).node() == n) {
                return i;
            }
        }
        throw new IllegalArgumentException(n + " is not in this cluster");
    }

    /** Told of every frame any node writes, as it is written, and of the node it is written to. */
    void watchWrites(java.util.function.BiConsumer<org.ringchat.protocol.Envelope, org.ringchat.protocol.NodeAddress> watcher) {
        network.watchWrites(watcher);
    }

    @Override
    public void crash(TestNode n) {
        executor(n).crash();
        network.crash(n.address());
    }

    @Override
    public void pause(TestNode n) {
        executor(n).pause();
    }

    @Override
    public void resume(TestNode n) {
        executor(n).resumeAll();
    }

    @Override
    public void leave(TestNode n) {
        await(n.node.leave());
    }

    /** A chain of driver tasks in virtual time types the lines. */
    @Override
    public CompletableFuture<Void> stream(TestNode sender, int lines, int batch, long pauseMs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        typeFrom(sender, 0, lines, batch, pauseMs, done);
        return done;
    }

    private void typeFrom(TestNode sender, int first, int lines, int batch, long pauseMs, CompletableFuture<Void> done) {
        int end = Math.min(lines, first + batch);
        for (int i = first; i < end; i++) {
            // from a driver task, as from a console thread: RingNode.send hands the line to the node
            sender.node.send(sender.name + " " + i);
        }
        if (end == lines) {
            done.complete(null);
        } else {
            scheduler.after(pauseMs * 1000, null, () -> typeFrom(sender, end, lines, batch, pauseMs, done));
        }
    }

    /** The network splits: each node reaches only the nodes of its own group. */
    public void partition(List<List<TestNode>> groups) {
        for (int g = 0; g < groups.size(); g++) {
            for (TestNode n : groups.get(g)) {
                network.group(n.address(), g);
            }
        }
    }

    /**
     * Frames from {@code from} to {@code to} wait, as behind a stream that TCP backs off, until
     * {@link #healCut}; connects that way time out. The other way is untouched.
     */
    public void cut(TestNode from, TestNode to) {
        network.cut(from.address(), to.address());
    }

    /** The cut {@link #cut} made heals; what it held arrives, in order. */
    public void healCut(TestNode from, TestNode to) {
        network.heal(from.address(), to.address());
    }

    /** Every frame of {@code type} (a message's simple class name) is lost, until {@link #stopDropping}. */
    public void drop(String type) {
        network.messageFaults().drop(type, 1.0);
    }

    public void stopDropping(String type) {
        network.messageFaults().stopDropping(type);
    }

    /** Every frame of {@code type} (a message's simple class name) takes {@code ms} longer on every path. */
    public void delay(String type, long ms) {
        network.messageFaults().delay(type, ms);
    }

    /** Takes back {@code ms} of a {@link #delay} of {@code type}. */
    public void stopDelaying(String type, long ms) {
        network.messageFaults().stopDelaying(type, ms);
    }

    /** The partition heals. */
    public void heal() {
        network.healPartition();
    }

    /** A node joining later lands in the group of the node it joins through. */
    public void placeWith(int index, TestNode via) {
        Integer group = network.groupOf(via.address());
        if (group != null) {
            network.group(Simulation.addressOf(index), group);
        }
    }

    /** The virtual time, in ms since the simulation began. */
    long nowMs() {
        return scheduler.nowUs() / 1000;
    }

    /** How many nodes were started so far (the next one's index). */
    public int started() {
        return started;
    }

    /** Lets {@code ms} of virtual time pass, everything running as it would. */
    public void runFor(long ms) {
        long until = nowMs() + ms;
        runUntil(() -> nowMs() >= until, ms + " ms of virtual time");
    }

    @Override
    public void awaitUntil(Assertion assertion) {
        long deadline = scheduler.nowUs() + PATIENCE.toMillis() * 1000;
        while (true) {
            try {
                assertion.check();
                return;
            } catch (AssertionError e) {
                if (scheduler.nowUs() >= deadline) {
                    throw new AssertionError("seed " + seed + ", after " + PATIENCE.toSeconds() + " s of virtual time: "
                            + e.getMessage(), e);
                }
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            step();
        }
    }

    @Override
    public void await(CompletableFuture<?> future) {
        runUntil(future::isDone, "a future");
        future.join();
    }

    private void runUntil(java.util.function.BooleanSupplier done, String what) {
        long deadline = scheduler.nowUs() + PATIENCE.toMillis() * 1000;
        while (!done.getAsBoolean()) {
            if (scheduler.nowUs() >= deadline) {
                throw new AssertionError("seed " + seed + ": waited " + PATIENCE.toSeconds() + " s of virtual time for "
                        + what + "\n" + describe());
            }
            step();
        }
    }

    /** Runs one poll interval of virtual time; a task that escaped the node's guards fails the test. */
    private void step() {
        scheduler.runUntil(scheduler.nowUs() + POLL_US, () -> scheduler.escaped() != null || scheduler.spinning() != null);
        if (scheduler.escaped() != null) {
            throw new AssertionError("a simulated task threw", scheduler.escaped());
        }
        if (scheduler.spinning() != null) {
            throw new AssertionError(scheduler.spinning() + " ran " + SimScheduler.SPIN_LIMIT
                    + " steps without time passing (a busy loop)\n" + describe());
        }
    }

    @Override
    public void close() {
        // nothing runs unless a test waits: dropping the cluster stops it
        if (trace.on()) {
            try {
                trace.write(java.nio.file.Path.of("target", "sim", "cluster-" + seed + ".trace"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
