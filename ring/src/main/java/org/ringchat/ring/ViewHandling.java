package org.ringchat.ring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.Heartbeat;
import org.ringchat.protocol.Message.MembershipChange;
import org.ringchat.protocol.Message.MembershipUpdate;
import org.ringchat.protocol.Message.NotMember;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.Membership;
import org.ringchat.ring.core.Membership.Repair;

/**
 * This node's standing in the ring: its status, the leader's last view and the members it routes
 * around meanwhile ({@link Membership}). It adopts the leader's views and reports what changed
 * (joins, departures, neighbours, a new leader); as the leader it publishes views. The other
 * parts read the ring through it and change it only through its methods.
 */
final class ViewHandling {

    /** What the rest of the node does when the ring changes. */
    interface Changes {
        /** A view was adopted; {@code newLeader} when its leader or term differs from before. */
        void viewAdopted(View view, boolean newLeader);

        /** This node's previous changed with a new view: election messages go to it from now on. */
        void previousChanged();

        /** The leader's view no longer has this node: it hung or was cut off, and was removed. */
        void removed(View view);

        /**
         * A newer term's leader counts this node in, and this node's own leader follows it, but
         * this node missed the step to it: it rejoins through that leader.
         */
        void leftBehind(View view);

        /**
         * This leader's members in {@code view} lead or follow another piece of this ring, split
         * from this one: they are out of this piece, to be merged back. {@code from}, a member
         * of this leader's that the view holds, said so.
         */
        void anotherPiece(View view, NodeAddress from);

        /** The leader removed this node for good ({@code !remove}): it stops, saying so. */
        void expelled(View view);

        /** The ring closed around this leaving node. */
        void leaveConfirmed();

        /** A view this node adopted lists these departures (before {@link #viewAdopted} for it). */
        void departed(View view, List<Departure> departed);
    }

    private final NodeEffects fx;
    private Changes changes;
    private Status status = Status.JOINING;
    private Membership membership;
    private Member me;
    /** The snapshot's standing, until it changes. */
    private RingView shape;
    /**
     * Leader: its last view's change, if the view went as one, and the members it sent the change
     * again since (once each: {@link #onHeartbeat}).
     */
    private MembershipChange lastChange;
    /**
     * Leader: the members whose last lost link had the chat resend go first ({@link #linkLost});
     * the next one sends the view first. Cleared with every view this leader publishes.
     */
    private final Set<NodeAddress> chatWentFirst = new HashSet<>();
    private final Set<NodeAddress> changeResent = new HashSet<>();
    /** When this node took its view, and the members it relayed that view to since ({@link #onHeartbeat}). */
    private long viewSince;
    private final Set<NodeAddress> viewRelayedTo = new HashSet<>();

    ViewHandling(NodeEffects fx) {
        this.fx = fx;
        this.me = new Member(fx.config.name(), fx.config.address(), 0);
    }

    void wire(Changes changes) {
        this.changes = changes;
    }

    // ---- reading the ring ------------------------------------------------------------------

    Status status() {
        return status;
    }

    boolean inRing() {
        return membership != null;
    }

    /** True while this node is the leader of its view (whether or not it may order yet). */
    boolean isLeader() {
        return status == Status.MEMBER && membership != null && membership.isLeader();
    }

    Member me() {
        return me;
    }

    View view() {
        return membership.view();
    }

    NodeAddress leader() {
        return membership.view().leader();
    }

    List<NodeAddress> others() {
        return membership.others();
    }

    NodeAddress next() {
        return membership.next();
    }

    NodeAddress previous() {
        return membership.previous();
    }

    /** See {@link Membership#mayBeNext}. */
    boolean mayBeNext(NodeAddress from, NodeAddress lost) {
        return membership != null && membership.mayBeNext(from, lost);
    }

    Set<NodeAddress> watched() {
        return membership.watched();
    }

    boolean contains(NodeAddress peer) {
        return membership != null && membership.contains(peer);
    }

    boolean isReachable(NodeAddress peer) {
        return membership.isReachable(peer);
    }

    /** Members this node routes around until the leader's next view. */
    Set<NodeAddress> routedAround() {
        return membership.routedAround();
    }

