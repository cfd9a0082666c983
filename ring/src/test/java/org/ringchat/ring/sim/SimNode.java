package org.ringchat.ring.sim;

import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingNode;
import org.ringchat.ring.RingView;

/**
 * One real {@link RingNode} under simulation: its thread, its transport, what it delivered, and
 * where it is in its life as the simulation sees it.
 */
final class SimNode {

    enum Life {
        /** Started, asking to be admitted for the first time. */
        STARTING,
        /** Admitted at least once and still running (it may be rejoining after a removal). */
        LIVE,
        /** Asked to leave; not stopped yet. */
        LEAVING,
        LEFT,
        CRASHED,
        /** Could not join, or could not rejoin after a removal. */
        GAVE_UP
    }

    final int index;
    final String name;
    final NodeAddress address;
    final SimExecutor executor;
    final SimTransport transport;
    final NodeLog log;
    final RingNode ring;
    /** Every address this node heard of: whom it could ever reach. */
    final HeardOf heardOf;
    private final Trace trace;
    private Life life = Life.STARTING;
    private int lines;

    SimNode(int index, String name, NodeAddress address, NodeAddress joinVia, Sim sim) {
        this.index = index;
        this.name = name;
        this.address = address;
        this.trace = sim.trace();
        trace.name(address, name);
        this.executor = new SimExecutor(index, name, sim.scheduler());
        RingConfig config = RingConfig.builder(name).address(address).joinVia(joinVia).build();
        this.transport = new SimTransport(sim.network(), executor, trace, address, config.connectTimeoutMs());
        this.heardOf = new HeardOf(address, joinVia);
        transport.tapReads(heardOf::read);
        this.log = new NodeLog(this, sim.invariants(), trace);
        this.ring = RingNode.start(config, log, transport, executor);
        ring.joined().whenComplete((v, error) -> {
            if (life == Life.STARTING) {
                life = error == null ? Life.LIVE : Life.GAVE_UP;
            }
        });
        ring.stopped().whenComplete((v, error) -> {
            if (life == Life.LEAVING) {
                life = Life.LEFT;
            } else if (life != Life.CRASHED && life != Life.LEFT) {
                life = Life.GAVE_UP;
            }
            trace.log(name + " stopped: " + life);
        });
    }

    /** What the simulation needs from its owner to build a node. */
    interface Sim {
        SimScheduler scheduler();

        SimNetwork network();

        Trace trace();

        Invariants invariants();
    }

    Life life() {
        return life;
    }

    /** Running and meant to be in the ring: the nodes recovery waits for. */
    boolean live() {
        return life == Life.STARTING || life == Life.LIVE;
    }

    RingView view() {
        return ring.view();
    }

    /** The user types a line; it reaches the node as a task of its own, so send never blocks. */
    String send() {
        String line = name + "#" + (++lines);
        executor.execute(() -> {
            if (trace.on()) {
                trace.log(name + " send " + line);
            }
            ring.send(line);
        });
        return line;
    }

    void leave() {
        life = Life.LEAVING;
        ring.leave();
    }

    void crashed() {
        life = Life.CRASHED;
    }

    @Override
    public String toString() {
        return name;
    }
}
