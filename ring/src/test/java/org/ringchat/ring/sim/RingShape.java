package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingView;

/**
 * Invariant 6's first half: the live nodes form exactly one ring. Each is a MEMBER of the same
 * view (same term, same leader, exactly the live nodes), the leader is its most senior member,
 * and next links go once around, agreeing with previous links.
 */
final class RingShape {

    private RingShape() {
    }

    /** Null when {@code live} is one healthy ring, else what is wrong. */
    static String problem(List<SimNode> live) {
        if (live.isEmpty()) {
            return null;
        }
        Set<NodeAddress> expected = new TreeSet<>();
        live.forEach(n -> expected.add(n.address));
        RingView first = live.get(0).view();
        for (SimNode n : live) {
            RingView v = n.view();
            if (v.status() != RingView.Status.MEMBER || v.leader() == null) {
                return n + " is " + v.status();
            }
            if (!v.leader().equals(first.leader()) || v.term() != first.term()) {
                return n + " follows " + v.leader().name() + " in term " + v.term() + ", " + live.get(0) + " follows "
                        + first.leader().name() + " in term " + first.term();
            }
            Set<NodeAddress> members = new TreeSet<>();
            v.members().forEach(m -> members.add(m.address()));
            if (!members.equals(expected)) {
                return n + " has members " + names(v.members()) + " but the live nodes are " + live;
            }
        }
        Member senior = first.members().stream().min((a, b) -> Long.compare(a.rank(), b.rank())).orElseThrow();
        if (!senior.equals(first.leader())) {
            return "leader " + first.leader() + " is not the most senior member " + senior;
        }
        return links(live);
    }

    private static String links(List<SimNode> live) {
        Map<NodeAddress, SimNode> byAddress = new TreeMap<>();
        live.forEach(n -> byAddress.put(n.address, n));
        Set<NodeAddress> visited = new TreeSet<>();
        SimNode at = live.get(0);
        for (int i = 0; i < live.size(); i++) {
            if (!visited.add(at.address)) {
                return "next links loop early at " + at;
            }
            SimNode next = byAddress.get(at.view().next().address());
            if (next == null) {
                return at + "'s next " + at.view().next().name() + " is not live";
            }
            if (!next.view().previous().address().equals(at.address)) {
                return at + "'s next is " + next + " but its previous is " + next.view().previous().name();
            }
            at = next;
        }
        return at == live.get(0) ? null : "next links do not close";
    }

    private static List<String> names(List<Member> members) {
        List<String> out = new ArrayList<>();
        members.forEach(m -> out.add(m.name()));
        return out;
    }
}
