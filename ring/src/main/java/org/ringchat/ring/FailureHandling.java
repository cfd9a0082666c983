package org.ringchat.ring;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Message.Heartbeat;
import org.ringchat.protocol.Message.NotMember;
import org.ringchat.protocol.Message.Ping;
import org.ringchat.protocol.Message.Pong;
import org.ringchat.protocol.Message.Probe;
import org.ringchat.protocol.Message.ProbeResult;
import org.ringchat.protocol.Message.Suspect;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.Membership;

/**
 * Noticing dead and hung peers. A closed connection is checked at once by connecting again (a
 * refusal proves a crash). Silence longer than {@code suspectMs} makes a peer suspect, and a
 * second member must fail to reach it too before it is removed: the leader asks a witness, a
 * member reports to the leader, which pings the suspect itself. Pings are answered by the node's
 * own thread, so a hung node cannot answer them.
 */
final class FailureHandling {

    private final NodeContext ctx;
    private final Node node;
    private final Map<Long, PendingPing> pings = new HashMap<>();
    private final Set<NodeAddress> verifying = new HashSet<>();
    private long nextNonce = 1;
    private boolean newerLeaderSeen;
    /** Members that answered a leader on probation from its own term. */
    private final Set<NodeAddress> confirmedBy = new HashSet<>();

    private record PendingPing(NodeAddress target, Consumer<Boolean> result) {
    }

    FailureHandling(NodeContext ctx, Node node) {
        this.ctx = ctx;
        this.node = node;
    }

    // ---- heartbeats -------------------------------------------------------------------------

    /** Runs every {@code heartbeatMs}. */
    void tick() {
        Membership membership = ctx.membership;
        if (membership == null || ctx.status == Status.STOPPED) {
            return;
        }
        checkPaused();
        long now = ctx.now();
        for (NodeAddress silent : ctx.detector.check(now)) {
            suspect(silent, "silent for " + ctx.detector.silence(silent, now) + " ms");
        }
        View view = membership.view();
        ctx.sendAll(membership.watched(), new Heartbeat(view.term(), view.version()));
        node.chat().checkGap();
    }

    /**
     * True (once) when this node was itself paused for longer than peers wait before suspecting
     * it: then it may have been replaced. A paused leader goes on probation and orders nothing
     * until a member confirms it still leads.
     */
    boolean checkPaused() {
        long now = ctx.now();
        if (!ctx.detector.wasPaused(now)) {
            return false;
        }
        long paused = ctx.detector.sinceLastCheck(now);
        ctx.detector.check(now); // restarts every silence clock: their silence was ours
        ctx.event(Kind.WARNING, "this node was paused for " + paused + " ms; checking that it is still in the ring");
        if (ctx.isLeader()) {
            ctx.leaderOnProbation = true;
            newerLeaderSeen = false;
            confirmedBy.clear();
            probe();
        }
        return true;
    }

    /**
     * A leader on probation pings every member; the first answer from its view's term ends the
     * probation, an answer from a newer term keeps it (the NotMember that removes this node
     * follows). With no answer at all it asks again; members that never answer are removed by
     * the usual suspicion, and a leader left alone needs nobody's confirmation.
     */
    private void probe() {
        if (!ctx.leaderOnProbation || newerLeaderSeen || !ctx.isLeader()) {
            return;
        }
        if (confirmedBy.containsAll(ctx.membership.others())) {
            endProbation(); // everyone still follows (members that never answer get removed meanwhile)
            return;
        }
        for (NodeAddress peer : ctx.membership.others()) {
            ping(peer, alive -> { });
        }
        ctx.schedule(this::probe, ctx.config.probeTimeoutMs());
    }

    private void endProbation() {
        ctx.leaderOnProbation = false;
        node.chat().releaseHeld();
        node.membership().releaseHeldJoins();
    }

    void onHeartbeat(NodeAddress from, Heartbeat heartbeat) {
        Membership membership = ctx.membership;
        if (membership == null || membership.contains(from)) {
            return;
        }
        View view = membership.view();
        if (view.term() > heartbeat.term()
                || (view.term() == heartbeat.term() && view.version() > heartbeat.version())) {
            ctx.send(from, new NotMember(view));
        }
    }

    // ---- suspicion and verification ---------------------------------------------------------

    void onLinkDown(NodeAddress peer, boolean connectFailed) {
        for (var it = pings.entrySet().iterator(); it.hasNext(); ) {
            PendingPing p = it.next().getValue();
            if (p.target().equals(peer) && connectFailed) {
                it.remove();
                p.result().accept(false);
            }
        }
        Membership membership = ctx.membership;
        if (membership == null || !membership.contains(peer) || !membership.isReachable(peer)) {
            return;
        }
        if (connectFailed) {
            confirmedDead(peer, Departure.Reason.CRASHED);
        } else {
            ping(peer, alive -> { }); // reconnects: a refusal comes back here as connectFailed
        }
    }

    private void suspect(NodeAddress peer, String why) {
        Membership membership = ctx.membership;
        if (!membership.contains(peer) || !membership.isReachable(peer) || !verifying.add(peer)) {
            return;
        }
        ctx.event(Kind.SUSPECT, "suspect " + ctx.display(peer) + ": " + why);
        verify(peer, alive -> {
            verifying.remove(peer);
            if (ctx.membership != membership) {
                return; // removed or rejoined meanwhile: this verdict is about a ring we left
            }
            if (alive) {
                ctx.event(Kind.SUSPECT, ctx.display(peer) + " answered; suspicion dropped");
                ctx.detector.cleared(peer, ctx.now());
            } else if (ctx.isLeader() || peer.equals(membership.view().leader())) {
                confirmedDead(peer, Departure.Reason.UNRESPONSIVE);
            } else {
                reportToLeader(peer, false);
            }
        });
    }