    Optional<Member> member(NodeAddress peer) {
        return membership == null ? Optional.empty() : membership.member(peer);
    }

    /** {@code Name(IP:port)} when the peer is a member, else its address. */
    String display(NodeAddress peer) {
        return member(peer).map(Member::display).orElse(peer.toString());
    }

    // ---- changing it ------------------------------------------------------------------------

    /** Admitted as {@code me} (or started a ring): the leader's view is the ring now. */
    void enter(Member me, View view) {
        this.me = me;
        membership = new Membership(fx.self(), view);
        status = Status.MEMBER;
        reshaped();
        keepSpares(false);
        changes.viewAdopted(view, true);
    }

    /**
     * Leader: adopts a view and sends it to every other member, as its change from the view they
     * hold (this leader's before it) when a {@link MembershipChange} can say it, and whole to
     * members that left (their confirmation). A member that holds another view asks for the whole
     * one ({@link #onMembershipChange}).
     */
    void publish(View view, List<Departure> departed) {
        View base = membership.view();
        apply(view, departed);
        MembershipUpdate whole = new MembershipUpdate(view, departed);
        lastChange = MembershipChange.between(base, view, departed).orElse(null);
        changeResent.clear();
        chatWentFirst.clear();
        fx.sendAll(membership.others(), lastChange != null ? lastChange : whole);
        List<NodeAddress> gone = new ArrayList<>();
        for (Departure d : departed) {
            if (d.reason() == Departure.Reason.LEFT || d.reason() == Departure.Reason.REMOVED) {
                gone.add(d.member().address());
            }
        }
        if (!gone.isEmpty()) {
            fx.sendAll(gone, whole);
        }
    }

    /**
     * Leader: its link to {@code member} went down, and what it wrote there may have gone with
     * it, its last view too. The view goes again, whole, with the chat this leader resends
     * ({@code resendChat}, {@link ChatHandling#linkLost}), and the two take turns going first,
     * one lost link after another. Whatever goes first on the new connection may be what killed
     * the old one (a path that drops one kind of frame and resets the connection, a peer that
     * refuses a frame), and takes what follows it along: always first, the chat kept a member
     * from ever taking a new leader's views (seeds 371574, 385559, 284254, 221679: they elected
     * without the members that leader had readmitted, the only ones its last orderings reached),
     * and always first, the view kept chat from members while views were dropped (37114, 48662).
     * A member that holds the view already ignores it.
     */
    void linkLost(NodeAddress member, Runnable resendChat) {
        if (membership == null || !membership.isLeader() || !membership.contains(member)) {
            resendChat.run();
            return;
        }
        MembershipUpdate whole = new MembershipUpdate(membership.view(), List.of());
        if (chatWentFirst.remove(member)) {
            fx.send(member, whole);
            resendChat.run();
        } else {
            chatWentFirst.add(member);
            resendChat.run();
            fx.send(member, whole);
        }
    }

    /** Leader: takes members out of the ring and tells everyone; the unresponsive ones hear that they are out. */
    void remove(Map<NodeAddress, Departure.Reason> gone) {
        View view = membership.view();
        List<Member> members = new ArrayList<>();
        List<Departure> departed = new ArrayList<>();
        for (Member m : view.members()) {
            Departure.Reason reason = gone.get(m.address());
            if (reason == null || m.address().equals(fx.self())) {
                members.add(m);
            } else {
                departed.add(new Departure(m, reason));
            }
        }
        if (departed.isEmpty()) {
            return;
        }
        View next = view.next(view.term(), view.version() + 1, fx.self(), members, view.nextRank());
        publish(next, departed);
        for (Departure d : departed) {
            if (d.reason() == Departure.Reason.UNRESPONSIVE) {
                fx.send(d.member().address(), new NotMember(next)); // if it wakes, it reads first that it is out
            }
        }
    }

    /**
     * Found {@code peer} dead: route around it until the leader's next view. The caller deals
     * with what the repair changed (a new previous gets the last election message again).
     */
    Repair routeAround(NodeAddress peer) {
        if (membership == null) {
            return Repair.NONE;
        }
        Repair repair = membership.routeAround(peer);
        if (repair.neighboursChanged()) {
            reportNeighbours();
            reshaped();
        }
        return repair;
    }

