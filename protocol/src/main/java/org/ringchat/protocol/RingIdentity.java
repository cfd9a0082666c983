package org.ringchat.protocol;

import java.util.Comparator;
import java.util.Objects;

/**
 * Which ring a node is in, as a probe answer carries it ({@code docs/partitions.md}): the ring's
 * id, the term of its current leadership, that leadership's leader, and the version of the view
 * the node holds. Two nodes are in the same ring when they have the same id and the same leader;
 * the same id with another leader means another piece of one ring, split by a partition, and
 * the pieces merge; another id means an unrelated ring, and nothing merges.
 *
 * <p>Probes ({@link Message.RingProbe}) and the merge messages carry it; {@link View#ringId()}
 * holds the id.
 */
public record RingIdentity(RingId ringId, long term, Member leader, long version) {

    public RingIdentity {
        Objects.requireNonNull(ringId, "ringId");
        Objects.requireNonNull(leader, "leader");
        Bounds.counter("term", term);
        Bounds.counter("version", version);
    }

    /**
     * A ring's id: born once, when a node starts a ring of its own ({@code -l}, or
     * {@code RingConfig} without {@code joinVia}), from the founder's address and its wall clock
     * then, and never changed after: every view carries it, a new leader's first view copies
     * it, a joiner takes it from its {@code JoinAccepted}, and a merged ring keeps the absorbing
     * ring's (which is the same id: only pieces of one ring merge). So both sides of a split
     * have the same id, and a ring someone started anew (even from a lost member's address) has
     * another.
     */
    public record RingId(long founded, NodeAddress founder) implements Comparable<RingId> {

        /** Older first: earlier founded, then the founder's address. */
        public static final Comparator<RingId> ORDER =
                Comparator.comparingLong(RingId::founded).thenComparing(RingId::founder);

        public RingId {
            Objects.requireNonNull(founder, "founder");
            Bounds.counter("founded", founded);
        }

        @Override
        public int compareTo(RingId o) {
            return ORDER.compare(this, o);
        }

        @Override
        public String toString() {
            return founder + "@" + founded;
        }
    }

    /** Whether {@code other} is this same ring (maybe at another view version): same id, same leader. */
    public boolean sameRing(RingIdentity other) {
        return ringId.equals(other.ringId) && leader.address().equals(other.leader.address());
    }

    /** Whether {@code other} is another piece of this ring: same id, another leader. */
    public boolean otherPiece(RingIdentity other) {
        return ringId.equals(other.ringId) && !leader.address().equals(other.leader.address());
    }

    @Override
    public String toString() {
        return "ring " + ringId + " term " + term + " leader " + leader.display() + " v" + version;
    }
}
