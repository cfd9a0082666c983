package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.sim.SimConnection.Direction;
import org.ringchat.ring.sim.SimConnection.InFlight;

/**
 * The wire between simulated nodes. Every directed pair of hosts has a latency drawn from the
 * seed (0.1-5 ms, with per-frame jitter); each connection stays FIFO because a frame never
 * arrives before the one sent ahead of it on the same connection. Faults live here too: cuts
 * (frames wait, as TCP retransmits, and arrive in order after the heal; new connects time out),
 * partitions, slow paths, and dropping or delaying one message type.
 *
 * <p>With a {@link Lan} model ({@link #lan(Lan)}, opt-in, used by {@code ScaleStudy}) latencies
 * are the LAN's instead, and frames queue on each host's link by their encoded size. Without it
 * nothing here changes, not even a random draw, so every seed runs as before.
 */
final class SimNetwork {

    /** Listening hosts and connections: how an end that closes reaches the other end. */
    interface ConnectResult {
        void connected(SimConnection connection);

        void failed(String why);
    }

    private record Path(NodeAddress from, NodeAddress to) {
    }

    /** What one direction between two hosts is like now. */
    private static final class PathState {
        final long baseUs;
        int cuts;
        long extraUs;
        /** The path's latency under the {@link Lan} model, drawn on its first use there; -1 before. */
        long lanUs = -1;

        PathState(long baseUs) {
            this.baseUs = baseUs;
        }
    }

    private final SimScheduler scheduler;
    private final SplittableRandom random;
    private final Trace trace;
    private final MessageFaults messageFaults;
    private final Map<NodeAddress, SimTransport> listening = new TreeMap<>();
    // records with value hash codes: lookups and iteration depend on the seed only
    private final Map<Path, PathState> paths = new HashMap<>();
    private final Map<Long, SimConnection> open = new LinkedHashMap<>();
    /** Directions whose head frame found its path cut, by path: retimed when it heals. */
    private final Map<Path, Map<Long, Direction>> blocked = new HashMap<>();
    private java.util.function.Consumer<org.ringchat.protocol.Message.ChatDeliver> orderings = d -> { };
    private final Map<NodeAddress, Integer> partition = new TreeMap<>();
    private long nextConnection = 1;
    private long framesDelivered;
    private long framesLost;
    private Lan lan;
    /** Each host's link under the LAN model; created on first use. */
    private final Map<NodeAddress, HostLink> hostLinks = new HashMap<>();
    private java.util.function.BiConsumer<Envelope, NodeAddress> writes = (e, to) -> { };
    private Envelope lastSized;
    private int lastSize;
    private long framesSunk;
    private int largestFrame;
    /** Under the LAN model with bandwidth: per message type, frames, wire bytes and the largest frame. */
    private final Map<String, long[]> sizes = new TreeMap<>();

    /** One host's full-duplex link: when each direction is free again, and what it carried. */
    static final class HostLink {
        long egressFreeNs;
        long ingressFreeNs;
        long bytesOut;
        long bytesIn;
        long framesOut;
        long framesIn;
    }

    SimNetwork(SimScheduler scheduler, SplittableRandom random, Trace trace) {
        this.scheduler = scheduler;
        this.random = random;
        this.trace = trace;
        this.messageFaults = new MessageFaults(random, trace);
    }

    MessageFaults messageFaults() {
        return messageFaults;
    }

    long framesDelivered() {
        return framesDelivered;
    }

    long framesLost() {
        return framesLost;
    }

    /** Switches the LAN model on (or changes it); null goes back to the default latencies. */
    void lan(Lan model) {
        this.lan = model;
    }

    Lan lan() {
        return lan;
    }

    /** What {@code host}'s link carried under the LAN model so far. */
    HostLink link(NodeAddress host) {
        return hostLinks.computeIfAbsent(host, h -> new HostLink());
    }

    /** Frames written to a placeholder that no node reads yet (see {@link SimTransport#placeholder}). */
    long framesSunk() {
        return framesSunk;
    }