    /** {@code peer}, routed around, was heard from: it is a neighbour again where it belongs. */
    Repair restore(NodeAddress peer) {
        if (membership == null) {
            return Repair.NONE;
        }
        Repair repair = membership.restore(peer);
        if (repair.neighboursChanged()) {
            reportNeighbours();
            reshaped();
        }
        return repair;
    }

    /** The leader is gone: no leader until an election and a catch-up give one. */
    void electing() {
        status = Status.ELECTING;
        reshaped();
    }

    /**
     * An election nobody took part in is given up: the leader of this node's view leads on (its
     * heartbeat came back), and this node follows it again, as if it had just adopted its view.
     * {@code quietly}: the user was never told of the election, nor is told of its end.
     */
    void followAgain(boolean quietly) {
        View view = membership.view();
        membership.restore(view.leader());
        status = Status.MEMBER;
        reshaped();
        String leader = view.member(view.leader()).orElseThrow().display();
        fx.event(quietly ? Kind.ELECTION : Kind.LEADER, "leader: " + leader + " (term " + view.term() + ")");
        changes.viewAdopted(view, true);
    }

    /** Out of the ring (removed): joining again. */
    void leftRing() {
        membership = null;
        status = Status.JOINING;
        reshaped();
    }

    void stopped() {
        status = Status.STOPPED;
        reshaped();
    }

    /** This node listens at {@code self} now (its rank comes with admission). */
    void bound(NodeAddress self) {
        me = new Member(fx.config.name(), self, 0);
        reshaped();
    }

    /** The standing changed (status, view, neighbours): the snapshot's shape is built again when next asked for. */
    private void reshaped() {
        shape = null;
        fx.changed();
    }

    /**
     * What other threads see of this node's standing. Built after every step that delivered
     * something, so the shape (leader, neighbours: lookups through the view) is kept until the
     * standing changes, and only the counts are new.
     */
    RingView snapshot(long shownSeq, int unconfirmed, long lamport) {
        if (shape == null) {
            shape = shape();
        }
        return new RingView(shape.self(), shape.status(), shape.leader(), shape.term(), shape.members(), shape.next(),
                shape.previous(), shownSeq, unconfirmed, shape.rooms(), lamport, shape.silenced(), shape.banned());
    }

    private RingView shape() {
        if (membership == null) {
            return new RingView(me, status, null, 0, List.of(), me, me, 0, 0, Map.of(), 0, List.of(), List.of());
        }
        View view = membership.view();
        Member leader = status == Status.MEMBER ? view.member(view.leader()).orElse(null) : null;
        Map<NodeAddress, String> rooms = new HashMap<>();
        view.rooms().forEach((who, room) -> rooms.put(NodeAddress.parse(who), room));
        return new RingView(me, status, leader, view.term(), view.members(), view.member(next()).orElse(me),
                view.member(previous()).orElse(me), 0, 0, rooms, 0, view.silenced(), view.banned());
    }

    // ---- messages ----------------------------------------------------------------------------

