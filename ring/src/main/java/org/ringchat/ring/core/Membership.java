package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;

/**
 * The ring as one node knows it: the leader's last view, plus the members this node itself found
 * unreachable since (which it routes around until the leader's next view settles them). Next and
 * previous are the nearest reachable members after and before this node in ring order.
 */
public final class Membership {

    private final NodeAddress self;
    private View view;
    /**
     * Where each member stands in the view's list: every look-up by address costs the same in a
     * ring of 1,000 as in a ring of 3 (a leader looks one up for every frame it hears).
     */
    private Map<NodeAddress, Integer> index;
    private final Set<NodeAddress> unreachable = new HashSet<>();

    public Membership(NodeAddress self, View view) {
        this.self = Objects.requireNonNull(self, "self");
        this.view = Objects.requireNonNull(view, "view");
        this.index = index(view);
    }

    private static Map<NodeAddress, Integer> index(View view) {
        List<Member> members = view.members();
        Map<NodeAddress, Integer> out = new HashMap<>(members.size() * 2);
        for (int i = 0; i < members.size(); i++) {
            out.putIfAbsent(members.get(i).address(), i); // the first, as a scan from the start would find
        }
        return out;
    }

    public View view() {
        return view;
    }

    /** Adopts a view; the leader has settled who is in, so local suspicions start afresh. */
    public void adopt(View newView) {
        this.view = newView;
        this.index = index(newView);
        unreachable.clear();
    }

    public NodeAddress self() {
        return self;
    }

    public boolean isLeader() {
        return view.leader().equals(self);
    }

    public Optional<Member> member(NodeAddress address) {
        Integer at = index.get(address);
        return at == null ? Optional.empty() : Optional.of(view.members().get(at));
    }

    public boolean contains(NodeAddress address) {
        return index.containsKey(address);
    }

    /** What routing around a dead member changed for this node. */
    public record Repair(boolean news, boolean nextChanged, boolean previousChanged) {
        public static final Repair NONE = new Repair(false, false, false);

        public boolean neighboursChanged() {
            return nextChanged || previousChanged;
        }
    }

    /**
     * This node found {@code address} dead: from now on its next and previous skip it, until the
     * leader's next view settles the question.
     */
    public Repair routeAround(NodeAddress address) {
        NodeAddress oldNext = next();
        NodeAddress oldPrevious = previous();
        if (address.equals(self) || !contains(address) || !unreachable.add(address)) {
            return Repair.NONE;
        }
        return new Repair(true, !next().equals(oldNext), !previous().equals(oldPrevious));
    }

    /**
     * {@code address}, routed around, turns out to be alive (it was heard from): it is a
     * neighbour again where it belongs. Until the leader's next view only this node knew it had
     * given up on it, and with no leader to settle the question nobody else would.
     */
    public Repair restore(NodeAddress address) {
        NodeAddress oldNext = next();
        NodeAddress oldPrevious = previous();
        if (!unreachable.remove(address)) {
            return Repair.NONE;
        }
        return new Repair(true, !next().equals(oldNext), !previous().equals(oldPrevious));
    }

    public boolean isReachable(NodeAddress address) {
        return !unreachable.contains(address);
    }

    /** The members this node routes around until the leader's next view. */
    public Set<NodeAddress> routedAround() {
        return Set.copyOf(unreachable);
    }

    /** Members of the view this node has not found dead, in ring order. */
    public List<Member> live() {
        List<Member> out = new ArrayList<>();
        for (Member m : view.members()) {
            if (!unreachable.contains(m.address())) {
                out.add(m);
            }
        }
        return out;
    }

    /** Live members other than this node. */
    public List<NodeAddress> others() {
        List<NodeAddress> out = new ArrayList<>(view.members().size());
        for (Member m : view.members()) { // live() without its list: the leader asks for every line it orders
            if (!m.address().equals(self) && !unreachable.contains(m.address())) {
                out.add(m.address());
            }
        }
        return out;
    }

    /** The nearest live member after this node in ring order; this node itself when alone. */
    public NodeAddress next() {
        return neighbour(1);
    }

    /** The nearest live member before this node in ring order; this node itself when alone. */
    public NodeAddress previous() {
        return neighbour(-1);
    }

    /**
     * The members this node keeps spare links to ({@code Transport.standby}), so that a leader
     * change finds open the links it travels on: the deputy (the first member of the view but the
     * leader, the most senior: it wins the election after the leader's crash) to every other live
     * member, and every other member to the deputy. Its candidacy's first hop, its catch-up
     * request and its first view, and the members' answers, then go on links that exist, instead
     * of on about 4·N connections opened and proven while the ring has no leader. In ring order;
     * empty for the leader, or when no other member lives.
     */
    public List<NodeAddress> spares() {
        NodeAddress leader = view.leader();
        if (isLeader()) {
            return List.of();
        }
        NodeAddress deputy = null;
        List<NodeAddress> out = new ArrayList<>();
        for (Member m : view.members()) {
            NodeAddress a = m.address();
            if (a.equals(leader) || unreachable.contains(a)) {
                continue;
            }
            if (deputy == null) {
                deputy = a;
                if (!deputy.equals(self)) {
                    return List.of(deputy);
                }
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Whether {@code from} may be this node's next on the ring as its sender sees it: every
     * member between them in ring order is one this node routes around, or {@code lost} (a member
     * the sender may have found dead first). Election messages travel from next to previous.
     */
    public boolean mayBeNext(NodeAddress from, NodeAddress lost) {
        List<Member> members = view.members();
        int n = members.size();
        int at = indexOf(self);
        if (at < 0 || indexOf(from) < 0) {
            return false;
        }
        for (int step = 1; step <= n; step++) {
            NodeAddress a = members.get(Math.floorMod(at + step, n)).address();
            if (a.equals(from)) {
                return true;
            }
            if (!unreachable.contains(a) && !a.equals(lost)) {
                return false;
            }
        }
        return false;
    }

    private int indexOf(NodeAddress address) {
        return index.getOrDefault(address, -1);
    }

    private NodeAddress neighbour(int direction) {
        List<Member> members = view.members();
        int n = members.size();
        int at = indexOf(self);
        if (at < 0) {
            return self;
        }
        for (int step = 1; step < n; step++) {
            NodeAddress a = members.get(Math.floorMod(at + direction * step, n)).address();
            if (!unreachable.contains(a)) {
                return a;
            }
        }
        return self;
    }

    /**
     * The peers whose silence this node must notice and who must hear from it: next, previous,
     * the leader, and every member when this node is the leader.
     */
    public Set<NodeAddress> watched() {
        Set<NodeAddress> out = new HashSet<>();
        if (isLeader()) {
            out.addAll(others());
        } else {
            out.add(next());
            out.add(previous());
            if (isReachable(view.leader())) {
                out.add(view.leader());
            }
        }
        out.remove(self);
        return out;
    }
}
