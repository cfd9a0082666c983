package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingListener;
import org.ringchat.ring.RingNode;
import org.ringchat.ring.RingView;

/**
 * A big ring of real nodes on the simulated network under a {@link Lan} model, for
 * {@code ScaleStudy}: formed in bulk, then driven and measured in virtual time. Everything is
 * counted by listeners and the network's write hook, so that a condition over N nodes costs O(1).
 *
 * <p><b>Forming in bulk.</b> Sequential joins cost O(N) view frames of O(N) members each per
 * join, O(N³) work for the simulator (and, on a real LAN, hours of a leader's uplink at 10,000:
 * see {@code docs/scaling.md}). So the ring forms in two passes, both through the real join path:
 * <ol>
 *   <li>a placeholder at each member's address ({@link SimTransport#placeholder}) asks the real
 *       leader to be admitted, and the leader admits every one as it would any joiner (names
 *       checked, ranks given, a view published per admission), but the frames it sends the
 *       placeholders are dropped unsimulated;
 *   <li>then the real node starts at each address and asks to join; the leader knows it already
 *       and readmits it ({@code Admission.Readmit}): a real {@code JoinAccepted} with the whole
 *       view, which the node enters through its real join code.
 * </ol>
 * What is skipped: the members seeing every intermediate view (each is superseded by the one
 * they get). Both passes run with latency only; the bandwidth model is switched on once the ring
 * is formed, and every measurement runs with it.
 */
final class ScaleRing {

    /** One member's node and what it saw. */
    final class Node implements RingListener {
        final int index;
        final String name;
        final NodeAddress address;
        final SimExecutor executor;
        final SimTransport transport;
        RingNode ring;
        long lastSeq;
        long leaderEventUs = -1;
        long electionStartedUs = -1;
        long wonUs = -1;

        Node(int index) {
            this.index = index;
            this.name = "n" + index;
            this.address = Simulation.addressOf(index);
            this.executor = new SimExecutor(index, name, scheduler);
            this.transport = new SimTransport(network, executor, trace, address, RingConfig.DEFAULT_CONNECT_TIMEOUT_MS);
        }

        void start(NodeAddress joinVia) {
            RingConfig config = RingConfig.builder(name).address(address).joinVia(joinVia).build();
            ring = RingNode.start(config, this, transport, executor);
        }

        @Override
        public void onChat(ChatMessage m) {
            if (m.seq() <= lastSeq) {
                problems.add(name + " delivered seq " + m.seq() + " after " + lastSeq);
            }
            lastSeq = m.seq();
            Line line = lines.get(m.text());
            if (line != null) {
                line.delivered++;
                line.lastUs = scheduler.nowUs();
            }
        }

        @Override
        public void onEvent(RingEvent e) {
            if (e.kind() == RingEvent.Kind.LEADER) {
                if (leaderEventUs < 0) {
                    leadersKnown++;
                }
                leaderEventUs = scheduler.nowUs();
            } else if (e.kind() == RingEvent.Kind.ELECTION_STARTED && electionStartedUs < 0) {
                electionStartedUs = scheduler.nowUs();
            } else if (e.kind() == RingEvent.Kind.ELECTION && e.text().startsWith("won the election") && wonUs < 0) {
                wonUs = scheduler.nowUs();
                writtenWhenWon = new TreeMap<>(written);
            } else if (e.kind() == RingEvent.Kind.SUSPECT || e.kind() == RingEvent.Kind.REPAIRED
                    || e.kind() == RingEvent.Kind.REMOVED || e.kind() == RingEvent.Kind.WARNING) {
                events.merge(e.kind().name(), 1L, Long::sum);
            }
        }

