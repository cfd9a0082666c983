package org.ringchat.protocol;

import java.util.Comparator;
import java.util.Objects;

/**
 * A Chang–Roberts election id. Ids are totally ordered and unique: a lower rank (more senior
 * member) is better; the address breaks ties that cannot happen with leader-issued ranks.
 */
public record Candidate(long rank, NodeAddress address) implements Comparable<Candidate> {

    private static final Comparator<Candidate> ORDER =
            Comparator.comparingLong(Candidate::rank).thenComparing(Candidate::address);

    public Candidate {
        Objects.requireNonNull(address, "address");
        Bounds.counter("candidate rank", rank);
    }

    /** True when this candidate should win against {@code other}. */
    public boolean betterThan(Candidate other) {
        return compareTo(other) < 0;
    }

    /** Natural order: best candidate first. */
    @Override
    public int compareTo(Candidate o) {
        return ORDER.compare(this, o);
    }
}