    /** A frame written to a placeholder, dropped before it was even queued. */
    void sunk() {
        framesSunk++;
    }

    /** The largest frame encoded under the LAN model with bandwidth, in bytes with its prefix. */
    int largestFrame() {
        return largestFrame;
    }

    /** Per message type since the bandwidth model went on: {frames, wire bytes, largest frame's bytes}. */
    Map<String, long[]> frameSizes() {
        return sizes;
    }

    /** Told of every frame any node writes, as it is written, and of the node it is written to. */
    void watchWrites(java.util.function.BiConsumer<Envelope, NodeAddress> watcher) {
        this.writes = watcher;
    }

    // ---- hosts and connections --------------------------------------------------------------

    boolean listen(NodeAddress address, SimTransport transport) {
        return listening.putIfAbsent(address, transport) == null;
    }

    void unlisten(NodeAddress address) {
        listening.remove(address);
    }

    /**
     * A connect attempt: refused (after a round trip) when nobody listens, timed out when the
     * path is cut either way (a handshake needs both), else accepted by the peer's kernel, even
     * when the peer's process is paused.
     */
    void connect(SimTransport opener, NodeAddress peer, long timeoutMs, ConnectResult result) {
        NodeAddress from = opener.address();
        long startUs = scheduler.nowUs();
        scheduler.after(latencyUs(from, peer), null, () -> {
            if (opener.executor().crashed()) {
                return; // the SYN-ACK would meet a dead host
            }
            if (isCut(from, peer) || isCut(peer, from)) {
                scheduler.at(startUs + timeoutMs * 1000, opener.executor(), () -> result.failed("timed out"));
                return;
            }
            SimTransport acceptor = listening.get(peer);
            if (acceptor == null) {
                scheduler.after(latencyUs(peer, from), opener.executor(), () -> result.failed("refused"));
                return;
            }
            SimConnection c = new SimConnection(nextConnection++, opener, acceptor);
            open.put(c.id, c);
            acceptor.accepted(c);
            scheduler.after(latencyUs(peer, from), opener.executor(), () -> result.connected(c));
        });
    }

    /** The opener's flush: what it wrote leaves the host. */
    void flush(SimConnection c) {
        if (c.openerClosed) {
            c.unflushed.clear();
            return;
        }
        if (c.acceptor.sink()) {
            // nobody reads them: they cost nothing; the connection stays the opener's, as read
            for (Envelope e : c.unflushed) {
                if (e.message() instanceof org.ringchat.protocol.Message.Hello) {
                    c.helloFrom = e.from();
                }
            }
            framesSunk += c.unflushed.size();
            c.unflushed.clear();
            return;
        }
        for (Envelope e : c.unflushed) {
            transmit(c, c.toAcceptor, e, messageFaults.extraDelayUs(e));
        }
        c.unflushed.clear();
    }

    /** One end closes its socket: what it had not flushed is lost, the other end hears a FIN. */
    void close(SimConnection c, boolean openerSide) {
        if (openerSide) {
            if (c.openerClosed) {
                return;
            }
            c.openerClosed = true;
            c.unflushed.clear();
            transmit(c, c.toAcceptor, null, 0);
        } else {
            if (c.acceptorClosed) {
                return;
            }
            c.acceptorClosed = true;
            transmit(c, c.toOpener, null, 0);
        }
        if (c.closed()) {
            open.remove(c.id);
        }
    }

    /** The host dies: nobody listens there any more and every socket of it closes. */
    void crash(NodeAddress host) {
        unlisten(host);
        for (SimConnection c : new ArrayList<>(open.values())) {
            if (c.openerAddress().equals(host)) {
                close(c, true);
            }
            if (c.acceptorAddress().equals(host)) {
                close(c, false);
            }
        }
    }

