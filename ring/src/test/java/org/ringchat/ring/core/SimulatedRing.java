package org.ringchat.ring.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ringchat.protocol.Candidate;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.Elected;
import org.ringchat.protocol.Message.Election;
import org.ringchat.protocol.NodeAddress;

/**
 * A deterministic in-memory ring of {@link ChangRobertsElection}s, driven one message at a time.
 *
 * <p>Node {@code i} sits at position {@code i}; messages travel {@code i -> i+1}, skipping removed
 * nodes. Every (sender, receiver) pair is a FIFO link. The driver delivers one message per step
 * from a link chosen in readiness order, or at random with a seeded {@link Random} to interleave
 * the links differently; either way a run is reproducible.
 *
 * <p>It plays the parts of the real node around the election: when a node is killed its inbound
 * messages are lost, its predecessor's next changes (so the predecessor {@link
 * ChangRobertsElection#resend() resends}), its predecessor and successor are told and {@link
 * ChangRobertsElection#forget forget} it, and a told node whose leader it was starts a new
 * election. {@link #timeout()} is the election timeout of a ring gone quiet.
 */
final class SimulatedRing {

    /** A FIFO from one node to another. */
    private static final class Link {
        final int from;
        final int to;
        final ArrayDeque<Message> queue = new ArrayDeque<>();
        boolean ready;

