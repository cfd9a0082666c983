package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;

/**
 * A leader back from a pause may have been replaced meanwhile, so it orders, admits and shows
 * nothing until every member has answered it from its own term. An answer from a newer term
 * means the others moved on: the leader is deposed and waits for the {@code NotMember} that
 * tells it so.
 *
 * <p>The wait is bounded: a member that stays silent for the whole of a probation in which
 * another member confirmed the leader's term is hung, gone or a stranger that never answers,
 * not the follower of a ring that moved on (whose members answer from the newer term). Past the
 * limit, those that confirmed are enough, and the silent are checked like any silent member
 * (through witnesses); one phantom member must not hold the ring's chat for good.
 */
public final class Probation {

    public enum Phase {
        /** Leading normally (or not leading at all). */
        NONE,
        /** Back from a pause, waiting for every member to confirm. */
        ON_PROBATION,
        /** A member answered from a newer term: another leader leads now. */
        DEPOSED
    }

    private final Set<NodeAddress> confirmedBy = new HashSet<>();
    private Phase phase = Phase.NONE;
    /**
     * The members whose newer terms depose this leader, with those terms, in the order they
     * answered: while one of them is a member, another leader may lead them.
     */
    private final Map<NodeAddress, Long> deposedBy = new LinkedHashMap<>();
    private long startedAt;

    /** The leader woke from a pause at {@code now}. */
    public void begin(long now) {
        phase = Phase.ON_PROBATION;
        startedAt = now;
        confirmedBy.clear();
        deposedBy.clear();
    }

    /**
     * A member answered a ping from {@code term}, while this leader's view is {@code viewTerm}.
     * Returns true when that ends the probation: every one of {@code members} has confirmed.
     */
    public boolean onAnswer(NodeAddress from, long term, long viewTerm, Collection<NodeAddress> members) {
        if (!members.contains(from)) {
            return false;
        }
        if (phase == Phase.DEPOSED && term > viewTerm) {
            // every member that answers from a newer term deposes this leader, not the first only:
            // had that one left, the others, led by it, would have been counted as confirming
            // nobody, and this leader led on (seed 107340: the first was the other ring's leader)
            deposedBy.putIfAbsent(from, term);
            return false;
        }
        if (phase == Phase.DEPOSED && deposedBy.containsKey(from) && term == viewTerm) {
            // its election found nobody, and it follows this leader again
            deposedBy.remove(from);
            if (deposedBy.isEmpty()) {
                phase = Phase.ON_PROBATION;
            }
        }
        if (phase != Phase.ON_PROBATION) {
            return false;
        }
        if (term > viewTerm) {
            phase = Phase.DEPOSED;
            deposedBy.put(from, term);
            return false;
        }
        if (term < viewTerm) {
            return false; // not following this leader (outside any ring, rejoining): no confirmation
        }
        confirmedBy.add(from);
        return check(members);
    }

    /**
     * {@code member}, whose newer term deposed this leader, asks to join again: its election
     * went nowhere. It deposes no more; with no other deposer, the probation goes on as before
     * the deposition. True when it had deposed this leader.
     */
    public boolean gaveUp(NodeAddress member) {
        if (phase != Phase.DEPOSED || deposedBy.remove(member) == null) {
            return false;
        }
        if (deposedBy.isEmpty()) {
            phase = Phase.ON_PROBATION;
        }
        return true;
    }

    /** True when {@code member} confirmed this leader's term during the probation under way. */
    public boolean confirmedBy(NodeAddress member) {
        return phase == Phase.ON_PROBATION && confirmedBy.contains(member);
    }

    /**
     * True when {@code member} confirmed this leader's term during the probation under way and
     * that still says something against {@code view}, a newer view of this ring without this
     * leader: on probation; or deposed, but by a member that view leaves out too (a member
     * electing on its own, not one following that view's leader, which replaced this one).
     */
    public boolean confirmedAgainst(NodeAddress member, View view) {
        boolean stands = phase == Phase.ON_PROBATION
                || (phase == Phase.DEPOSED && deposedBy.keySet().stream().noneMatch(view::contains));
        return stands && confirmedBy.contains(member);
    }

    /**
     * The membership changed (members removed): true when everyone left has confirmed. When every
     * member whose newer term deposed this leader is gone, it is back on probation: their
     * election may have found no followers, or led the others before they went.
     */
    public boolean check(Collection<NodeAddress> members) {
        if (phase == Phase.DEPOSED) {
            deposedBy.keySet().retainAll(new HashSet<>(members));
        }
        if (phase == Phase.DEPOSED && deposedBy.isEmpty()) {
            // back on probation, not past it: a deposer that crashed may have led the others in
            // its newer term before it did, and their answers may still be on their way (seed
            // 304572: the leader woke from 11 s asleep, its only deposer crashed, and it ordered
            // and admitted at once, numbering places the others' ring, led by then by another, had
            // numbered). Those that confirmed it still count; the others answer, or expire
            phase = Phase.ON_PROBATION;
        }
        if (phase == Phase.ON_PROBATION && confirmedBy.containsAll(members)) {
            phase = Phase.NONE;
            return true;
        }
        return false;
    }

    /**
     * The probation has lasted {@code limitMs} by {@code now} and at least one member confirmed
     * the leader's term, or it has lasted {@code unconfirmedLimitMs} and nobody answered at all
     * (neither confirming nor deposing: they are gone, or cut off from this leader, which would
     * otherwise order nothing for good, seed 84495): it ends, and returns the members that never
     * confirmed (to be checked as silent). Otherwise returns an empty list and the probation goes on.
     */
    public List<NodeAddress> expire(long now, long limitMs, long unconfirmedLimitMs, Collection<NodeAddress> members) {
        if (phase != Phase.ON_PROBATION || now - startedAt < limitMs) {
            return List.of();
        }
        if (confirmedBy.stream().noneMatch(members::contains) && now - startedAt < unconfirmedLimitMs) {
            return List.of();
        }
        List<NodeAddress> silent = new ArrayList<>();
        for (NodeAddress m : members) {
            if (!confirmedBy.contains(m)) {
                silent.add(m);
            }
        }
        phase = Phase.NONE;
        confirmedBy.clear();
        return silent;
    }

    /** Not leading any more (removed, or a new view names another leader). */
    public void reset() {
        phase = Phase.NONE;
        confirmedBy.clear();
        deposedBy.clear();
    }

    /** True while {@code member}'s newer term deposes this leader. */
    public boolean deposedBy(NodeAddress member) {
        return phase == Phase.DEPOSED && deposedBy.containsKey(member);
    }

    /** The newest term the members that depose this leader answered from, while deposed; else 0. */
    public long deposedTerm() {
        return phase == Phase.DEPOSED ? deposedBy.values().stream().mapToLong(Long::longValue).max().orElse(0) : 0;
    }

    public boolean active() {
        return phase != Phase.NONE;
    }

    public Phase phase() {
        return phase;
    }
}
