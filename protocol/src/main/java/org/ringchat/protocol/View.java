package org.ringchat.protocol;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The membership as the leader of {@code term} decided it. Members are listed in ring order,
 * which is seniority order (ascending rank): each member's next is the following entry, the last
 * member's next is the first. {@code version} grows with every change inside a term, so
 * {@code (term, version)} orders all views ever issued.
 */
public record View(long term, long version, NodeAddress leader, List<Member> members, long nextRank) {

    public View {
        Objects.requireNonNull(leader, "leader");
        Bounds.counter("term", term);
        Bounds.counter("version", version);
        Bounds.counter("nextRank", nextRank);
        members = List.copyOf(Bounds.size("members", members, Bounds.MAX_MEMBERS));
        for (int i = 1; i < members.size(); i++) {
            if (members.get(i - 1).rank() >= members.get(i).rank()) {
                throw new IllegalArgumentException("members must be in ascending rank order");
            }
        }
    }

    public static final Comparator<View> AGE =
            Comparator.comparingLong(View::term).thenComparingLong(View::version);

    public boolean newerThan(View other) {
        return other == null || AGE.compare(this, other) > 0;
    }

    public Optional<Member> member(NodeAddress address) {
        for (Member m : members) {
            if (m.address().equals(address)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public boolean contains(NodeAddress address) {
        return member(address).isPresent();
    }

    public int size() {
        return members.size();
    }
}
