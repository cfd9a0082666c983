package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ringchat.protocol.Departure.Reason;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;

/**
 * The members this node lost to a failure it could not tell from a partition, kept so that the
 * ring can find them again when the network heals ({@code docs/partitions.md}). Only
 * {@link Reason#CRASHED} and {@link Reason#UNRESPONSIVE} count: a member that said goodbye
 * ({@code LEFT}), was taken out by its leader ({@code REMOVED}) or came back as a new incarnation
 * ({@code REPLACED}) is not waiting on the other side of a cut.
 *
 * <p>Each lost member is probed on a capped exponential back-off: {@link #FIRST_RETRY_MS} after
 * the loss, then twice as long each time, never longer than {@link #MAX_RETRY_MS} apart; it is
 * forgotten when it comes back, or {@link #REMEMBER_MS} after it was lost. At most
 * {@link #MAX_REMEMBERED} are kept; the one lost longest ago goes first. Time is passed in.
 */
public final class LostMembers {

    /**
     * First probe after the loss (ms). Too low: the probe hits a member that has only just been
     * found dead, which wastes a connect. Too high: a partition that heals at once (a blip) stays
     * split this long.
     */
    public static final long FIRST_RETRY_MS = 250;

    /**
     * Longest gap between two probes of one member (ms): after a heal the rings find each other
     * within about this long (the issue asks for one ring within 3 s of the heal). Too low: a
     * leader that lost half a large ring connects to many dead addresses every second. Too high:
     * merges wait this long.
     */
    public static final long MAX_RETRY_MS = 1_000;

    /**
     * How long a lost member is remembered (ms), 10 minutes. Too low: a cable plugged back after
     * a coffee break finds two chats. Too high: a ring keeps probing machines that were simply
     * switched off.
     */
    public static final long REMEMBER_MS = 10 * 60_000;

    /**
     * Most lost members remembered; beyond it the one lost longest ago is forgotten. Bounds the
     * probes (at most this many per {@link #MAX_RETRY_MS}) and the memory a flapping ring can
     * fill. One member of each other piece answering is enough to merge with it.
     */
    public static final int MAX_REMEMBERED = 256;

    /**
     * A member lost at {@code lostAt} (with this node's delivered sequence number then), next
     * probed at {@code nextProbeAt}; {@code interval} is the gap before the probe after that.
     */
    public record Lost(Member member, Reason reason, long lostAt, long lostAtSeq, long nextProbeAt, long interval,
            int probes) {
    }

    private final long firstRetryMs;
    private final long maxRetryMs;
    private final long rememberMs;
    private final int limit;
    /** By address, oldest loss first (a member lost again moves to the end). */
    private final LinkedHashMap<NodeAddress, Lost> lost = new LinkedHashMap<>();

    /** With the default schedule, memory and limit. */
    public LostMembers() {
        this(FIRST_RETRY_MS, MAX_RETRY_MS, REMEMBER_MS, MAX_REMEMBERED);
    }

    public LostMembers(long firstRetryMs, long maxRetryMs, long rememberMs, int limit) {
        if (firstRetryMs <= 0 || maxRetryMs < firstRetryMs || rememberMs <= 0 || limit < 1) {
            throw new IllegalArgumentException("need 0 < firstRetryMs <= maxRetryMs, rememberMs > 0, limit >= 1");
        }
        this.firstRetryMs = firstRetryMs;
        this.maxRetryMs = maxRetryMs;
        this.rememberMs = rememberMs;
        this.limit = limit;
    }

    /** Whether a departure for this reason may be a partition, so the member is worth finding again. */
    public static boolean counts(Reason reason) {
        return reason == Reason.CRASHED || reason == Reason.UNRESPONSIVE;
    }

    /**
     * {@code member} departed for {@code reason} at {@code now}, when this node had delivered up
     * to {@code deliveredSeq}. Returns true when it is remembered (the reason counts). A member
     * lost again starts its schedule and its memory afresh (a flapping link).
     */
    public boolean lost(Member member, Reason reason, long now, long deliveredSeq) {
        if (!counts(reason)) {
            lost.remove(member.address()); // it left for good: nothing to find
            return false;
        }
        lost.remove(member.address());
        lost.put(member.address(), new Lost(member, reason, now, deliveredSeq, now + firstRetryMs,
                Math.min(maxRetryMs, firstRetryMs * 2), 0));
        trim();
        return true;
    }

    /**
     * {@code member}, lost for {@code reason} at {@code lostAt} (this node's clock) when the ring
     * had delivered up to {@code lostAtSeq}, as another node remembers it (a leader tells its
     * joiners). Kept only if the reason counts, it is not remembered here already (this node's
     * own memory stands) and it is not older than the memory; it is forgotten when that member
     * would have been, {@link #REMEMBER_MS} after the loss, and probed from {@code now} on the
     * usual schedule. Returns whether it is remembered now.
     */
    public boolean inherit(Member member, Reason reason, long lostAt, long lostAtSeq, long now) {
        if (!counts(reason) || lost.containsKey(member.address()) || now - lostAt >= rememberMs) {
            return false;
        }
        lost.put(member.address(), new Lost(member, reason, lostAt, lostAtSeq, now + firstRetryMs,
                Math.min(maxRetryMs, firstRetryMs * 2), 0));
        trim();
        return true;
    }

    /** Keeps at most {@code limit}: the one remembered longest goes first. */
    private void trim() {
        while (lost.size() > limit) {
            Iterator<NodeAddress> oldest = lost.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * The members to probe at {@code now}, oldest loss first; each is probed once, however late
     * this call comes (a node back from a pause sends no burst), and its next probe is put off by
     * its interval, which then doubles up to the cap. Members remembered for longer than the
     * memory are forgotten first.
     */
    public List<Member> due(long now) {
        expire(now);
        List<Member> out = new ArrayList<>();
        for (Map.Entry<NodeAddress, Lost> e : lost.entrySet()) {
            Lost l = e.getValue();
            if (l.nextProbeAt() <= now) {
                out.add(l.member());
                long interval = Math.min(maxRetryMs, l.interval() * 2);
                e.setValue(new Lost(l.member(), l.reason(), l.lostAt(), l.lostAtSeq(), now + l.interval(), interval,
                        l.probes() + 1));
            }
        }
        return out;
    }

    /** Forgets the members lost {@link #REMEMBER_MS} or more before {@code now}; returns them. */
    public List<Member> expire(long now) {
        List<Member> gone = new ArrayList<>();
        lost.values().removeIf(l -> {
            boolean old = now - l.lostAt() >= rememberMs;
            if (old) {
                gone.add(l.member());
            }
            return old;
        });
        return gone;
    }

    /**
     * When the next probe is due (for the node's timer), or {@link Long#MAX_VALUE} when nobody
     * is remembered.
     */
    public long nextDueAt() {
        long next = Long.MAX_VALUE;
        for (Lost l : lost.values()) {
            next = Math.min(next, l.nextProbeAt());
        }
        return next;
    }

    /**
     * The member at {@code address} is back (a member of this node's ring again, or merged into
     * it) or answered from an unrelated ring: nothing more to find. Returns whether it was remembered.
     */
    public boolean forget(NodeAddress address) {
        return lost.remove(address) != null;
    }

    public boolean contains(NodeAddress address) {
        return lost.containsKey(address);
    }

    public Optional<Lost> get(NodeAddress address) {
        return Optional.ofNullable(lost.get(address));
    }

    /** Every member remembered, oldest loss first. */
    public List<Lost> all() {
        return List.copyOf(lost.values());
    }

    public int size() {
        return lost.size();
    }
}