    /**
     * A view counts only from its own leader, and only if that is this node's leader (a view of
     * the same term) or the node whose catch-up it answered (the first view of a new term): no
     * stranger or other member can rewrite the ring by claiming to lead it.
     *
     * @param catchingUpWith the new leader this node answered, or its current leader
     * @param electionFruitless this node's election went nowhere ({@link ElectionHandling#fruitless})
     */
    void onMembershipUpdate(NodeAddress from, MembershipUpdate update, long electionTerm, boolean leaving,
            NodeAddress catchingUpWith, boolean electionFruitless) {
        View view = update.view();
        if (membership != null && relayed(from, view, electionFruitless)) {
            if (status == Status.MEMBER) {
                fx.note("took its leader's view t" + view.term() + "v" + view.version() + " from " + display(from)
                        + ": the leader's own update did not come");
            } else {
                fx.event(Kind.WARNING, display(from) + " holds a newer view of this node's lost leader; taking it");
            }
            apply(view, List.of());
            return;
        }
        if (membership != null && status == Status.MEMBER && from.equals(leader()) && !from.equals(view.leader())
                && view.contains(fx.self()) && view.contains(from) && view.term() >= membership.view().term()) {
            // this node's own leader sends a view in which another leads it: it went over to that
            // ring (removed from its piece, it rejoined the other), and nothing else would tell
            // this node, which it still answers. Two pieces may hold the same term, so the term
            // alone does not say the ring moved on (seed 364561: a member followed for a minute a
            // leader that had joined the other piece's ring, in the same term)
            changes.leftBehind(view);
            return;
        }
        if (membership == null || !from.equals(view.leader()) || !view.newerThan(membership.view())
                || (view.term() < electionTerm && !electionFruitless)) {
            return; // stale, or from a leader the ring is replacing
        }
        boolean ourLeader = view.term() == membership.view().term() && from.equals(membership.view().leader());
        if (!ourLeader && !from.equals(catchingUpWith)) {
            boolean movedOn = view.term() > membership.view().term() && view.contains(fx.self()) && !isLeader();
            if (movedOn && status == Status.MEMBER && view.contains(leader()) && !view.leader().equals(leader())) {
                // this node's own leader follows the sender now: the ring moved on in a newer term
                // without this node taking the step (the frames that would have taken it there were
                // lost, or it was admitted by two leaders at once). It cannot adopt a view it did not
                // catch up to; it rejoins, and the new leader takes it in with the history it lacks
                changes.leftBehind(view);
            } else if (movedOn && status == Status.ELECTING && electionFruitless && membership.contains(from)) {
                // the same, seen from an election nobody joins: the ring chose a leader without
                // this node (its frames lost), and it stood again and again in a term of its own
                changes.leftBehind(view);
            }
            return; // not the leader this node follows, nor the one a valid election made
        }
        if (!view.contains(fx.self())) {
            boolean expelled = update.departed().stream().anyMatch(d -> d.member().address().equals(fx.self())
                    && d.reason() == Departure.Reason.REMOVED);
            if (expelled) {
                changes.expelled(view);
                return;
            }
            if (status == Status.STOPPED || leaving) {
                fx.event(Kind.LEFT, "left the ring; it closed behind you (" + members(view.size()) + ")");
                changes.leaveConfirmed();
            } else {
                changes.removed(view);
            }
            return;
        }
        apply(view, update.departed());
    }

    /**
     * A merged ring's first frame ({@code RingMerged}) reached this node in an election nobody
     * joins: its piece was merged while it stood (its leader went over, and the members that did
     * drop its candidacies), and a node electing takes no merge. If that ring, newer than this
     * node's view, holds this node, it rejoins through the merged ring's leader, as from a newer
     * term's view ({@link #onMembershipUpdate}); true when it does. Otherwise its piece stood in
     * terms of its own for ever, while the merged ring's leader sent the merge again and again
     * (simulator seed 3452 with a 400 ms probe timeout).
     */
    boolean mergedWithout(NodeAddress from, View merged, boolean electionFruitless) {
        if (membership == null || status != Status.ELECTING || !electionFruitless || !from.equals(merged.leader())
                || !merged.contains(fx.self()) || merged.term() <= membership.view().term()
                || merged.ringId() == null || !merged.ringId().equals(membership.view().ringId())) {
            return false;
        }
        changes.leftBehind(merged);
        return true;
    }

    /**
     * A view written as its change from the view this node holds: adopted as the whole view would
     * be ({@link #onMembershipUpdate}). A node whose view is not the change's base (it missed a
     * view, or holds another piece's) cannot build the new one: if the change is newer than its
     * view and comes from the new view's leader, it asks that leader for the whole view with a
     * heartbeat of its own ({@link #onHeartbeat}), as a node that lost a view with a connection
     * gets it again.
     */
    void onMembershipChange(NodeAddress from, MembershipChange change, long electionTerm, boolean leaving,
            NodeAddress catchingUpWith, boolean electionFruitless) {
        if (membership == null) {
            return;
        }
        View mine = membership.view();
        Optional<View> view = change.applyTo(mine);
        if (view.isPresent()) {
            onMembershipUpdate(from, new MembershipUpdate(view.get(), change.departed()), electionTerm, leaving,
                    catchingUpWith, electionFruitless);
        } else if (from.equals(change.leader()) && (change.term() > mine.term()
                || (change.term() == mine.term() && change.version() > mine.version()))) {
            fx.send(from, new Heartbeat(mine.term(), mine.version()));
        }
    }

