package org.ringchat.protocol;

import java.util.Objects;

/**
 * A ring member as the leader admitted it. {@code rank} is its seniority: the leader hands out
 * ranks in order of admission, so the lowest rank is the most senior member. Ranks are never
 * reused, which makes them unique election ids.
 */
public record Member(String name, NodeAddress address, long rank) {

    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Bounds.name("member name", name);
        Bounds.counter("rank", rank);
    }

    /** How people see a member: {@code Name(IP:port)}. */
    public String display() {
        return name + "(" + address + ")";
    }

    public Candidate candidate() {
        return new Candidate(rank, address);
    }

    @Override
    public String toString() {
        return display() + "#" + rank;
    }
}
