package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.ringchat.protocol.NodeAddress;

/**
 * One seeded run: real nodes on the simulated network, in virtual time, on the caller's thread.
 * It forms a ring, then chats through a fault phase drawn from the seed, then ends every fault
 * and waits for the ring to heal (invariant 6), checking the other invariants all along. The
 * run is a function of its seed: nothing here reads a wall clock or a shared random generator.
 */
public final class Simulation implements SimNode.Sim {

    static final long FORMATION_LIMIT_MS = 30_000;
    static final long RECOVERY_LIMIT_MS = 60_000;
    private static final long POLL_MS = 50;

    private final FaultPlan plan;
    private final SimScheduler scheduler = new SimScheduler();
    private final Trace trace;
    private final SimNetwork network;
    private final Invariants invariants;
    private final SplittableRandom random;
    private final FaultInjector faults;
    private final List<SimNode> nodes = new ArrayList<>();
    private long faultPhaseStartUs;
    private boolean chatting;

    Simulation(long seed, boolean traced, FaultPlan.Options options) {
        SplittableRandom root = new SplittableRandom(seed);
        this.plan = FaultPlan.generate(seed, root.split(), options);
        this.trace = new Trace(traced, scheduler);
        this.network = new SimNetwork(scheduler, root.split(), trace);
        this.random = root.split();
        this.invariants = new Invariants(trace, this::separated, this::split);
        this.faults = new FaultInjector(this, root.split());
        scheduler.observe(owner -> invariants.afterStep(nodes.get(owner.index)));
        network.watchOrderings(invariants::ordered);
    }

    /** Runs {@code seed} with every fault kind. */
    public static SimResult run(long seed, boolean traced) {
        return new Simulation(seed, traced, FaultPlan.Options.ALL).run();
    }

    static SimResult run(long seed, boolean traced, FaultPlan.Options options) {
        return new Simulation(seed, traced, options).run();
    }

    SimResult run() {
        trace.log("plan: " + plan);
        if (form()) {
            faultPhase();
            if (!stop()) {
                recover(); // split schedules too: the pieces must merge back into one ring
            }
        }
        if (scheduler.escaped() != null) {
            invariants.fail("simulator", "a task threw " + scheduler.escaped());
        }
        if (scheduler.spinning() != null) {
            invariants.fail("liveness", scheduler.spinning() + " ran " + SimScheduler.SPIN_LIMIT
                    + " steps without time passing (a busy loop)\n" + views());
        }
        int deliveries = nodes.stream().mapToInt(n -> n.log.chats().size()).sum();
        return new SimResult(plan.seed(), plan, invariants.violation(), faults.schedule(), scheduler.nowUs() / 1000,
                scheduler.steps(), network.framesDelivered(), deliveries, trace.on() ? trace : null);
    }

    // ---- phases -----------------------------------------------------------------------------

    /** n0 starts a ring; the others join one by one through a random member. */
    private boolean form() {
        startNode(null);
        long t = 0;
        for (int i = 1; i < plan.nodes(); i++) {
            t += 20 + random.nextLong(281);
            scheduler.at(t * 1000, null, () -> startNode(contact()));
        }
        boolean formed = await(t * 1000 + FORMATION_LIMIT_MS * 1000,
                () -> nodes.size() == plan.nodes() && RingShape.problem(live()) == null);
        if (!formed && !stop()) {
            invariants.fail("formation", "no ring of " + plan.nodes() + " after " + FORMATION_LIMIT_MS / 1000 + " s: "
                    + RingShape.problem(live()) + "\n" + views());
        }
        for (SimNode n : nodes) {
            if (n.life() == SimNode.Life.GAVE_UP) {
                invariants.fail("formation", n + " could not join a healthy ring");
            }
        }
        return !stop();
    }

    private void faultPhase() {
        faultPhaseStartUs = scheduler.nowUs();
        trace.log("fault phase starts");
        chatting = true;
        for (int i = 0; i < plan.senders().size(); i++) {
            SimNode sender = nodes.get(plan.senders().get(i));
            long period = plan.periodsMs().get(i);
            scheduler.after(random.nextLong(period + 1) * 1000, null, () -> chat(sender, period));
        }
        for (FaultPlan.Planned p : plan.faults()) {
            scheduler.at(faultPhaseStartUs + p.atMs() * 1000, null, () -> faults.strike(p.fault()));
        }
        scheduler.runUntil(faultPhaseStartUs + plan.phaseMs() * 1000, this::stop);
        chatting = false;
    }

    /** A sender's next line, and the one after it some time later, while the fault phase lasts. */
    private void chat(SimNode sender, long periodMs) {
        if (!chatting || !sender.live()) {
            return;
        }
        sender.send();
        scheduler.after((periodMs / 2 + random.nextLong(periodMs + 1)) * 1000, null, () -> chat(sender, periodMs));
    }