    /**
     * A heartbeat says which view its sender holds. A node not in this node's newer view was
     * removed and is told so; the leader sends its view again to a member that holds an older one
     * (a view lost with a dropped connection), as the change again if the heartbeat shows the
     * change's base ({@link #crossedTheChange}), else whole.
     *
     * <p>A leader that stepped down for an election still sends its view: a member that missed it
     * drops the candidacies of the members it does not know, so that the election needs it (seed
     * 18231: a member without the view that admitted the leader's previous dropped every election
     * passed on by that previous, and the ring elected for ever). A crashed leader cannot: its
     * electing members send its view instead, which a member whose election is fruitless takes
     * ({@link #relayed}).
     */
    void onHeartbeat(NodeAddress from, Heartbeat heartbeat) {
        if (membership == null) {
            return;
        }
        View view = membership.view();
        boolean older = view.term() > heartbeat.term()
                || (view.term() == heartbeat.term() && view.version() > heartbeat.version());
        if (!older) {
            return;
        }
        if (!membership.contains(from)) {
            fx.send(from, new NotMember(view));
        } else if (membership.isLeader()) {
            fx.send(from, crossedTheChange(from, heartbeat) ? lastChange : new MembershipUpdate(view, List.of()));
        } else if (status == Status.ELECTING) {
            // the leader that made this view may be gone: its members send it instead (#relayed)
            fx.send(from, new MembershipUpdate(view, List.of()));
        } else if (status == Status.MEMBER && view.term() == heartbeat.term()
                && fx.now() - viewSince >= fx.config.suspectMs() && viewRelayedTo.add(from)) {
            // a member of this leader's still shows an older version of its view long after this
            // one came: the leader's own frames may not reach it (a one-way cut). Missing its
            // last joins, it would elect among the members it knows and lead without the newer
            // ones (seed 66079); this member sends it the view, once (#relayed)
            fx.send(from, new MembershipUpdate(view, List.of()));
        }
    }

    /**
     * A newer version of this node's own lost leader's view, relayed by a member of its ring while
     * this node's election is fruitless. A member that missed the views of its leader's last joins
     * knows none of the newcomers: it drops their candidacies, and with the leader crashed nobody
     * could send it those views, so the ring elected for ever (seeds 113484, 93691). It takes the
     * view (its leader's own, in its term) and follows that leader again, which it finds gone and
     * elects a successor with the others, on the ring they all hold now. The same for a view of a
     * newer term that lists the member relaying it: the ring moved on to a leader that crashed
     * before this node took its first view, and the others' candidacies died at this node, which
     * knew none of the members that leader's view ranked anew (seed 69727).
     */
    private boolean relayed(NodeAddress from, View view, boolean electionFruitless) {
        View mine = membership.view();
        if (status == Status.MEMBER) {
            // a newer version of its own leader's view, from a member of it: the leader's own
            // update did not reach it
            return !from.equals(view.leader()) && !isLeader() && membership.contains(from) && view.contains(from)
                    && view.term() == mine.term() && view.leader().equals(mine.leader())
                    && view.version() > mine.version() && view.contains(fx.self());
        }
        boolean newer = view.term() == mine.term() ? view.leader().equals(mine.leader()) && view.version() > mine.version()
                : view.term() > mine.term() && view.contains(from);
        return !from.equals(view.leader()) && status == Status.ELECTING && electionFruitless
                && membership.contains(from) && newer && view.contains(fx.self());
    }

    /**
     * Whether a member's heartbeat shows the view this leader's last change was written against:
     * most often the heartbeat crossed the change on its way (the change reaches the member first:
     * it went out on the same link before this answer), else the change was lost with a
     * connection. The change again says it in a few hundred bytes where the whole view at 300
     * members is 16 kB (sent, before, to every member whose heartbeat crossed a view: many of
     * them at every join). Once a member and view: a member that holds another view of that term
     * and version cannot apply it, asks again, and gets the whole view.
     */
    private boolean crossedTheChange(NodeAddress from, Heartbeat heartbeat) {
        View view = membership.view();
        return lastChange != null && lastChange.term() == view.term() && lastChange.version() == view.version()
                && lastChange.baseTerm() == heartbeat.term() && lastChange.baseVersion() == heartbeat.version()
                && changeResent.add(from);
    }