    /** A middlebox drops a frame: TCP cannot lose one on a live connection, so the connection resets, both ends told. */
    private void reset(SimConnection c) {
        c.reset = true;
        c.toAcceptor.items.clear();
        c.toOpener.items.clear();
        c.acceptor.executor().execute(() -> c.acceptor.closedByPeer(c));
        scheduler.after(latencyUs(c.acceptorAddress(), c.openerAddress()), c.opener.executor(),
                () -> c.opener.closedByPeer(c));
    }

    // ---- frames on the wire -----------------------------------------------------------------

    private void transmit(SimConnection c, Direction d, Envelope frame, long extraUs) {
        if (c.reset) {
            framesLost++;
            return;
        }
        long sent = lan != null && lan.bandwidth() && frame != null
                ? overLinks(d, frame, extraUs)
                : scheduler.nowUs() + latencyUs(d.from, d.to) + extraUs;
        long arrival = Math.max(sent, d.lastArrivalUs);
        d.lastArrivalUs = arrival;
        d.items.add(new InFlight(arrival, frame));
        scheduler.at(arrival, null, () -> pump(d));
    }

    /**
     * Under the LAN model: the frame waits for the sender's link, crosses it, takes the path's
     * latency, then waits for and crosses the receiver's link. Returns when it has arrived, in µs.
     */
    private long overLinks(Direction d, Envelope frame, long extraUs) {
        if (frame != lastSized) { // sendAll hands every peer the same envelope: encoded once
            lastSized = frame;
            lastSize = Lan.frameBytes(frame);
            largestFrame = Math.max(largestFrame, lastSize);
        }
        long bytes = Lan.wireBytes(lastSize);
        long ns = lan.serializationNs(bytes);
        long[] size = sizes.computeIfAbsent(frame.type(), t -> new long[3]);
        size[0]++;
        size[1] += bytes;
        size[2] = Math.max(size[2], lastSize);
        HostLink out = link(d.from);
        HostLink in = link(d.to);
        out.egressFreeNs = Math.max(scheduler.nowUs() * 1000, out.egressFreeNs) + ns;
        out.bytesOut += bytes;
        out.framesOut++;
        long atSwitchNs = out.egressFreeNs + (latencyUs(d.from, d.to) + extraUs) * 1000;
        in.ingressFreeNs = Math.max(atSwitchNs, in.ingressFreeNs) + ns;
        in.bytesIn += bytes;
        in.framesIn++;
        return (in.ingressFreeNs + 999) / 1000;
    }

    /** Hands over, in order, every frame of {@code d} that has arrived, unless its path is cut. */
    private void pump(Direction d) {
        SimConnection c = d.connection;
        while (!d.items.isEmpty() && d.items.peek().arrivalUs <= scheduler.nowUs()) {
            if (isCut(d.from, d.to)) {
                blocked.computeIfAbsent(new Path(d.from, d.to), p -> new LinkedHashMap<>()).put(d.key, d);
                return;
            }
            arrive(c, d, d.items.poll());
        }
    }

    private void arrive(SimConnection c, Direction d, InFlight item) {
        boolean toAcceptor = d == c.toAcceptor;
        SimTransport end = toAcceptor ? c.acceptor : c.opener;
        if (item.frame == null) {
            end.executor().execute(() -> end.closedByPeer(c));
            return;
        }
        if (c.acceptorClosed) {
            framesLost++; // read by nobody: the acceptor's socket is gone
            return;
        }
        if (messageFaults.drops(item.frame, trace.on() ? trace.name(d.from) + "->" + trace.name(d.to) : null)) {
            framesLost++;
            reset(c);
            return;
        }
        framesDelivered++;
        end.executor().execute(() -> end.read(c, item.frame));
    }

    // ---- paths and their faults -------------------------------------------------------------

    private PathState path(NodeAddress from, NodeAddress to) {
        // drawn on first use: the order of first uses is itself a function of the seed
        return paths.computeIfAbsent(new Path(from, to), p -> new PathState(100 + random.nextLong(4901)));
    }