    /**
     * Invariant 6: with every fault over, one ring of exactly the live nodes, and chat flows. Live
     * nodes that fall into sets none of which ever heard of a member of another ({@link HeardOf}:
     * a partition that outlasted every node that knew both sides) cannot form one ring: then each
     * set must form a ring of its own, and chat flow within it. The sets are taken from the live
     * nodes at every check (what a node heard of only grows, so they can only join up): with one
     * set, the check is the single ring of every live node.
     */
    private void recover() {
        faults.healEverything();
        trace.log("recovery: every fault is over");
        List<List<SimNode>> apart = rings();
        if (apart.size() > 1) {
            trace.log("recovery: the live nodes fall into " + apart.size()
                    + " sets that never heard of each other, each to form a ring of its own: " + apart);
        }
        long deadline = scheduler.nowUs() + RECOVERY_LIMIT_MS * 1000;
        if (!await(deadline, this::settled)) {
            if (!stop()) {
                invariants.fail("6 recovery", "no single ring " + RECOVERY_LIMIT_MS / 1000 + " s after the faults ended: "
                        + problem() + "\n" + views());
            }
            return;
        }
        Map<String, SimNode> probes = new LinkedHashMap<>();
        for (SimNode n : live()) {
            probes.put(n.send(), n);
        }
        int rings = rings().size();
        trace.log("recovery: " + (rings > 1 ? rings + " rings" : "one ring") + "; probe lines " + probes.keySet());
        if (!await(deadline, () -> settled() && probed(probes))) {
            if (!stop()) {
                invariants.fail("6 recovery", "probe lines not delivered everywhere within " + RECOVERY_LIMIT_MS / 1000
                        + " s: " + missing(probes) + "\n" + views());
            }
            return;
        }
        trace.log("recovery: probe lines delivered everywhere");
        rings().forEach(invariants::noLoss);
    }

    /** The live nodes, in the sets that can each form a ring ({@link HeardOf#apart}); one set almost always. */
    private List<List<SimNode>> rings() {
        return HeardOf.apart(live());
    }

    /** Whether every set of live nodes is one healthy ring, and no node is still leaving. */
    private boolean settled() {
        for (SimNode n : nodes) {
            if (n.life() == SimNode.Life.LEAVING) {
                return false;
            }
        }
        return problem() == null;
    }

    /** What is wrong with the ring each set of live nodes should be, or null. */
    private String problem() {
        for (List<SimNode> set : rings()) {
            String problem = RingShape.problem(set);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private boolean probed(Map<String, SimNode> probes) {
        return missing(probes).isEmpty();
    }

    /** The probe lines a live node lacks, of those sent by a live node of its own set. */
    private List<String> missing(Map<String, SimNode> probes) {
        List<String> out = new ArrayList<>();
        for (List<SimNode> set : rings()) {
            for (SimNode n : set) {
                probes.forEach((line, sender) -> {
                    if (set.contains(sender) && !n.log.delivered(line)) {
                        out.add(n + " lacks " + line);
                    }
                });
            }
        }
        return out;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Runs until {@code condition} holds (checked every POLL_MS of virtual time) or the deadline passes. */
    private boolean await(long deadlineUs, BooleanSupplier condition) {
        boolean[] met = {condition.getAsBoolean()};
        boolean[] over = {met[0]};
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            if (!over[0]) {
                met[0] = condition.getAsBoolean();
                scheduler.after(POLL_MS * 1000, null, poll[0]);
            }
        };
        if (!met[0]) {
            scheduler.after(POLL_MS * 1000, null, poll[0]);
            scheduler.runUntil(deadlineUs, () -> met[0] || stop());
        }
        over[0] = true;
        return met[0];
    }

    private boolean stop() {
        return invariants.failed() || scheduler.escaped() != null || scheduler.spinning() != null;
    }

    private SimNode startNode(NodeAddress joinVia) {
        int index = nodes.size();
        SimNode n = new SimNode(index, "n" + index, addressOf(index), joinVia, this);
        nodes.add(n);
        trace.log("start " + n + (joinVia == null ? " as a new ring" : " joining via " + trace.name(joinVia)));
        return n;
    }

    /** A new node joining through a random member; in a partition it lands on its contact's side. */
    SimNode join() {
        NodeAddress via = contact();
        Integer group = network.groupOf(via);
        if (group != null) {
            network.group(addressOf(nodes.size()), group);
        }
        return startNode(via);
    }

    private NodeAddress contact() {
        List<SimNode> members = new ArrayList<>();
        for (SimNode n : nodes) {
            if (n.life() == SimNode.Life.LIVE && n.view().status() == org.ringchat.ring.RingView.Status.MEMBER) {
                members.add(n);
            }
        }
        return members.isEmpty() ? nodes.get(0).address : members.get(random.nextInt(members.size())).address;
    }

    /** Simulated hosts live on loopback addresses, so that nothing could ever reach a real host. */
    static NodeAddress addressOf(int index) {
        return new NodeAddress("127.1." + (index / 250) + "." + (index % 250 + 1), 5000);
    }

    /**
     * Whether two nodes may be on different sides now: in different groups of a partition, or
     * anywhere once a fault separated live nodes some other way (which side each is on is not
     * known then, so no two nodes are compared from that moment on).
     */
    private boolean separated(SimNode a, SimNode b) {
        if (a == b) {
            return false;
        }
        if (split()) {
            return true;
        }
        Integer ga = network.groupOf(a.address);
        Integer gb = network.groupOf(b.address);
        return ga != null && gb != null && !ga.equals(gb);
    }

    /** A fault has separated live nodes other than by an explicit partition into known groups. */
    private boolean split() {
        return faults.separatedLive() || plan.separating() && faults.separatingStruck();
    }

    List<SimNode> live() {
        List<SimNode> out = new ArrayList<>();
        for (SimNode n : nodes) {
            if (n.live()) {
                out.add(n);
            }
        }
        return out;
    }

    List<SimNode> nodes() {
        return nodes;
    }

    String views() {
        StringBuilder sb = new StringBuilder();
        for (SimNode n : nodes) {
            sb.append(String.format("  %-4s %-8s %s%s%n", n.name, n.life(), Describe.view(n.view()),
                    n.executor.paused() ? " PAUSED" : ""));
        }
        return sb.toString();
    }

    long faultPhaseStartUs() {
        return faultPhaseStartUs;
    }

    @Override
    public SimScheduler scheduler() {
        return scheduler;
    }

    @Override
    public SimNetwork network() {
        return network;
    }

    @Override
    public Trace trace() {
        return trace;
    }

    @Override
    public Invariants invariants() {
        return invariants;
    }
}