    /**
     * Told it is out of a newer view. That counts from this node's leader, or, while it has none
     * (electing), from any member of its ring; a leader believes any member of its ring (the
     * others may have elected another while it was paused or cut off, and nobody above it can
     * say so). A member that says so while its leader is there may be lying: this node asks its
     * leader instead, with a heartbeat of its view, which the leader answers with
     * {@code NotMember} if it is indeed out.
     */
    void onNotMember(NodeAddress from, NotMember notMember) {
        View view = notMember.view();
        if (membership == null || !membership.contains(from) || !view.newerThan(membership.view())
                || view.contains(fx.self()) || !view.contains(from)) {
            return;
        }
        if (isLeader() && status == Status.MEMBER && anotherPiece(view)) {
            changes.anotherPiece(view, from);
        } else if (from.equals(leader()) || status != Status.MEMBER || isLeader()) {
            changes.removed(view);
        } else if (!isLeader()) {
            View mine = membership.view();
            fx.send(leader(), new Heartbeat(mine.term(), mine.version()));
        }
    }

    /**
     * True when {@code view}, newer than this leader's and without it, is this ring's (same id):
     * the view of another piece after a split, or of a ring that replaced this leader while it
     * slept. The leader tells the two apart ({@link Changes#anotherPiece}).
     */
    private boolean anotherPiece(View view) {
        View mine = membership.view();
        return mine.ringId() != null && mine.ringId().equals(view.ringId());
    }

    /**
     * The merged ring's first view, from its leader ({@code docs/partitions.md}): adopted like any
     * other, but the other piece's members are not announced one by one as joins (the merge
     * says it in one line), and this node takes its place, rank and perhaps new name from it.
     */
    void adoptMerged(View view) {
        apply(view, List.of(), true);
    }

    /**
     * {@code departed}, and the members of {@code old} that {@code after} lacks without a word
     * (gone in a view this node missed: it hears only the latest one again, with no departures)
     * as lost to a hang: whatever took them out, this node remembers them as a lost member, and
     * probes them should it lead. Otherwise a member that missed its leader's changes while the
     * ring split knew nothing of the other piece, and, leading after that leader crashed, never
     * found it again: two rings for good (seed 168158). One that left refuses the probe and is
     * forgotten.
     */
    private static List<Departure> withVanished(View old, Set<NodeAddress> after, List<Departure> departed) {
        List<Departure> all = new ArrayList<>(departed);
        for (Member m : old.members()) {
            if (!after.contains(m.address()) && departed.stream().noneMatch(d -> d.member().equals(m))) {
                all.add(new Departure(m, Departure.Reason.UNRESPONSIVE));
            }
        }
        return all;
    }

    /** Adopts a newer view and reports joins, departures, a new leader and new neighbours. */
    private void apply(View view, List<Departure> departed) {
        apply(view, departed, false);
    }

    private void apply(View view, List<Departure> departed, boolean merged) {
        View old = membership.view();
        NodeAddress oldNext = membership.next();
        NodeAddress oldPrevious = membership.previous();
        boolean newLeader = old.term() != view.term() || !old.leader().equals(view.leader()) || status != Status.MEMBER;
        membership.adopt(view);
        viewSince = fx.now();
        viewRelayedTo.clear();
        status = Status.MEMBER;
        view.member(fx.self()).ifPresent(m -> me = m); // a merge ranks (and may rename) this node anew
        reshaped();
        // sets, not View.contains (a scan per member): at 10,000 members that was 3 x 10^8 comparisons a view
        Set<NodeAddress> before = addresses(old);
        Set<NodeAddress> after = addresses(view);
        changes.departed(view, withVanished(old, after, departed));
        for (Member m : view.members()) {
            if (!merged && !before.contains(m.address()) && !m.address().equals(fx.self())) {
                fx.event(Kind.JOINED, m.display() + " joined");
            }
        }
        departed.stream().filter(d -> !d.member().address().equals(fx.self())).forEach(d -> reportDeparture(d, view));
        for (Member m : old.members()) {
            // gone in a view this node missed (it hears only the latest one again)
            if (!after.contains(m.address()) && departed.stream().noneMatch(d -> d.member().equals(m))) {
                fx.event(Kind.LEFT, m.display() + " is no longer in the ring");
            }
        }
        if (newLeader) {
            fx.event(Kind.LEADER, "leader: " + view.member(view.leader()).orElseThrow().display() + " (term " + view.term() + ")");
        }
        reportRoomsAndModeration(old, before, view);
        boolean previousChanged = !membership.previous().equals(oldPrevious);
        if (!membership.next().equals(oldNext) || previousChanged) {
            reportNeighbours();
        }
        keepSpares(newLeader);
        changes.viewAdopted(view, newLeader);
        if (previousChanged) {
            changes.previousChanged();
        }
    }