    private long latencyUs(NodeAddress from, NodeAddress to) {
        PathState p = path(from, to);
        if (lan != null) {
            if (p.lanUs < 0) {
                p.lanUs = lan.minLatencyUs() + random.nextLong(lan.maxLatencyUs() - lan.minLatencyUs() + 1);
            }
            return p.lanUs + p.extraUs;
        }
        return p.baseUs + random.nextLong(p.baseUs / 4 + 1) + p.extraUs;
    }

    boolean isCut(NodeAddress from, NodeAddress to) {
        PathState p = paths.get(new Path(from, to));
        if (p != null && p.cuts > 0) {
            return true;
        }
        Integer a = partition.get(from);
        Integer b = partition.get(to);
        return a != null && b != null && !a.equals(b);
    }

    /** Whether a cut (not a partition) holds frames from {@code a} to {@code b} or back now. */
    boolean cutEitherWay(NodeAddress a, NodeAddress b) {
        PathState ab = paths.get(new Path(a, b));
        PathState ba = paths.get(new Path(b, a));
        return ab != null && ab.cuts > 0 || ba != null && ba.cuts > 0;
    }

    /** Cuts nest: a path is open again when every cut of it has healed. */
    void cut(NodeAddress from, NodeAddress to) {
        path(from, to).cuts++;
    }

    void heal(NodeAddress from, NodeAddress to) {
        PathState p = path(from, to);
        if (p.cuts > 0 && --p.cuts == 0) {
            released(new Path(from, to));
        }
    }

    void slow(NodeAddress from, NodeAddress to, long extraMs) {
        path(from, to).extraUs += extraMs * 1000;
    }

    void unslow(NodeAddress from, NodeAddress to, long extraMs) {
        PathState p = path(from, to);
        p.extraUs = Math.max(0, p.extraUs - extraMs * 1000);
    }

    /** Told of every ordered message a node writes (the first time shows when it was ordered). */
    void watchOrderings(java.util.function.Consumer<org.ringchat.protocol.Message.ChatDeliver> watcher) {
        this.orderings = watcher;
    }

    /** A node wrote {@code frame} to a connection. */
    void written(Envelope frame, NodeAddress to) {
        writes.accept(frame, to);
        if (frame.message() instanceof org.ringchat.protocol.Message.ChatDeliver ordered) {
            orderings.accept(ordered);
        }
    }

    /** Puts {@code host} in a partition group; hosts in different groups cannot reach each other. */
    void group(NodeAddress host, int group) {
        partition.put(host, group);
    }

    Integer groupOf(NodeAddress host) {
        return partition.get(host);
    }

    /** The partition into groups ends; what each side held for the others leaves now. */
    void healPartition() {
        partition.clear();
        for (Path p : new ArrayList<>(blocked.keySet())) {
            released(p);
        }
    }

    /** Ends every partition, cut, slow path and message fault. */
    void healAll() {
        partition.clear();
        for (PathState p : paths.values()) {
            p.cuts = 0;
            p.extraUs = 0;
        }
        messageFaults.clear();
        for (Path p : new ArrayList<>(blocked.keySet())) {
            released(p);
        }
    }

    /** Frames held by a cut leave again, in order, one latency after the heal. */
    private void released(Path p) {
        Map<Long, Direction> waiting = blocked.remove(p);
        if (waiting == null || isCut(p.from(), p.to())) {
            if (waiting != null) {
                blocked.put(p, waiting);
            }
            return;
        }
        for (Direction d : waiting.values()) {
            long t = scheduler.nowUs() + latencyUs(d.from, d.to);
            for (InFlight item : d.items) {
                item.arrivalUs = Math.max(item.arrivalUs, t);
                t = item.arrivalUs;
            }
            d.lastArrivalUs = Math.max(d.lastArrivalUs, t);
            for (InFlight item : d.items) {
                scheduler.at(item.arrivalUs, null, () -> pump(d));
            }
        }
    }
}
