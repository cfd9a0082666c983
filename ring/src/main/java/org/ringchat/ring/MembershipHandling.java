package org.ringchat.ring;

import org.ringchat.ring.transport.NodeExecutor.Cancellable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.JoinAccepted;
import org.ringchat.protocol.Message.JoinRejected;
import org.ringchat.protocol.Message.JoinRequest;
import org.ringchat.protocol.Message.Leave;
import org.ringchat.protocol.Message.MembershipUpdate;
import org.ringchat.protocol.Message.NotMember;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.ChangRobertsElection;
import org.ringchat.ring.core.Membership;

/**
 * Who is in the ring: starting one, joining through any member, the leader's admissions and
 * removals, applying the leader's views, graceful leaves, and finding out that this node was
 * removed (then joining again under the same name).
 */
final class MembershipHandling {

    private final NodeContext ctx;
    private final Node node;
    /** Join requests that reached this member while there was no leader to forward them to. */
    private final List<JoinRequest> heldJoins = new ArrayList<>();
    /** Members to try, in turn, when joining again after a removal. */
    private final Deque<NodeAddress> rejoinTargets = new ArrayDeque<>();
    /** Join requests held during an election at most; more are refused (the joiner may retry). */
    static final int MAX_HELD_JOINS = 100;

    private final CompletableFuture<Void> admitted = new CompletableFuture<>();
    private NodeAddress joinTarget;
    private Cancellable joinTimer;
    private boolean rejoining;

    MembershipHandling(NodeContext ctx, Node node) {
        this.ctx = ctx;
        this.node = node;
    }

    CompletableFuture<Void> admitted() {
        return admitted;
    }

    // ---- starting and joining -------------------------------------------------------------

    void startRing() {
        ctx.me = new Member(ctx.config.name(), ctx.self, 1);
        View view = new View(1, 1, ctx.self, List.of(ctx.me), 2);
        enterRing(view);
        ctx.event(Kind.WELCOME, "started a new ring at " + ctx.self + "; you are the leader");
        node.chat().resubmitAll();
        admitted.complete(null);
    }

    void join(NodeAddress contact) {
        ctx.status = Status.JOINING;
        joinTarget = contact;
        ctx.send(contact, new JoinRequest(ctx.config.name(), ctx.self, rejoining ? ctx.history.delivered() : -1));
        if (joinTimer != null) {
            joinTimer.cancel();
        }
        joinTimer = ctx.schedule(this::joinTimedOut, ctx.config.joinTimeoutMs());
        ctx.publish();
    }

    private void joinTimedOut() {
        if (ctx.status != Status.JOINING) {
            return;
        }
        joinFailed("no answer from " + joinTarget + " within " + ctx.config.joinTimeoutMs() / 1000.0 + " s");
    }

    private void joinFailed(String why) {
        if (!rejoining) {
            node.fail(new JoinException(why));
            return;
        }
        ctx.event(Kind.WARNING, "could not rejoin through " + joinTarget + ": " + why);
        NodeAddress next = rejoinTargets.pollFirst();
        if (next == null) {
            node.fail(new JoinException("removed from the ring and no member would take this node back"));
            return;
        }
        join(next);
    }

    /** A link to the node we asked to join through went down. */
    void onLinkDown(NodeAddress peer, boolean connectFailed) {
        if (ctx.status == Status.JOINING && peer.equals(joinTarget) && connectFailed) {
            joinFailed("nobody is listening at " + peer);
        }
    }

    void onJoinAccepted(NodeAddress from, JoinAccepted accepted) {
        if (ctx.status != Status.JOINING || !accepted.you().address().equals(ctx.self)) {
            return;
        }
        if (joinTimer != null) {
            joinTimer.cancel();
        }
        ctx.me = accepted.you();
        if (rejoining) {
            catchUp(accepted.history());
        } else {
            ctx.history.startFrom(accepted.history());
            ctx.markShown(ctx.history.delivered());
        }
        ctx.outgoing.admittedWith(accepted.nextMsgId());
        View view = accepted.view();
        enterRing(view);
        Member leader = view.member(view.leader()).orElseThrow();
        ctx.event(Kind.WELCOME, (rejoining ? "rejoined" : "joined") + " the ring: " + members(view.size())
                + ", leader " + leader.display());
        rejoining = false;
        node.chat().resubmitAll();
        admitted.complete(null);
    }

