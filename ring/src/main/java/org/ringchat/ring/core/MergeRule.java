package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.RingIdentity;
import org.ringchat.protocol.Room;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.Names.Clash;
import org.ringchat.ring.core.Names.Key;

/**
 * When two pieces of one ring meet again after a partition, which absorbs the other, and what
 * the merged ring's first view is ({@code docs/partitions.md}).
 *
 * <p><b>The rule.</b> Only pieces of one ring merge (the same {@link RingIdentity.RingId}). Of
 * two pieces, the more senior absorbs the other, by {@link #SENIORITY}: the piece whose leader
 * has the lower rank (the piece holding the most senior member, so the merged ring is led by
 * whom one election over both pieces would have chosen, and a merged ring keeps its seniority
 * for the next merge), then the lower term (the older leadership), then the leader with the
 * lower address. Leaders of two pieces are two nodes, so the order is total, and both leaders
 * compute the same answer from the same two identities.
 *
 * <p><b>The merged view.</b> The absorbing ring's members keep their places and ranks; the
 * absorbed ring's follow in their old order, ranked anew after every rank either side issued.
 * An absorbed member whose name clashes with a name of the absorbing ring (a member's, or a
 * banned name) is renamed {@code name-2} (or {@code -3}, …), and the caller tells the user.
 */
public final class MergeRule {

    /** What this ring does with another. */
    public enum Decision {
        /** The other is this ring (same id and leader): nothing to merge. */
        SAME_RING,
        /** Another ring altogether (another id): nothing to merge. */
        UNRELATED,
        /** This ring absorbs the other. */
        ABSORB,
        /** The other ring absorbs this one. */
        ABSORBED
    }

    /** Most senior first: lower leader rank, then lower term, then lower leader address. */
    public static final Comparator<RingIdentity> SENIORITY = Comparator
            .comparingLong((RingIdentity r) -> r.leader().rank())
            .thenComparingLong(RingIdentity::term)
            .thenComparing(r -> r.leader().address());

    /** The suffix a renamed member's name gets before its number: {@code bob} becomes {@code bob-2}. */
    public static final String RENAME_SEPARATOR = "-";

    /** An absorbed member the merge renamed, as it was and as it is now. */
    public record Rename(Member before, Member after) {
    }

    /**
     * The merged ring's first view, who was renamed, and who was left out because the absorbing
     * ring already has a member at its address (a node that went over to the other side).
     */
    public record Merged(View view, List<Rename> renamed, List<Member> alreadyMembers) {
    }

    private MergeRule() {
    }

    /** What the ring {@code mine} does with the ring {@code theirs}; the other side computes the mirror image. */
    public static Decision decide(RingIdentity mine, RingIdentity theirs) {
        if (!mine.ringId().equals(theirs.ringId())) {
            return Decision.UNRELATED;
        }
        if (mine.sameRing(theirs)) {
            return Decision.SAME_RING;
        }
        return SENIORITY.compare(mine, theirs) < 0 ? Decision.ABSORB : Decision.ABSORBED;
    }

    /**
     * The merged ring's term: past both pieces' terms, so that every member of either piece takes
     * the merged view as newer than any it holds, and no two leaders ever share a term.
     */
    public static long mergedTerm(RingIdentity a, RingIdentity b) {
        return Math.max(a.term(), b.term()) + 1;
    }

    /**
     * The merged ring's first view (version 1 of {@code term}, led by the absorbing ring's
     * leader): the absorbing ring's members, then the absorbed ring's in their old order, each
     * ranked anew; rooms kept per member; moderation as {@code docs/partitions.md} says.
     */
    public static Merged merge(View absorbing, View absorbed, long term) {
        List<Member> members = new ArrayList<>(absorbing.members());
        List<Key> taken = new ArrayList<>();
        absorbing.members().forEach(m -> taken.add(Key.of(m.name())));
        absorbing.banned().forEach(n -> taken.add(Key.of(n)));
        List<Key> absorbedNames = absorbed.members().stream().map(m -> Key.of(m.name())).toList();
        List<Rename> renamed = new ArrayList<>();
        List<Member> alreadyMembers = new ArrayList<>();
        Map<String, String> rooms = new TreeMap<>(absorbing.rooms());
        List<String> silenced = new ArrayList<>();
        long rank = Math.max(absorbing.nextRank(), absorbed.nextRank());
        for (Member m : absorbed.members()) {
            if (absorbing.contains(m.address())) {
                alreadyMembers.add(m);
                continue;
            }
            String name = m.name();
            if (clashes(Key.of(name), taken)) {
                name = rename(name, taken, absorbedNames);
            }
            Member placed = new Member(name, m.address(), rank++);
            members.add(placed);
            taken.add(Key.of(name));
            if (!name.equals(m.name())) {
                renamed.add(new Rename(m, placed));
            }
            String room = absorbed.room(m.address());
            if (!room.equals(Room.GENERAL)) {
                rooms.put(m.address().toString(), room);
            }
            if (absorbed.isSilenced(m.name())) {
                silenced.add(name);
            }
        }
        // an absorbed member's silence is its own side's leader's to decide; the rest is the absorbing ring's
        for (String s : absorbing.silenced()) {
            boolean absorbedOnly = absorbed.members().stream().anyMatch(m -> m.name().equalsIgnoreCase(s))
                    && absorbing.members().stream().noneMatch(m -> m.name().equalsIgnoreCase(s));
            if (!absorbedOnly && silenced.stream().noneMatch(s::equalsIgnoreCase)) {
                silenced.add(s);
            }
        }
        // every ban stands, but the absorbed ring's cannot shut out a member of the absorbing one
        List<String> banned = new ArrayList<>(absorbing.banned());
        for (String b : absorbed.banned()) {
            boolean holder = absorbing.members().stream().anyMatch(m -> m.name().equalsIgnoreCase(b));
            if (!holder && banned.stream().noneMatch(b::equalsIgnoreCase)) {
                banned.add(b);
            }
        }
        View view = new View(term, 1, absorbing.leader(), members, rank, rooms, silenced, banned, absorbing.ringId());
        return new Merged(view, List.copyOf(renamed), List.copyOf(alreadyMembers));
    }

    private static boolean clashes(Key key, List<Key> taken) {
        return taken.stream().anyMatch(t -> key.clash(t) != Clash.NONE);
    }

    /**
     * {@code name-2}, {@code name-3}, …: the first that is a valid name clashing with nothing
     * taken nor with any absorbed member's own name (which it could otherwise take from a member
     * placed after it). The name is cut short, by whole code points, when the suffix would make
     * it longer than {@link Names#MAX_LENGTH}.
     */
    static String rename(String name, List<Key> taken, List<Key> absorbedNames) {
        int attempts = 3 * (taken.size() + absorbedNames.size()) + 2; // a name blocks at most three candidates
        for (int n = 2; n < attempts + 2; n++) {
            String suffix = RENAME_SEPARATOR + n;
            String base = name;
            while (base.codePointCount(0, base.length()) + suffix.length() > Names.MAX_LENGTH) {
                base = base.substring(0, base.offsetByCodePoints(0, base.codePointCount(0, base.length()) - 1));
            }
            String candidate = Names.normalize(base + suffix);
            if (Names.problem(candidate) != null) {
                continue;
            }
            Key key = Key.of(candidate);
            if (!clashes(key, taken) && !clashes(key, absorbedNames)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free name for " + name);
    }
}
