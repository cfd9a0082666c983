package org.ringchat.ring;

import org.ringchat.ring.transport.NodeExecutor.Cancellable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.Elected;
import org.ringchat.protocol.Message.Election;
import org.ringchat.protocol.Message.SyncReply;
import org.ringchat.protocol.Message.SyncRequest;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.ChangRobertsElection;
import org.ringchat.ring.core.ChangRobertsElection.Step;

/**
 * From "the leader is gone" to "a new leader leads": the Chang–Roberts election around the
 * repaired ring, then the winner's catch-up round. The winner asks every member how far it got,
 * collects what any of them delivered beyond its own history, sends each member what it lacks,
 * and only then publishes the new view, from which the members submit their unconfirmed messages
 * again. Members that do not answer the catch-up in time are left out of the new ring.
 */
final class LeaderChange {

    private final NodeContext ctx;
    private final Node node;
    /** Why members died during this leader change, for the new view's departures. */
    private final Map<NodeAddress, Departure.Reason> deaths = new HashMap<>();
    private Cancellable electionTimer;
    private long lastProgress;
    private Sync sync;

    /** The winner's catch-up round. */
    private static final class Sync {
        final long term;
        final Set<NodeAddress> waiting;
        final Map<NodeAddress, Long> delivered = new HashMap<>();
        Cancellable timer;

        Sync(long term, Set<NodeAddress> waiting) {
            this.term = term;
            this.waiting = waiting;
        }
    }

    LeaderChange(NodeContext ctx, Node node) {
        this.ctx = ctx;
        this.node = node;
    }

    void noteDeath(NodeAddress peer, Departure.Reason reason) {
        deaths.putIfAbsent(peer, reason);
    }

    /** The leader crashed, hung or left: start an election. */
    void leaderLost(NodeAddress leader, Departure.Reason reason) {
        if (ctx.status != Status.MEMBER) {
            return;
        }
        deaths.put(leader, reason);
        if (ctx.membership.markUnreachable(leader)) {
            ctx.detector.watch(ctx.membership.watched(), ctx.now());
        }
        String how = switch (reason) {
            case LEFT -> "left";
            case CRASHED -> "crashed";
            default -> "stopped responding";
        };
        ctx.event(Kind.ELECTION_STARTED, "leader " + ctx.display(leader) + " " + how + "; electing a new leader");
        enterElection();
        ctx.election.start();
    }

    private void enterElection() {
        ctx.status = Status.ELECTING;
        ctx.acceptFrom = null;
        lastProgress = ctx.now();
        armTimer();
        ctx.publish();
    }

    private void armTimer() {
        if (electionTimer != null) {
            electionTimer.cancel();
        }
        electionTimer = ctx.schedule(this::electionTimedOut, ctx.config.electionTimeoutMs());
    }

    private void electionTimedOut() {
        if (ctx.status != Status.ELECTING || ctx.membership == null) {
            return;
        }
        if (sync == null && ctx.now() - lastProgress >= ctx.config.electionTimeoutMs()) {
            ctx.event(Kind.ELECTION, "no leader after " + ctx.config.electionTimeoutMs() + " ms; standing again");
            ctx.acceptFrom = null;
            if (ctx.election.phase() == ChangRobertsElection.Phase.IDLE) {
                ctx.election.start();
            } else {
                ctx.election.restart();
            }
            lastProgress = ctx.now();
        }
        armTimer();
    }

    /**
     * The election's outbox: to the live member before this one (this node itself when alone).
     * Elections travel against the ring's direction on purpose: ring order is seniority order,
     * so going backwards every candidacy but the winner's meets a more senior member at its
     * first hop and dies there, which makes an election in which everyone stands at once cost
     * 2n−1 messages instead of n(n+1)/2.
     */
    void toNext(Message message) {
        NodeAddress next = ctx.membership.previous();
        ctx.event(Kind.ELECTION, "sent " + describe(message) + " to " + ctx.display(next));
        if (next.equals(ctx.self)) {
            ctx.executor.execute(() -> node.dispatch(ctx.self, message));
        } else {
            ctx.send(next, message);
        }
    }

    void onElection(NodeAddress from, Election election) {
        if (ctx.membership == null) {
            return;
        }
        ctx.event(Kind.ELECTION, "received " + describe(election) + " from " + ctx.display(from));
        if (ctx.status == Status.MEMBER && election.term() > ctx.membership.view().term()) {
            // another member lost the leader first (a crash it saw, or a hang a second member
            // confirmed): follow its election, and count the leader out as it does, so that this
            // node neither passes the election to it nor, if it wins, waits syncTimeoutMs for the
            // lost leader's catch-up answer
            NodeAddress lost = ctx.membership.view().leader();
            ctx.event(Kind.ELECTION_STARTED, lost.equals(ctx.self)
                    ? "the others lost this node and started an election; it stops leading"
                    : "leader " + ctx.display(lost) + " is gone; electing a new leader");
            if (ctx.membership.markUnreachable(lost)) {
                ctx.detector.watch(ctx.membership.watched(), ctx.now());
                ctx.membership.member(lost).ifPresent(m -> ctx.election.forget(m.candidate()));
            }
            enterElection();
        }
        if (ctx.status != Status.ELECTING) {
            return;
        }
        Step step = ctx.election.onElection(election);
        if (step != Step.STALE && step != Step.DEAD_CANDIDATE) {
            lastProgress = ctx.now();
        }
        if (step == Step.WON) {
            becomeLeaderElect(election.term());
        }
    }