    /** After a removal: show what was missed, as far as the leader's history reaches. */
    private void catchUp(List<ChatDeliver> leaderHistory) {
        if (!leaderHistory.isEmpty() && leaderHistory.get(0).seq() > ctx.history.delivered() + 1) {
            long missed = leaderHistory.get(0).seq() - ctx.history.delivered() - 1;
            ctx.event(Kind.WARNING, missed + " messages were ordered while this node was away and are too old to show");
            ctx.deliver(ctx.history.skipTo(leaderHistory.get(0).seq() - 1));
        }
        for (ChatDeliver d : leaderHistory) {
            ctx.deliver(ctx.history.accept(d));
        }
    }

    void onJoinRejected(NodeAddress from, JoinRejected rejected) {
        if (ctx.status == Status.JOINING) {
            if (joinTimer != null) {
                joinTimer.cancel();
            }
            rejoinTargets.clear();
            joinFailed("join refused by " + from + ": " + rejected.reason());
        }
    }

    private void enterRing(View view) {
        ctx.membership = new Membership(ctx.self, view);
        ctx.election = new ChangRobertsElection(ctx.me.candidate(), node.leaderChange()::toNext);
        Member leader = view.member(view.leader()).orElseThrow();
        ctx.election.leaderKnown(leader.candidate(), view.term());
        ctx.status = Status.MEMBER;
        ctx.acceptFrom = view.leader();
        ctx.detector.watch(ctx.membership.watched(), ctx.now());
        ctx.publish();
        releaseHeldJoins();
    }

    // ---- admissions (leader) and forwarding ------------------------------------------------

    void onJoinRequest(NodeAddress from, JoinRequest request) {
        boolean direct = from.equals(request.joiner());
        if (!direct && (ctx.membership == null || !ctx.membership.contains(from)) && !from.equals(ctx.self)) {
            return; // only the joiner itself, or a member forwarding it, may ask
        }
        if (ctx.membership == null) {
            ctx.send(request.joiner(), new JoinRejected(ctx.self + " is not in a ring right now; try another member"));
        } else if (ctx.isLeader() && !ctx.leaderOnProbation) {
            admit(request);
        } else if (ctx.status == Status.MEMBER && !ctx.isLeader()) {
            ctx.send(ctx.membership.view().leader(), request);
        } else if (heldJoins.size() < MAX_HELD_JOINS) {
            heldJoins.add(request);
        } else {
            ctx.send(request.joiner(), new JoinRejected("the ring is electing a leader; try again in a moment"));
        }
    }

    void releaseHeldJoins() {
        List<JoinRequest> held = new ArrayList<>(heldJoins);
        heldJoins.clear();
        for (JoinRequest r : held) {
            onJoinRequest(ctx.self, r);
        }
    }

    private void admit(JoinRequest request) {
        View view = ctx.membership.view();
        if (!RingConfig.NAME.matcher(request.name()).matches()) {
            ctx.send(request.joiner(), new JoinRejected("bad name '" + request.name() + "'"));
            return;
        }
        String lower = request.name().toLowerCase(Locale.ROOT);
        List<Departure> departed = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        for (Member m : view.members()) {
            if (m.address().equals(request.joiner())) {
                departed.add(new Departure(m, Departure.Reason.REPLACED));
            } else if (m.name().toLowerCase(Locale.ROOT).equals(lower)) {
                ctx.send(request.joiner(), new JoinRejected("the name '" + request.name() + "' is taken by " + m.display()));
                return;
            } else {
                members.add(m);
            }
        }
        Member joiner = new Member(request.name(), request.joiner(), view.nextRank());
        members.add(joiner);
        View next = new View(view.term(), view.version() + 1, ctx.self, members, view.nextRank() + 1);
        List<ChatDeliver> history = ctx.frameBudget.tail(ctx.history.tail(ctx.config.joinHistory()));
        List<ChatDeliver> replay = List.of();
        if (request.afterSeq() >= 0) {
            // back after a removal: replay what it missed, one frame per message
            List<ChatDeliver> missed = ctx.history.after(request.afterSeq());
            boolean gap = !missed.isEmpty() && missed.get(0).seq() > request.afterSeq() + 1;
            history = gap ? missed.subList(0, 1) : List.of();
            replay = missed.subList(history.size(), missed.size());
        }
        ctx.send(request.joiner(), new JoinAccepted(joiner, next, ctx.history.lastMsgId(request.joiner()) + 1, history));
        for (ChatDeliver d : replay) {
            ctx.send(request.joiner(), d);
        }
        publishView(next, departed);
    }