    /**
     * The deputy and every member keep proven links to each other ({@link Membership#spares}):
     * were the leader lost, the deputy's candidacy's first hop, its catch-up and its first view
     * are writes, not connects and check connections back. After a view that changes the leader
     * they are opened {@code suspectMs} later: a new deputy's spares are about four connections a
     * member (1,200 in a ring of 300), and opened at once they would compete for the CPU with the
     * new leader's first view and the lines its members submit again, which is what the failover
     * waits for (they did in a ring of 100 in one JVM; a heartbeat is less than a failover takes
     * on a loaded machine). Until then a second leader crash finds its links as the first did
     * before the spares: it opens them itself.
     */
    private void keepSpares(boolean newLeader) {
        if (!newLeader) {
            fx.standby(membership.spares());
            return;
        }
        fx.schedule("SpareLinksTask", fx.config.suspectMs(), () -> {
            if (status == Status.MEMBER) {
                fx.standby(membership.spares());
            }
        });
    }

    /** Who moved to another room, and what the leader's moderation changed. */
    private void reportRoomsAndModeration(View old, Set<NodeAddress> inOld, View view) {
        // with no rooms before or after, nobody moved: no look-up (an address turned into a string) per member
        for (Member m : old.rooms().isEmpty() && view.rooms().isEmpty() ? List.<Member>of() : view.members()) {
            String room = view.room(m.address());
            if (inOld.contains(m.address()) && !old.room(m.address()).equals(room)) {
                fx.event(Kind.ROOM, (m.address().equals(fx.self()) ? "you" : m.display()) + " moved to #" + room);
            }
        }
        String leader = view.member(view.leader()).map(Member::display).orElse("the leader");
        moderated(view.silenced(), old::isSilenced, name -> name + " was silenced by " + leader);
        moderated(old.silenced(), view::isSilenced, name -> name + " may speak again (" + leader + ")");
        moderated(view.banned(), old::isBanned, name -> name + " was removed from the ring and banned by " + leader);
        moderated(old.banned(), view::isBanned, name -> name + " was unbanned by " + leader + " and may join again");
    }

    /** A moderation event for each of {@code names} that {@code before} did not hold. */
    private void moderated(List<String> names, Predicate<String> before, Function<String, String> line) {
        names.stream().filter(n -> !before.test(n)).forEach(n -> fx.event(Kind.MODERATION, line.apply(n)));
    }

    private static Set<NodeAddress> addresses(View view) {
        Set<NodeAddress> out = new HashSet<>();
        for (Member m : view.members()) {
            out.add(m.address());
        }
        return out;
    }

    private void reportDeparture(Departure d, View view) {
        String who = d.member().display();
        switch (d.reason()) {
            case LEFT -> fx.event(Kind.LEFT, who + " left");
            case CRASHED -> fx.event(Kind.REPAIRED, who + " crashed; ring repaired (" + members(view.size()) + ")");
            case UNRESPONSIVE -> fx.event(Kind.REPAIRED, who + " stopped responding; ring repaired (" + members(view.size()) + ")");
            case REPLACED -> fx.event(Kind.LEFT, who + " is back as a new member");
            case REMOVED -> fx.event(Kind.LEFT, who + " was removed by the leader; ring repaired (" + members(view.size()) + ")");
        }
    }

    private void reportNeighbours() {
        fx.event(Kind.NEIGHBORS, "neighbours: next " + display(membership.next()) + ", previous " + display(membership.previous()));
    }

    static String members(int n) {
        return n == 1 ? "1 member" : n + " members";
    }
}
