package org.ringchat.protocol;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.ringchat.protocol.RingIdentity.RingId;

/**
 * The membership as the leader of {@code term} decided it, with the state the ring keeps
 * alongside it. Members are listed in ring order, which is seniority order (ascending rank):
 * each member's next is the following entry, the last member's next is the first.
 * {@code version} grows with every change inside a term, so {@code (term, version)} orders all
 * views ever issued.
 *
 * <p>{@code rooms} names the room of each member not in {@link Room#GENERAL} (by address);
 * {@code silenced} and {@code banned} are the names the leader silenced or removed and banned.
 * A new leader's first view carries them on, so they survive a leader change.
 *
 * <p>{@code ringId} names the ring: set once by the node that started it, carried by every
 * view after, and the same on both sides of a partition, so that only pieces of one ring merge
 * ({@code docs/partitions.md}). A view without one (from a test, or an older peer) never merges.
 */
public record View(long term, long version, NodeAddress leader, List<Member> members, long nextRank,
        Map<String, String> rooms, List<String> silenced, List<String> banned, RingId ringId) {

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
        rooms = rooms == null ? Map.of() : Map.copyOf(rooms);
        if (rooms.size() > Bounds.MAX_MEMBERS) {
            throw new IllegalArgumentException("rooms: " + rooms.size() + " entries, at most " + Bounds.MAX_MEMBERS);
        }
        rooms.forEach((who, room) -> {
            NodeAddress.parse(who);
            Room.check(room);
        });
        silenced = names("silenced", silenced);
        banned = names("banned", banned);
    }

    /** A view with no rooms (everyone in {@link Room#GENERAL}), nobody silenced or banned, and no ring id. */
    public View(long term, long version, NodeAddress leader, List<Member> members, long nextRank) {
        this(term, version, leader, members, nextRank, Map.of(), List.of(), List.of(), null);
    }

    /** A view with no ring id. */
    public View(long term, long version, NodeAddress leader, List<Member> members, long nextRank,
            Map<String, String> rooms, List<String> silenced, List<String> banned) {
        this(term, version, leader, members, nextRank, rooms, silenced, banned, null);
    }

    private static List<String> names(String what, List<String> names) {
        if (names == null) {
            return List.of();
        }
        names = List.copyOf(Bounds.size(what, names, Bounds.MAX_MEMBERS));
        names.forEach(n -> Bounds.name(what, n));
        return names;
    }

    /**
     * The next view of this ring: these members under this leader, the ring's state carried on
     * (the rooms of members no longer listed forgotten).
     */
    public View next(long term, long version, NodeAddress leader, List<Member> members, long nextRank) {
        if (rooms.isEmpty()) { // most rings use no room: no address turned into a string per member
            return new View(term, version, leader, members, nextRank, Map.of(), silenced, banned, ringId);
        }
        Map<String, String> kept = new TreeMap<>();
        for (Member m : members) {
            String room = rooms.get(m.address().toString());
            if (room != null) {
                kept.put(m.address().toString(), room);
            }
        }
        return new View(term, version, leader, members, nextRank, kept, silenced, banned, ringId);
    }

    /** The room {@code address} is in ({@link Room#GENERAL} unless the view says otherwise). */
    public String room(NodeAddress address) {
        return rooms.getOrDefault(address.toString(), Room.GENERAL);
    }

    /** The next version, with {@code address} in {@code room}. */
    public View withRoom(NodeAddress address, String room) {
        Map<String, String> changed = new TreeMap<>(rooms);
        if (room.equals(Room.GENERAL)) {
            changed.remove(address.toString());
        } else {
            changed.put(address.toString(), room);
        }
        return new View(term, version + 1, leader, members, nextRank, changed, silenced, banned, ringId);
    }

    /** The next version, with these names silenced and banned. */
    public View withModeration(List<String> silenced, List<String> banned) {
        return new View(term, version + 1, leader, members, nextRank, rooms, silenced, banned, ringId);
    }

    /** Whether {@code name} is silenced (names compare without case). */
    public boolean isSilenced(String name) {
        return containsName(silenced, name);
    }

    /** Whether {@code name} is banned from the ring (names compare without case). */
    public boolean isBanned(String name) {
        return containsName(banned, name);
    }

    private static boolean containsName(List<String> names, String name) {
        for (String n : names) { // a loop, not a stream: the leader asks for every line it orders (issue 10)
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A 64-bit fingerprint of everything this view says (its fields mixed in a fixed order, the
     * rooms sorted by member; strings by their {@link String#hashCode()}, which Java specifies),
     * the same in every JVM. A {@link Message.MembershipChange} names its base by it, so that a
     * member holding another view of the same term and version (another piece's, after a split)
     * never applies a change to it. O(members), a few microseconds at 300.
     */
    public long digest() {
        Mix h = new Mix().add(term).add(version).add(leader).add(nextRank).add(members.size());
        for (Member m : members) {
            h.add(m.name()).add(m.address()).add(m.rank());
        }
        h.add(rooms.size());
        new TreeMap<>(rooms).forEach((who, room) -> h.add(who).add(room));
        h.add(silenced.size());
        silenced.forEach(h::add);
        h.add(banned.size());
        banned.forEach(h::add);
        if (ringId != null) {
            h.add(ringId.founded()).add(ringId.founder());
        }
        return h.value;
    }

    /** Mixes longs, strings and addresses into 64 bits (a multiply and a shift a value). */
    private static final class Mix {
        long value = 0xcbf29ce484222325L;

        Mix add(long x) {
            value = (value ^ x) * 0x9e3779b97f4a7c15L;
            value ^= value >>> 29;
            return this;
        }

        Mix add(String s) {
            return add(((long) s.length() << 32) | (s.hashCode() & 0xffffffffL));
        }

        Mix add(NodeAddress a) {
            return add(a.host()).add(a.port());
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

    /** Which ring this view is of, as a probe answer says it; null when it has no ring id. */
    public RingIdentity identity() {
        return ringId == null ? null : new RingIdentity(ringId, term, member(leader).orElseThrow(), version);
    }

    public boolean contains(NodeAddress address) {
        return member(address).isPresent();
    }

    public int size() {
        return members.size();
    }
}