    /** Leader: takes members out of the ring and tells everyone. */
    void remove(Map<NodeAddress, Departure.Reason> gone) {
        View view = ctx.membership.view();
        List<Member> members = new ArrayList<>();
        List<Departure> departed = new ArrayList<>();
        for (Member m : view.members()) {
            Departure.Reason reason = gone.get(m.address());
            if (reason == null || m.address().equals(ctx.self)) {
                members.add(m);
            } else {
                departed.add(new Departure(m, reason));
            }
        }
        if (departed.isEmpty()) {
            return;
        }
        View next = new View(view.term(), view.version() + 1, ctx.self, members, view.nextRank());
        publishView(next, departed);
        for (Departure d : departed) {
            if (d.reason() == Departure.Reason.UNRESPONSIVE) {
                // if it wakes up, the first thing it reads is that it is out
                ctx.send(d.member().address(), new NotMember(next));
            }
        }
    }

    /** Leader: adopts a view and sends it to every other member, and to members that left (their confirmation). */
    void publishView(View view, List<Departure> departed) {
        apply(view, departed);
        List<NodeAddress> to = new ArrayList<>(ctx.membership.others());
        for (Departure d : departed) {
            if (d.reason() == Departure.Reason.LEFT) {
                to.add(d.member().address());
            }
        }
        ctx.sendAll(to, new MembershipUpdate(view, departed));
    }

    // ---- views ------------------------------------------------------------------------------

    void onMembershipUpdate(NodeAddress from, MembershipUpdate update) {
        View view = update.view();
        if (ctx.membership == null || !from.equals(view.leader()) || !view.newerThan(ctx.membership.view())
                || view.term() < ctx.election.term()) {
            return; // stale, or from a leader the ring is replacing
        }
        if (!view.contains(ctx.self)) {
            if (ctx.status == Status.STOPPED || node.leaving()) {
                ctx.event(Kind.LEFT, "left the ring; it closed behind you (" + members(view.size()) + ")");
                node.leaveConfirmed();
            } else {
                removed(view);
            }
            return;
        }
        apply(view, update.departed());
    }

