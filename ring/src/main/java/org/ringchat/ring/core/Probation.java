package org.ringchat.ring.core;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.ringchat.protocol.NodeAddress;

/**
 * A leader back from a pause may have been replaced meanwhile, so it orders, admits and shows
 * nothing until every member has answered it from its own term. An answer from a newer term
 * means the others moved on: the leader is deposed and waits for the {@code NotMember} that
 * tells it so.
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

    public void begin() {
        phase = Phase.ON_PROBATION;
        confirmedBy.clear();
    }

    /**
     * A member answered a ping from {@code term}, while this leader's view is {@code viewTerm}.
     * Returns true when that ends the probation: every one of {@code members} has confirmed.
     */
    public boolean onAnswer(NodeAddress from, long term, long viewTerm, Collection<NodeAddress> members) {
        if (phase != Phase.ON_PROBATION || !members.contains(from)) {
            return false;
        }
        if (term > viewTerm) {
            phase = Phase.DEPOSED;
            return false;
        }
        if (term < viewTerm) {
            return false; // not following this leader (outside any ring, rejoining): no confirmation
        }
        confirmedBy.add(from);
        return check(members);
    }

    /** The membership changed (members removed): true when everyone left has confirmed. */
    public boolean check(Collection<NodeAddress> members) {
        if (phase == Phase.ON_PROBATION && confirmedBy.containsAll(members)) {
            phase = Phase.NONE;
            return true;
        }
        return false;
    }

    /** Not leading any more (removed, or a new view names another leader). */
    public void reset() {
        phase = Phase.NONE;
        confirmedBy.clear();
    }

    public boolean active() {
        return phase != Phase.NONE;
    }

    public Phase phase() {
        return phase;
    }
}
