package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringchat.protocol.NodeAddress;

/**
 * Heartbeat bookkeeping. Any frame from a peer counts as a sign of life, so a peer busy sending
 * chat is never taken for dead. A peer silent for longer than {@code suspectMs} is reported once
 * (until it speaks again). If the detector itself was not consulted for longer than
 * {@code suspectMs} — this node was paused (SIGSTOP, a long GC) — everyone's silence is its own
 * fault: the clocks restart and it reports that instead of suspecting anyone.
 *
 * <p>A peer suspected wrongly earns patience: each suspicion of it that a check disproved
 * ({@link #cleared}) doubles the silence it is allowed, up to {@link #MAX_PATIENCE_DOUBLINGS}
 * times, and each {@link #PATIENCE_DECAY_MS} without another halves it again. A member behind a
 * lossy link is silent whenever TCP backs off a lost segment (200, 400, 800 ms, ...), longer
 * than {@code suspectMs} now and then; it is suspected a few times, and then no more, while a
 * peer that never fooled anyone is still suspected after {@code suspectMs}. (HashiCorp's
 * Lifeguard stretches SWIM's suspicion timeouts the same way, for the same reason.)
 */
public final class FailureDetector {

    /**
     * How many times a peer's allowed silence may double after wrong suspicions: at most
     * 2^3 = 8 times {@code suspectMs} (8 s with the defaults), also how long a real hang of such a
     * peer then takes to be suspected. A crash is found at once whatever the patience: its
     * connections are refused.
     */
    public static final int MAX_PATIENCE_DOUBLINGS = 3;

    /** A peer's patience halves again after this long without a wrong suspicion of it. */
    public static final long PATIENCE_DECAY_MS = 30_000;

    /** A peer's earned patience: how many doublings, and since when it last changed. */
    private record Patience(int doublings, long since) {
    }

    private final long suspectMs;
    private final long pausedMs;
    /** Each watched peer's clocks. */
    private final Map<NodeAddress, Clocks> watched = new HashMap<>();
    private final Set<NodeAddress> suspected = new HashSet<>();
    /** Only peers wrongly suspected lately: an entry goes once its patience decayed to nothing. */
    private final Map<NodeAddress, Patience> patience = new HashMap<>();
    private long lastCheck = Long.MIN_VALUE;

    /**
     * A watched peer's clocks, updated in place: {@link #heard} runs for every frame received,
     * and a map of boxed times allocated two objects a frame (issue 10).
     */
    private static final class Clocks {
        /** Its silence clock: when it was last heard, restarted by a pause of this node or a cleared suspicion. */
        long heard;
        /** When its last frame came ({@link Long#MIN_VALUE}: none yet): never restarted. */
        long frame = Long.MIN_VALUE;

        Clocks(long now) {
            heard = now;
        }
    }

    public FailureDetector(long suspectMs) {
        this(suspectMs, suspectMs);
    }

    /**
     * @param suspectMs silence after which a peer is suspected
     * @param pausedMs how late a check may come before this node counts as paused (at most
     *     {@code suspectMs}): a pause shorter than {@code suspectMs} can be enough for the others
     *     to remove this node, when one of them already suspected it and a witness's ping of it
     *     times out during the pause
     */
    public FailureDetector(long suspectMs, long pausedMs) {
        this.suspectMs = suspectMs;
        this.pausedMs = Math.min(suspectMs, pausedMs);
    }

    /** Any frame from a watched peer; frames from others are no concern of the detector. */
    public void heard(NodeAddress peer, long now) {
        Clocks c = watched.get(peer); // for every frame: no lambda, no allocation
        if (c != null) {
            c.heard = now;
            c.frame = now;
            suspected.remove(peer);
        }
    }