        Link(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    private final List<ChangRobertsElection> nodes = new ArrayList<>();
    private final boolean[] alive;
    /** Deaths each node has been told of. */
    private final List<Set<Candidate>> toldDead = new ArrayList<>();
    private final Map<Long, Link> links = new HashMap<>();
    /** Non-empty links; in ordered mode the head is delivered next. */
    private final List<Link> ready = new ArrayList<>();
    private final Random random;
    /** Whether a crash's neighbours learn of every dead node between them, or only of it. */
    private boolean neighboursSeeTheGap = true;

    private long electionsSent;
    private long electedSent;
    private long steps;

    /**
     * @param ranks the rank of the node at each ring position (lower = more senior = wins)
     * @param random null to deliver links in readiness order, else picks the next link
     */
    SimulatedRing(long[] ranks, Random random) {
        this.random = random;
        this.alive = new boolean[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            int position = i;
            Candidate self = new Candidate(ranks[i], new NodeAddress("127.0.0.1", 5000 + i));
            nodes.add(new ChangRobertsElection(self, m -> send(position, m)));
            alive[i] = true;
            toldDead.add(new HashSet<>());
        }
    }

    // ---- id layouts, in ring order (the direction messages travel) ----

    /** Ranks 0, 1, ..., n-1: each message runs until it wraps to rank 0 (the worst case here). */
    static long[] ascending(int n) {
        return IntStream.range(0, n).mapToLong(i -> i).toArray();
    }

    /** Ranks n-1, ..., 0: every message but the winner's dies at the next hop (the best case). */
    static long[] descending(int n) {
        return IntStream.range(0, n).mapToLong(i -> n - 1 - i).toArray();
    }

    /** A seeded random permutation of ranks 0..n-1. */
    static long[] shuffled(int n, long seed) {
        List<Long> ranks = IntStream.range(0, n).mapToObj(i -> (long) i).collect(Collectors.toList());
        Collections.shuffle(ranks, new Random(seed));
        return ranks.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A weaker failure detector: a crash's neighbours learn of that node only, not of nodes that
     * died before it between them.
     */
    SimulatedRing neighboursSeeOnlyTheCrash() {
        neighboursSeeTheGap = false;
        return this;
    }

    // ---- driving ----

    int size() {
        return nodes.size();
    }

    ChangRobertsElection node(int position) {
        return nodes.get(position);
    }

    /** The node at {@code position} starts an election. */
    void start(int position) {
        nodes.get(position).start();
    }

    /** Every live node starts an election before any message is delivered. */
    void startAll() {
        for (int i = 0; i < size(); i++) {
            if (alive[i]) {
                start(i);
            }
        }
    }

    boolean quiet() {
        return ready.isEmpty();
    }

    /** Delivers one message; false if none is in flight. */
    boolean step() {
        if (ready.isEmpty()) {
            return false;
        }
        Link link = ready.remove(random == null ? 0 : random.nextInt(ready.size()));
        Message message = link.queue.poll();
        if (!link.queue.isEmpty()) {
            ready.add(link);
        } else {
            link.ready = false;
        }
        steps++;
        ChangRobertsElection receiver = nodes.get(link.to);
        if (message instanceof Election e) {
            receiver.onElection(e);
        } else if (message instanceof Elected e) {
            receiver.onElected(e);
        } else {
            throw new AssertionError("not an election message: " + message);
        }
        return true;
    }

    /** Delivers up to {@code count} messages; returns how many were delivered. */
    int steps(int count) {
        int done = 0;
        while (done < count && step()) {
            done++;
        }
        return done;
    }

    /** Delivers until nothing is in flight; fails if that takes more than {@code maxSteps}. */
    void runUntilQuiet(long maxSteps) {
        long limit = steps + maxSteps;
        while (step()) {
            if (steps > limit) {
                throw new AssertionError("no quiet after " + maxSteps + " steps: " + describe());
            }
        }
    }

    /**
     * Runs until the live nodes agree on a leader with nothing in flight. The election timeout
     * fires whenever {@code stepsPerTimeout} messages pass without that (in flight or not, as a
     * real timer would). Returns the number of timeouts it took; fails after {@code maxTimeouts}.
     */
    int settle(long stepsPerTimeout, int maxTimeouts) {
        int timeouts = 0;
        while (true) {
            long limit = steps + stepsPerTimeout;
            while (steps < limit && step()) {
                // deliver
            }
            if (quiet() && agreedLeader().isPresent()) {
                return timeouts;
            }
            if (timeouts == maxTimeouts) {
                throw new AssertionError("no leader after " + timeouts + " timeouts: " + describe());
            }
            timeout();
            timeouts++;
        }
    }

    /**
     * The election timeout, on every live node: one still in an election stands again
     * ({@code restart()}); an idle one with no leader, or a leader it knows is dead, starts one.
     */
    void timeout() {
        for (int i = 0; i < size(); i++) {
            if (!alive[i]) {
                continue;
            }
            ChangRobertsElection node = nodes.get(i);
            node.restart();
            if (node.phase() == ChangRobertsElection.Phase.IDLE
                    && node.leader().map(toldDead.get(i)::contains).orElse(true)) {
                node.start();
            }
        }
    }

    /**
     * Kills the node at {@code position}, as a crash: messages queued to it are lost; with
     * {@code outboundLost} so are those it had sent that were not yet delivered. Its live
     * predecessor and successor are told of it and of any dead node between them (they see the
     * gap in the ring); the predecessor's next changes and it resends.
     */
    void kill(int position, boolean outboundLost) {
        if (!alive[position]) {
            throw new IllegalArgumentException("already dead: " + position);
        }
        if (liveCount() == 1) {
            throw new IllegalArgumentException("cannot kill the last live node");
        }
        alive[position] = false;
        for (Link link : links.values()) {
            if (link.to == position || (outboundLost && link.from == position)) {
                link.queue.clear();
                if (link.ready) {
                    ready.remove(link);
                    link.ready = false;
                }
            }
        }
        int predecessor = previousLive(position);
        int successor = nextLive(position);
        // both see the whole gap between them: this node and any dead before it
        for (int gap = (predecessor + 1) % size(); gap != successor; gap = (gap + 1) % size()) {
            if (!neighboursSeeTheGap && gap != position) {
                continue;
            }
            Candidate dead = nodes.get(gap).self();
            tell(predecessor, dead);
            if (successor != predecessor) {
                tell(successor, dead);
            }
        }
        nodes.get(predecessor).resend();
    }

    /** Tells one live node that {@code dead} died: it forgets it and, if it was its leader, elects anew. */
    void tell(int position, Candidate dead) {
        ChangRobertsElection node = nodes.get(position);
        toldDead.get(position).add(dead);
        node.forget(dead);
        if (node.phase() == ChangRobertsElection.Phase.IDLE && node.leader().equals(Optional.of(dead))) {
            node.start();
        }
    }

    private void send(int from, Message message) {
        if (!alive[from]) {
            throw new AssertionError("dead node " + from + " sent " + message);
        }
        if (message instanceof Election) {
            electionsSent++;
        } else if (message instanceof Elected) {
            electedSent++;
        }
        int to = nextLive(from);
        Link link = links.computeIfAbsent((long) from * size() + to, k -> new Link(from, to));
        link.queue.add(message);
        if (!link.ready) {
            link.ready = true;
            ready.add(link);
        }
    }

    int nextLive(int position) {
        int i = position;
        do {
            i = (i + 1) % size();
        } while (!alive[i]);
        return i;
    }

    int previousLive(int position) {
        int i = position;
        do {
            i = (i - 1 + size()) % size();
        } while (!alive[i]);
        return i;
    }

    // ---- observing ----

    boolean alive(int position) {
        return alive[position];
    }

    int liveCount() {
        int count = 0;
        for (boolean a : alive) {
            count += a ? 1 : 0;
        }
        return count;
    }

    List<Integer> livePositions() {
        return IntStream.range(0, size()).filter(i -> alive[i]).boxed().collect(Collectors.toList());
    }

    /** The most senior live node: the only correct winner. */
    Candidate mostSeniorLive() {
        return livePositions().stream().map(i -> nodes.get(i).self()).sorted().findFirst().orElseThrow();
    }

    /** The position of the node with this rank. */
    int positionOf(long rank) {
        return IntStream.range(0, size()).filter(i -> nodes.get(i).self().rank() == rank)
                .findFirst().orElseThrow();
    }

    /** The leader every live node knows, idle, for the same term; empty if they do not all agree. */
    Optional<Candidate> agreedLeader() {
        Set<String> views = livePositions().stream().map(i -> view(nodes.get(i))).collect(Collectors.toSet());
        ChangRobertsElection any = nodes.get(livePositions().get(0));
        if (views.size() != 1 || any.phase() != ChangRobertsElection.Phase.IDLE) {
            return Optional.empty();
        }
        return any.leader();
    }

    /** Live nodes that think they are the leader. */
    List<Candidate> selfProclaimedLeaders() {
        return livePositions().stream().map(nodes::get)
                .filter(n -> n.leader().equals(Optional.of(n.self())))
                .map(ChangRobertsElection::self).collect(Collectors.toList());
    }

    long electionsSent() {
        return electionsSent;
    }

    long electedSent() {
        return electedSent;
    }

    long stepsTaken() {
        return steps;
    }

    /** Every node's view, for failure messages. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("in flight ").append(ready.stream().mapToInt(l -> l.queue.size()).sum())
                .append(", steps ").append(steps);
        for (int i = 0; i < size(); i++) {
            sb.append("\n  #").append(i).append(" r").append(nodes.get(i).self().rank())
                    .append(alive[i] ? " " : " DEAD ").append(view(nodes.get(i)));
        }
        return sb.toString();
    }

    private static String view(ChangRobertsElection n) {
        return n.phase() + " term=" + n.term() + " leader=" + n.leader().map(c -> "r" + c.rank()).orElse("-");
    }
}