        RingView view() {
            return ring.view();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A chat line sent, and how far it got. */
    static final class Line {
        final long sentUs;
        int delivered;
        long lastUs;

        Line(long sentUs) {
            this.sentUs = sentUs;
        }
    }

    /** Time for the leader's last connects to placeholders to complete (a round trip is at most 0.4 ms on a LAN). */
    private static final long PLACEHOLDER_DRAIN_MS = 5;

    private final SimScheduler scheduler = new SimScheduler();
    private final Trace trace = new Trace(false, scheduler);
    private final SimNetwork network;
    private final Lan lan;
    private final List<Node> nodes = new ArrayList<>();
    final Map<String, Line> lines = new HashMap<>();
    final Map<String, Long> events = new TreeMap<>();
    final Map<String, Long> written = new TreeMap<>();
    final List<String> problems = new ArrayList<>();
    int leadersKnown;
    /** {@link #written} when a node first won an election (the Election and Elected frames it took). */
    Map<String, Long> writtenWhenWon;

    ScaleRing(long seed, Lan lan) {
        this.lan = lan;
        this.network = new SimNetwork(scheduler, new SplittableRandom(seed), trace);
        network.lan(lan.withBandwidth(false));
        network.watchWrites((e, to) -> written.merge(e.type(), 1L, Long::sum));
    }

    /** Forms a ring of {@code n} in bulk (see the class comment); false if it did not form within {@code limitMs}. */
    boolean form(int n, long limitMs) {
        Node leader = new Node(0);
        nodes.add(leader);
        leader.start(null);
        for (int i = 1; i < n; i++) {
            Node p = new Node(i);
            nodes.add(p);
            Envelope hello = new Envelope(p.address, 0, new Message.Hello(ProtocolVersion.CURRENT, p.name));
            p.transport.placeholder(() -> hello);
            Envelope ask = new Envelope(p.address, 0, new Message.JoinRequest(p.name, p.address, -1));
            p.executor.execute(() -> p.transport.send(leader.address, ask));
        }
        long deadline = scheduler.nowUs() + limitMs * 1000;
        if (!runUntil(deadline, () -> leader.view().members().size() == n)) {
            return false;
        }
        // what the leader wrote while connecting to the last placeholders leaves once connected:
        // a connect round trip later, every frame of it has reached a placeholder
        runFor(PLACEHOLDER_DRAIN_MS);
        if (Boolean.getBoolean("sim.scale.debug")) {
            System.out.println("placeholders admitted at " + scheduler.nowUs() + " us: written " + written);
        }
        for (int i = 1; i < n; i++) {
            nodes.get(i).start(leader.address);
        }
        int[] joined = {0};
        for (int i = 1; i < n; i++) {
            nodes.get(i).ring.joined().whenComplete((v, e) -> joined[0] += e == null ? 1 : 0);
        }
        boolean formed = runUntil(deadline, () -> joined[0] == n - 1);
        if (Boolean.getBoolean("sim.scale.debug")) {
            System.out.println("joined at " + scheduler.nowUs() + " us: written " + written);
        }
        network.lan(lan);
        return formed && problem() == null;
    }

    /** Runs virtual time until {@code done} holds (checked after every step) or {@code deadlineUs}. */
    boolean runUntil(long deadlineUs, BooleanSupplier done) {
        if (done.getAsBoolean()) {
            return true;
        }
        scheduler.runUntil(deadlineUs, () -> done.getAsBoolean() || scheduler.escaped() != null || scheduler.spinning() != null);
        if (scheduler.escaped() != null) {
            throw new AssertionError("a simulated task threw", scheduler.escaped());
        }
        if (scheduler.spinning() != null) {
            throw new AssertionError(scheduler.spinning() + " spun in place");
        }
        return done.getAsBoolean();
    }

    void runFor(long ms) {
        runUntil(scheduler.nowUs() + ms * 1000, () -> false);
    }

    /** A line of {@code size} characters from {@code from}, typed now; its text is its key in {@link #lines}. */
    String send(Node from, String tag, int size) {
        StringBuilder text = new StringBuilder(tag).append(' ');
        while (text.length() < size) {
            text.append('x');
        }
        String s = text.toString();
        lines.put(s, new Line(scheduler.nowUs()));
        from.ring.send(s);
        return s;
    }

    /** Crashes a node: its thread stops and its sockets close. */
    void crash(Node n) {
        n.executor.crash();
        network.crash(n.address);
    }

    /** Null when every live node is a member of one view of all live nodes with one leader; else what is wrong. */
    String problem() {
        List<Node> live = live();
        RingView first = live.get(0).view();
        for (Node n : live) {
            RingView v = n.view();
            if (v.status() != RingView.Status.MEMBER) {
                return n + " is " + v.status();
            }
            if (v.members().size() != live.size() || v.term() != first.term()
                    || !v.leader().equals(first.leader())) {
                return n + " sees " + v.members().size() + " members, leader " + v.leader().name() + " term " + v.term()
                        + "; " + live.get(0) + " sees " + first.members().size() + ", " + first.leader().name();
            }
        }
        return null;
    }

    /** How many live nodes are in each status, under each leader and term, and with how many members. */
    String census() {
        Map<String, Integer> out = new TreeMap<>();
        for (Node n : live()) {
            RingView v = n.view();
            String leader = v.leader() == null ? "none" : v.leader().name();
            out.merge(v.status() + " leader " + leader + " term " + v.term() + " of " + v.members().size(), 1, Integer::sum);
        }
        return out.toString();
    }

    List<Node> live() {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (!n.executor.crashed()) {
                out.add(n);
            }
        }
        return out;
    }

    List<Node> nodes() {
        return nodes;
    }

    /**
     * The nodes in ring order, most senior first. The leader admitted the placeholders in the
     * order their requests arrived, which the paths' latencies shuffle: ranks are not indexes.
     */
    List<Node> byRank() {
        List<Node> out = new ArrayList<>(nodes);
        out.sort(java.util.Comparator.comparingLong(n -> n.view().self().rank()));
        return out;
    }

    long nowUs() {
        return scheduler.nowUs();
    }

    long steps() {
        return scheduler.steps();
    }

    SimNetwork network() {
        return network;
    }
}