    /**
     * Starts the silence clock of peers newly watched; forgets peers no longer watched. The first
     * call also starts the detector's own clock, so a pause before the first check shows as one.
     */
    public void watch(Set<NodeAddress> peers, long now) {
        if (lastCheck == Long.MIN_VALUE) {
            lastCheck = now;
        }
        watched.keySet().retainAll(peers);
        suspected.retainAll(peers);
        for (NodeAddress p : peers) {
            watched.computeIfAbsent(p, q -> new Clocks(now));
        }
    }

    /** True when this node itself has been stalled longer than the pause threshold. */
    public boolean wasPaused(long now) {
        return lastCheck != Long.MIN_VALUE && now - lastCheck > pausedMs;
    }

    /**
     * Peers newly silent for too long. Returns an empty list, and restarts every clock, when this
     * node itself was paused (see {@link #wasPaused}).
     */
    public List<NodeAddress> check(long now) {
        boolean paused = wasPaused(now);
        lastCheck = now;
        List<NodeAddress> silent = new ArrayList<>();
        if (paused) {
            suspected.clear(); // every clock starts again, and with it every suspicion
        }
        decay(now);
        for (Map.Entry<NodeAddress, Clocks> e : watched.entrySet()) {
            if (paused) {
                e.getValue().heard = now;
            } else if (now - e.getValue().heard > allowedSilence(e.getKey()) && suspected.add(e.getKey())) {
                silent.add(e.getKey());
            }
        }
        return silent;
    }

    /**
     * The earliest time {@link #check} can find a peer newly silent for too long: when the first
     * watched peer not suspected yet will have been silent for longer than it is allowed, if no
     * frame of its comes first. {@link Long#MAX_VALUE} when there is none.
     */
    public long nextSilenceDue() {
        long due = Long.MAX_VALUE;
        for (Map.Entry<NodeAddress, Clocks> e : watched.entrySet()) {
            if (!suspected.contains(e.getKey())) {
                due = Math.min(due, e.getValue().heard + allowedSilence(e.getKey()) + 1);
            }
        }
        return due;
    }

    /** How long {@code peer} may be silent before it is suspected: {@code suspectMs}, doubled by its patience. */
    public long allowedSilence(NodeAddress peer) {
        Patience p = patience.get(peer);
        return p == null ? suspectMs : suspectMs << p.doublings();
    }

    private void decay(long now) {
        patience.replaceAll((peer, p) -> now - p.since() >= PATIENCE_DECAY_MS
                ? new Patience(p.doublings() - 1, now) : p);
        patience.values().removeIf(p -> p.doublings() == 0);
    }

    /** Milliseconds since the last check. */
    public long sinceLastCheck(long now) {
        return lastCheck == Long.MIN_VALUE ? 0 : now - lastCheck;
    }

    /** Milliseconds since {@code peer} was last heard, or -1 if it is not watched. */
    public long silence(NodeAddress peer, long now) {
        Clocks c = watched.get(peer);
        return c == null ? -1 : now - c.heard;
    }

    /**
     * Milliseconds since a frame of {@code peer}'s really came, or -1 if none came since it is
     * watched. Unlike {@link #silence}, a pause of this node does not make it look recent.
     */
    public long sinceFrame(NodeAddress peer, long now) {
        Clocks c = watched.get(peer);
        return c == null || c.frame == Long.MIN_VALUE ? -1 : now - c.frame;
    }

    /** True while {@code peer} is silent beyond the threshold (reported, and not heard since). */
    public boolean isSuspected(NodeAddress peer) {
        return suspected.contains(peer);
    }

    /**
     * Clears a suspicion that turned out wrong, restarting the peer's clock, and doubles the
     * silence the peer is allowed from now on (see {@link #MAX_PATIENCE_DOUBLINGS}).
     */
    public void cleared(NodeAddress peer, long now) {
        Clocks c = watched.get(peer);
        if (c != null) {
            c.heard = now;
            Patience p = patience.get(peer);
            patience.put(peer, new Patience(Math.min(MAX_PATIENCE_DOUBLINGS, p == null ? 1 : p.doublings() + 1), now));
        }
        suspected.remove(peer);
    }
}