    void onElected(NodeAddress from, Elected elected) {
        if (ctx.membership == null || ctx.status != Status.ELECTING) {
            return;
        }
        ctx.event(Kind.ELECTION, "received " + describe(elected) + " from " + ctx.display(from));
        if (ctx.election.onElected(elected) == Step.LEADER_LEARNED) {
            lastProgress = ctx.now();
        }
    }

    private void becomeLeaderElect(long term) {
        ctx.event(Kind.ELECTION, "won the election for term " + term + "; bringing every member up to date");
        List<NodeAddress> others = ctx.membership.others();
        sync = new Sync(term, new HashSet<>(others));
        if (others.isEmpty()) {
            finishSync();
            return;
        }
        ctx.sendAll(others, new SyncRequest(term, ctx.history.delivered()));
        Sync s = sync;
        s.timer = ctx.schedule(() -> {
            if (sync == s) {
                finishSync();
            }
        }, ctx.config.syncTimeoutMs());
    }

    void onSyncRequest(NodeAddress from, SyncRequest request) {
        if (ctx.isLeader() && request.term() == ctx.membership.view().term() && ctx.membership.contains(from)) {
            // a member of ours lost messages with a dropped connection: send them again
            for (ChatDeliver d : ctx.history.after(request.afterSeq())) {
                ctx.send(from, d);
            }
            return;
        }
        if (ctx.membership == null || node.leaving() || request.term() <= ctx.membership.view().term()
                || request.term() < ctx.election.term() || sync != null) {
            return;
        }
        if (ctx.status == Status.MEMBER) {
            enterElection();
        }
        ctx.acceptFrom = from;
        lastProgress = ctx.now();
        ctx.membership.member(from).ifPresent(m -> ctx.election.leaderKnown(m.candidate(), request.term()));
        ctx.event(Kind.ELECTION, "catching up with new leader " + ctx.display(from) + " (term " + request.term() + ")");
        // as many frames as it takes; the leader counts this member as answered with the last
        for (List<ChatDeliver> chunk : ctx.frameBudget.chunks(ctx.history.after(request.afterSeq()))) {
            ctx.send(from, new SyncReply(request.term(), ctx.history.delivered(), chunk));
        }
    }

    void onSyncReply(NodeAddress from, SyncReply reply) {
        Sync s = sync;
        if (s == null || reply.term() != s.term || !s.waiting.contains(from)) {
            return;
        }
        for (ChatDeliver d : reply.entries()) {
            ctx.deliver(ctx.history.accept(d));
        }
        List<ChatDeliver> entries = reply.entries();
        boolean last = entries.isEmpty() || entries.get(entries.size() - 1).seq() >= reply.deliveredSeq();
        if (last) {
            s.waiting.remove(from);
            s.delivered.put(from, reply.deliveredSeq());
            if (s.waiting.isEmpty()) {
                finishSync();
            }
        }
    }

    /** Everyone answered (or the time is up): catch members up and publish the new view. */
    private void finishSync() {
        Sync s = sync;
        sync = null;
        if (s == null || ctx.status != Status.ELECTING || ctx.membership == null) {
            return;
        }
        if (s.timer != null) {
            s.timer.cancel();
        }
        View old = ctx.membership.view();
        List<Member> members = new ArrayList<>();
        List<Departure> departed = new ArrayList<>();
        for (Member m : old.members()) {
            if (m.address().equals(ctx.self) || s.delivered.containsKey(m.address())) {
                members.add(m);
            } else {
                departed.add(new Departure(m, deaths.getOrDefault(m.address(), Departure.Reason.UNRESPONSIVE)));
            }
        }
        for (Map.Entry<NodeAddress, Long> e : s.delivered.entrySet()) {
            for (ChatDeliver d : ctx.history.after(e.getValue())) {
                ctx.send(e.getKey(), d);
            }
        }
        deaths.clear();
        if (electionTimer != null) {
            electionTimer.cancel();
        }
        View view = new View(s.term, 1, ctx.self, members, old.nextRank());
        node.membership().publishView(view, departed);
    }

    /** Forgets any election or catch-up in progress (this node was removed). */
    void reset() {
        if (electionTimer != null) {
            electionTimer.cancel();
        }
        if (sync != null && sync.timer != null) {
            sync.timer.cancel();
        }
        sync = null;
        deaths.clear();
    }

    private String describe(Message message) {
        if (message instanceof Election e) {
            return "Election(candidate " + ctx.display(e.candidate().address()) + " rank " + e.candidate().rank()
                    + ", term " + e.term() + ")";
        }
        if (message instanceof Elected e) {
            return "Elected(leader " + ctx.display(e.leader().address()) + ", term " + e.term() + ")";
        }
        return message.getClass().getSimpleName();
    }
}