    /** Adopts a newer view: events for joins, departures, neighbours and a new leader. */
    void apply(View view, List<Departure> departed) {
        Membership membership = ctx.membership;
        View old = membership.view();
        NodeAddress oldNext = membership.next();
        NodeAddress oldPrevious = membership.previous();
        boolean newLeader = old.term() != view.term() || !old.leader().equals(view.leader())
                || ctx.status != Status.MEMBER;
        membership.adopt(view);
        ctx.status = Status.MEMBER;
        ctx.acceptFrom = view.leader();
        Member leader = view.member(view.leader()).orElseThrow();
        ctx.election.leaderKnown(leader.candidate(), view.term());

        for (Member m : view.members()) {
            if (!old.contains(m.address()) && !m.address().equals(ctx.self)) {
                ctx.event(Kind.JOINED, m.display() + " joined");
            }
        }
        for (Departure d : departed) {
            if (d.member().address().equals(ctx.self)) {
                continue;
            }
            switch (d.reason()) {
                case LEFT -> ctx.event(Kind.LEFT, d.member().display() + " left");
                case CRASHED -> ctx.event(Kind.REPAIRED, d.member().display()
                        + " crashed; ring repaired (" + members(view.size()) + ")");
                case UNRESPONSIVE -> ctx.event(Kind.REPAIRED, d.member().display()
                        + " stopped responding; ring repaired (" + members(view.size()) + ")");
                case REPLACED -> ctx.event(Kind.LEFT, d.member().display() + " is back as a new member");
            }
        }
        if (newLeader) {
            ctx.event(Kind.LEADER, "leader: " + leader.display() + " (term " + view.term() + ")");
        }
        if (!membership.next().equals(oldNext) || !membership.previous().equals(oldPrevious)) {
            neighboursChanged();
        }
        ctx.detector.watch(membership.watched(), ctx.now());
        if (ctx.history.waiting() > 0 && newLeader) {
            ctx.event(Kind.WARNING, "messages before #" + (ctx.history.delivered() + 1) + " are lost; skipping the gap");
            ctx.deliver(ctx.history.skipTo(ctx.history.firstWaiting() - 1));
        }
        ctx.publish();
        if (newLeader) {
            node.chat().resubmitAll();
        }
        releaseHeldJoins();
    }

    void neighboursChanged() {
        Membership m = ctx.membership;
        ctx.event(Kind.NEIGHBORS, "neighbours: next " + ctx.display(m.next()) + ", previous " + ctx.display(m.previous()));
        ctx.publish();
    }

    // ---- leaving and being removed ----------------------------------------------------------

    void onLeave(NodeAddress from) {
        Membership membership = ctx.membership;
        if (membership == null || !membership.contains(from)) {
            return;
        }
        if (from.equals(membership.view().leader()) && !ctx.isLeader()) {
            node.leaderChange().leaderLost(from, Departure.Reason.LEFT);
        } else if (ctx.isLeader()) {
            remove(Map.of(from, Departure.Reason.LEFT));
        } else {
            NodeAddress oldPrevious = membership.previous();
            if (membership.markUnreachable(from)) {
                ctx.detector.watch(membership.watched(), ctx.now());
                neighboursChanged();
                if (!membership.previous().equals(oldPrevious)) {
                    ctx.election.resend(); // elections travel towards the previous member
                }
            }
        }
    }

    /** Sends the goodbye; returns whether to wait for the leader's confirmation. */
    boolean sayGoodbye() {
        Membership membership = ctx.membership;
        if (membership == null) {
            return false;
        }
        if (ctx.isLeader() || ctx.status != Status.MEMBER) {
            ctx.sendAll(membership.others(), new Leave());
            return false;
        }
        List<NodeAddress> to = new ArrayList<>(List.of(membership.view().leader(), membership.next(), membership.previous()));
        to.remove(ctx.self);
        ctx.sendAll(to.stream().distinct().toList(), new Leave());
        return true;
    }

    void onNotMember(NodeAddress from, NotMember notMember) {
        if (ctx.membership != null && notMember.view().newerThan(ctx.membership.view())
                && !notMember.view().contains(ctx.self) && notMember.view().contains(from)) {
            removed(notMember.view());
        }
    }

    /** This node is no longer in the ring (it was hung or cut off): join again. */
    void removed(View view) {
        if (ctx.status == Status.JOINING || ctx.status == Status.STOPPED || node.leaving()) {
            return;
        }
        ctx.event(Kind.REMOVED, "this node was removed from the ring (it stopped responding); rejoining as "
                + ctx.config.name());
        node.leaderChange().reset();
        node.chat().dropHeld();
        ctx.history.rewindTo(ctx.shownSeq());
        ctx.membership = null;
        ctx.acceptFrom = null;
        ctx.leaderOnProbation = false;
        rejoining = true;
        rejoinTargets.clear();
        rejoinTargets.add(view.leader());
        for (Member m : view.members()) {
            if (!m.address().equals(view.leader())) {
                rejoinTargets.add(m.address());
            }
        }
        join(rejoinTargets.pollFirst());
    }

    static String members(int n) {
        return n == 1 ? "1 member" : n + " members";
    }
}