    /** Asks a second member to reach {@code peer}; with nobody to ask, tries itself. */
    private void verify(NodeAddress peer, Consumer<Boolean> alive) {
        NodeAddress witness = witnessFor(peer);
        if (witness == null) {
            ping(peer, alive);
            return;
        }
        long nonce = nextNonce++;
        pings.put(nonce, new PendingPing(peer, alive));
        ctx.send(witness, new Probe(peer, nonce));
        ctx.schedule(() -> expire(nonce), 2L * ctx.config.probeTimeoutMs() + ctx.config.heartbeatMs());
    }

    private NodeAddress witnessFor(NodeAddress peer) {
        for (NodeAddress candidate : ctx.membership.others()) {
            if (!candidate.equals(peer)) {
                return candidate;
            }
        }
        return null;
    }

    private void ping(NodeAddress peer, Consumer<Boolean> alive) {
        long nonce = nextNonce++;
        pings.put(nonce, new PendingPing(peer, alive));
        ctx.send(peer, new Ping(nonce));
        ctx.schedule(() -> expire(nonce), ctx.config.probeTimeoutMs());
    }

    private void expire(long nonce) {
        PendingPing p = pings.remove(nonce);
        if (p != null) {
            p.result().accept(false);
        }
    }

    void onProbe(NodeAddress from, Probe probe) {
        ping(probe.target(), alive -> ctx.send(from, new ProbeResult(probe.target(), probe.nonce(), alive)));
    }

    void onProbeResult(NodeAddress from, ProbeResult result) {
        PendingPing p = pings.remove(result.nonce());
        if (p != null) {
            p.result().accept(result.alive());
        }
    }

    /** Answers with the term this node is in: its leader's, or the one it is electing a leader for. */
    void onPing(NodeAddress from, Ping ping) {
        View view = ctx.membership != null ? ctx.membership.view() : null;
        long term = view == null ? 0 : Math.max(view.term(), ctx.election.term());
        ctx.send(from, new Pong(ping.nonce(), term, view == null ? 0 : view.version()));
    }

    void onPong(NodeAddress from, Pong pong) {
        PendingPing p = pings.remove(pong.nonce());
        if (p != null) {
            p.result().accept(true);
        }
        if (ctx.leaderOnProbation && ctx.membership != null && ctx.membership.contains(from)) {
            if (pong.term() > ctx.membership.view().term()) {
                // the others moved on: stay on probation; the NotMember answering our heartbeats follows
                newerLeaderSeen = true;
            } else if (!newerLeaderSeen) {
                confirmedBy.add(from);
                if (confirmedBy.containsAll(ctx.membership.others())) {
                    endProbation();
                }
            }
        }
    }

    /** Member → leader: I lost {@code peer}; the leader checks for itself before removing it. */
    private void reportToLeader(NodeAddress peer, boolean connectionLost) {
        Membership membership = ctx.membership;
        NodeAddress leader = membership.view().leader();
        if (ctx.status == Status.MEMBER && membership.isReachable(leader)) {
            ctx.send(leader, new Suspect(peer, connectionLost));
        }
    }

    void onSuspect(NodeAddress from, Suspect suspect) {
        NodeAddress peer = suspect.suspect();
        if (!ctx.isLeader() || !ctx.membership.contains(peer) || peer.equals(ctx.self) || !verifying.add(peer)) {
            return;
        }
        ctx.event(Kind.SUSPECT, ctx.display(from) + " lost " + ctx.display(peer) + "; checking");
        ping(peer, alive -> {
            verifying.remove(peer);
            if (!alive && ctx.isLeader() && ctx.membership.contains(peer)) {
                confirmedDead(peer, suspect.connectionLost() ? Departure.Reason.CRASHED : Departure.Reason.UNRESPONSIVE);
            }
        });
    }

    /** {@code peer} is gone: route around it, and repair the ring or elect a new leader. */
    void confirmedDead(NodeAddress peer, Departure.Reason reason) {
        Membership membership = ctx.membership;
        if (membership == null || !membership.contains(peer)) {
            return;
        }
        NodeAddress oldNext = membership.next();
        NodeAddress oldPrevious = membership.previous();
        boolean news = membership.markUnreachable(peer);
        node.leaderChange().noteDeath(peer, reason);
        if (!news) {
            return;
        }
        ctx.detector.watch(membership.watched(), ctx.now());
        membership.member(peer).ifPresent(m -> ctx.election.forget(m.candidate()));
        if (!membership.next().equals(oldNext) || !membership.previous().equals(oldPrevious)) {
            node.membership().neighboursChanged();
            if (!membership.previous().equals(oldPrevious)) {
                ctx.election.resend(); // elections travel towards the previous member
            }
        }
        if (ctx.isLeader()) {
            node.membership().remove(Map.of(peer, reason));
        } else if (peer.equals(membership.view().leader())) {
            node.leaderChange().leaderLost(peer, reason);
        } else {
            reportToLeader(peer, reason == Departure.Reason.CRASHED);
        }
    }

    List<NodeAddress> verifyingNow() {
        return List.copyOf(verifying);
    }
}
