package org.ringchat.ring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.ringchat.protocol.Departure.Reason;
import org.ringchat.protocol.Message.Heartbeat;
import org.ringchat.protocol.Message.Ping;
import org.ringchat.protocol.Message.Pong;
import org.ringchat.protocol.Message.Probe;
import org.ringchat.protocol.Message.ProbeResult;
import org.ringchat.protocol.Message.Suspect;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.RingIdentity;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.FailureDetector;
import org.ringchat.ring.core.Probation;
import org.ringchat.ring.core.Suspicion;
import org.ringchat.ring.core.Suspicion.Purpose;
import org.ringchat.ring.core.Suspicion.Verdict;
import org.ringchat.ring.transport.LinkLoss;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;

/**
 * Noticing dead and hung peers ({@link FailureDetector}, {@link Suspicion}) and noticing that
 * this node itself was paused ({@link Probation}). A closed connection is checked at once by
 * connecting again: a refusal proves a crash. Silence longer than {@code suspectMs} makes a peer
 * suspect, and a second member must fail to reach it too before it counts as dead: a leader or a
 * member without a leader asks a witness; a member reports to its leader, which pings the suspect
 * itself. Pings are answered by the node's own thread, so a hung node cannot answer them; any
 * frame from the suspect during a check also ends it (alive), since behind a lossy link a ping's
 * answer can wait out TCP's back-off while other frames get through.
 */
final class FailureHandling {

    /** What the node does about a peer found dead, and about a change of probation. */
    interface Outcomes {
        void peerDead(NodeAddress peer, Reason reason);

        /** A member this node routed around was heard from. */
        void peerAlive(NodeAddress peer);

        /** Probation began or ended: ordering and admissions stop or go on. */
        void probationChanged();

        /** This member's check of its leader ({@link #checkLeader}) ended: {@code leads} in this node's term, or not. */
        void leaderChecked(NodeAddress leader, boolean leads);

        /** The leader is alive but its stream to this member fell silent: ask it for what this member lacks. */
        void leaderStreamStalled();

        /** This node woke from a pause while it elected: a catch-up it runs gets its time again. */
        void sleptElecting();
    }

    private final NodeEffects fx;
    /**
     * Witnesses asked at once to check a silent peer. One hung witness (a leader and another
     * member hanging together) then costs nothing: the other answers.
     */
    static final int WITNESSES = 2;

    private final ViewHandling ring;
    private final LongSupplier electionTerm;
    private final Outcomes outcomes;
    private final FailureDetector detector;
    private final Suspicion suspicion;
    private final Probation probation = new Probation();
    /** Peers suspected wrongly before whose check found them gone once: checked a second time. */
    private final Set<NodeAddress> secondLook = new LinkedHashSet<>();
    /** Members this node verified dead and reported to its leader, which has not removed them yet. */
    private final Set<NodeAddress> reported = new LinkedHashSet<>();
    private long expiryArmedAt = Long.MAX_VALUE;
    /** The check {@link #armSilenceCheck} armed, and when it runs; null and {@link Long#MAX_VALUE}: none. */
    private Cancellable silenceCheck;
    private long silenceCheckAt = Long.MAX_VALUE;
    /** The term in which this node, leading it, last woke from a pause; -1 if never. */
    private long sleptLeadingTerm = -1;
    /** This node woke from a pause while it elected, and has adopted no view since. */
    private boolean sleptElecting;
    /**
     * This node woke from a pause long enough for the others to have removed it (longer than
     * {@code suspectMs}), and has adopted no view since.
     */
    private boolean sleptOut;
    /**
     * The first nonce of the pings this leader sent since its probation began: only their Pongs,
     * written after the pause, confirm it.
     */
    private long probationPingsFrom;

    /** @param electionTerm the term this node is electing a leader for, if any (its Pongs carry it) */
    FailureHandling(NodeEffects fx, ViewHandling ring, LongSupplier electionTerm, Outcomes outcomes) {
        this.fx = fx;
        this.ring = ring;
        this.electionTerm = electionTerm;
        this.outcomes = outcomes;
        RingConfig c = fx.config;
        // paused as soon as a ping of this node may have timed out meanwhile (not only once its
        // silence alone would be suspected), but never for a heartbeat merely a little late
        this.detector = new FailureDetector(c.suspectMs(),
                Math.max(2L * c.heartbeatMs(), Math.min(c.suspectMs(), c.probeTimeoutMs())));
        this.suspicion = new Suspicion(fx, c.probeTimeoutMs(), 2L * c.probeTimeoutMs() + c.heartbeatMs());
    }

    // ---- heartbeats and pauses ---------------------------------------------------------------

    /** Runs every {@code heartbeatMs}: suspects the silent, and tells the watched this node is alive. */
    void tick() {
        if (!ring.inRing() || ring.status() == Status.STOPPED) {
            return;
        }
        checkSilence();
        View view = ring.view();
        Set<NodeAddress> to = new LinkedHashSet<>(ring.watched());
        if (ring.status() == Status.MEMBER && !ring.isLeader()) {
            // and to the members it routed around while its leader keeps them: a member alive after
            // all (its leader found it so) hears from this node once it can, and this node from it,
            // and each takes the other back (heard). Two members that routed around each other (each
            // took a connect that timed out across a cut for a crash) otherwise had nothing pass
            // between them, and their marks outlived the leader's verdict for good
            to.addAll(sorted(ring.routedAround()));
        }
        fx.sendAll(to, new Heartbeat(view.term(), view.version()));
    }

    /** Suspects the peers silent for longer than they are allowed, and arms the next such check. */
    private void checkSilence() {
        wokeFromPause();
        long now = fx.now();
        for (NodeAddress silent : detector.check(now)) {
            long allowed = detector.allowedSilence(silent);
            suspect(silent, "silent for " + detector.silence(silent, now) + " ms"
                    + (allowed > fx.config.suspectMs() ? " (allowed " + allowed + " ms: suspected wrongly before)" : ""));
        }
        armSilenceCheck();
    }

    /**
     * Checks again at the moment the first watched peer's silence would run out, when that comes
     * before the next tick: a silence is then suspected when it runs out, not up to
     * {@code heartbeatMs} later. Every member suspects a hung leader on its own, and the first to
     * do so starts the check that ends in an election; with the checks on the ticks alone, that
     * first one came a fraction of a tick late (about 40 ms at N=5, whose four survivors tick at
     * four phases).
     */
    private void armSilenceCheck() {
        long due = detector.nextSilenceDue();
        if (due < silenceCheckAt) {
            if (silenceCheck != null) {
                silenceCheck.cancel(); // one armed at a time
            }
            silenceCheckAt = due;
            silenceCheck = fx.schedule("SilenceCheckTask", Math.max(0, due - fx.now()), () -> {
                silenceCheck = null;
                silenceCheckAt = Long.MAX_VALUE;
                if (ring.inRing() && ring.status() != Status.STOPPED) {
                    checkSilence();
                }
            });
        }
    }

    private static List<NodeAddress> sorted(Set<NodeAddress> peers) {
        List<NodeAddress> out = new ArrayList<>(peers);
        out.sort(java.util.Comparator.comparing(NodeAddress::toString));
        return out;
    }

    /**
     * True (once) when this node was itself paused for longer than peers wait before suspecting
     * it: then it may have been replaced. A paused leader goes on probation and orders nothing
     * until every member confirms it still leads.
     */
    boolean wokeFromPause() {
        long now = fx.now();
        if (!detector.wasPaused(now)) {
            return false;
        }
        long paused = detector.sinceLastCheck(now);
        detector.check(now); // restarts every silence clock: their silence was ours
        if (paused > fx.config.suspectMs()) {
            // the answers waiting unread are as old as the pause, and the peers they speak of may
            // have woken since: every check is made again (seed 300986: a witness's "dead" for the
            // leader, written while leader and witness both slept, read after this node's own
            // pause, made it elect alone beside the ring, which had woken meanwhile)
            suspicion.renew(now);
            // long enough for the others to have given up on it: the user hears of it
            fx.event(Kind.WARNING, "this node was paused for " + paused + " ms; checking that it is still in the ring");
            sleptOut = true;
        } else {
            suspicion.postpone(paused); // the answers to our checks may be waiting unread
            // a busy machine's hiccup, most likely: for the diagnostic log only (a leader still goes on probation)
            fx.note("this node's timer ran " + paused + " ms late; its silence clocks start again");
        }
        if (ring.isLeader()) {
            beginProbation(now);
        } else if (ring.status() == Status.ELECTING) {
            sleptElecting = true;
            outcomes.sleptElecting();
        }
        return true;
    }

    /**
     * True when this node woke from a pause long enough for the others to have removed it, and
     * has adopted no view since: what it read first may be from before the pause.
     */
    boolean sleptOut() {
        return sleptOut;
    }

    private void beginProbation(long now) {
        sleptLeadingTerm = ring.view().term();
        probationPingsFrom = suspicion.nextNonce();
        probation.begin(now);
        outcomes.probationChanged();
        probe();
    }

    /**
     * A leader on probation pings every member until all have confirmed. Meanwhile only a crash
     * (a refused connect) or a goodbye takes a member out, never silence (see {@link #silenceIgnored}).
     */
    private void probe() {
        if (!probation.active() || !ring.isLeader()) {
            return;
        }
        if (probation.phase() == Probation.Phase.DEPOSED) {
            // deposed: it waits for the new leader's view, and asks again meanwhile, in case the
            // member that deposed it gives its election up and follows this leader again
            ring.others().forEach(peer -> suspicion.ping(peer, new Suspicion.Probation(), fx.now()));
            armExpiry();
            fx.schedule("ProbationTask", fx.config.probeTimeoutMs(), this::probe);
            return;
        }
        if (probation.check(ring.others())) {
            outcomes.probationChanged();
            return;
        }
        List<NodeAddress> silent = probation.expire(fx.now(), probationLimitMs(),
                PROBATION_UNCONFIRMED_FACTOR * probationLimitMs(), ring.others());
        if (!silent.isEmpty()) {
            fx.event(Kind.WARNING, silent.size() == ring.others().size()
                    ? "on probation for " + PROBATION_UNCONFIRMED_FACTOR * probationLimitMs() + " ms and no member answered; "
                            + "checking them all"
                    : "on probation for " + probationLimitMs() + " ms: the members that answered confirm this leader; "
                            + "checking those that never did");
            outcomes.probationChanged();
            // as any silent member: removed only if no witness reaches it either (one cut off
            // from this leader alone stays, as it would have without the pause)
            silent.forEach(peer -> suspect(peer, "no answer to this leader's probation"));
            return;
        }
        for (NodeAddress peer : ring.others()) {
            suspicion.ping(peer, new Suspicion.Probation(), fx.now());
        }
        armExpiry();
        fx.schedule("ProbationTask", fx.config.probeTimeoutMs(), this::probe);
    }

    /**
     * How many times {@link #probationLimitMs} a leader on probation waits when no member answers
     * at all before it checks them all as silent: long enough for members paused with it, or the
     * leader of a ring that replaced it, to wake and answer (the sim's pauses last up to 9 s).
     */
    static final int PROBATION_UNCONFIRMED_FACTOR = 10;

    /**
     * How long a leader on probation waits for its silent members once another has confirmed it:
     * as long as a member's silence takes to be suspected, plus two unanswered pings.
     */
    private long probationLimitMs() {
        return fx.config.suspectMs() + 2L * fx.config.probeTimeoutMs();
    }

    /**
     * True when this leader is on probation and {@code member} has confirmed it since the pause,
     * against {@code view} ({@link Probation#confirmedAgainst}).
     */
    boolean confirmedOnProbation(NodeAddress member, View view) {
        return probation.confirmedAgainst(member, view);
    }

    /**
     * True when this leader woke from a pause (or a clock jump) at some time in the term it
     * leads: a ring formed meanwhile may have replaced it while it slept, even if its probation
     * ended since (a member paused with it confirmed it, then followed the new ring: seed 717).
     */
    boolean sleptWhileLeading() {
        return ring.isLeader() && sleptLeadingTerm == ring.view().term();
    }

    /**
     * {@code from}, a member of this leader's, follows {@code view}, a newer view of this ring
     * without this leader (its NotMember said so): on probation, that deposes this leader as a
     * Pong from that view's term does.
     */
    void toldNotMember(NodeAddress from, View view) {
        if (ring.isLeader() && probation.active() && view.term() > ring.view().term()) {
            probation.onAnswer(from, view.term(), ring.view().term(), ring.others());
        }
    }

    /**
     * A probe from {@code theirs}, led by {@code from}, a member of this leader's view, in a newer
     * term of this ring: while this leader slept, the others replaced it. On probation, that
     * deposes it as a Pong from that term does, and the probe goes unanswered (answered, that
     * leader would hand its piece over to this one, which still lists it as a member). Seed
     * 213665: the only member that had deposed this leader left, the probation ended as if
     * nobody had replaced it, and it numbered again lines the newer term's leader had numbered.
     * True when the probe was taken so.
     */
    boolean probedFromNewerTerm(NodeAddress from, RingIdentity theirs) {
        if (!ring.isLeader() || !probation.active()) {
            return false;
        }
        View view = ring.view();
        if (view.ringId() == null || !view.ringId().equals(theirs.ringId())
                || theirs.term() <= view.term() || !from.equals(theirs.leader().address()) || !ring.contains(from)) {
            return false;
        }
        if (probation.onAnswer(from, theirs.term(), view.term(), ring.others())) {
            outcomes.probationChanged();
        }
        return true;
    }

    /**
     * {@code member} asks to join again: an election of its own that deposed this leader on
     * probation went nowhere, and it no longer follows anyone. Its deposition counts no more
     * (seed 317117: deposed by a member that stood alone again and again, then rejoined, the
     * leader held that member's request until the probation ended, and the probation waited for
     * that member for good; the ring ordered nothing for a minute).
     */
    void rejoining(NodeAddress member) {
        if (ring.isLeader() && probation.gaveUp(member)) {
            fx.note(ring.display(member) + ", whose newer term deposed this leader, asks to join again: its election went nowhere");
            if (probation.check(ring.others())) {
                outcomes.probationChanged();
            }
        }
    }

    /** True while this leader is back from a pause and not yet confirmed (or already replaced). */
    boolean onProbation() {
        return probation.active();
    }

    /**
     * Any frame from a peer is a sign of life, even from one this node had given up on: while
     * there is a leader whose verdict it awaits, the member takes its place in the ring again.
     * (During an election it stays out: the new leader's first view leaves it out, and it joins
     * again; let in halfway, it would stand in an election the others have settled without it.)
     */
    void heard(NodeAddress peer) {
        if (ring.inRing()) {
            detector.heard(peer, fx.now());
            judge(suspicion.onHeard(peer)); // a check of it under way: it is alive, whatever its ping does
            // heard after its report: not to be routed around if the leader goes (seed 234602: a
            // member that reported it, then hung with the leader, woke to the leader's goodbye and
            // led alone around a member that had spoken since, beside that member's own ring)
            reported.remove(peer);
            if (ring.status() == Status.MEMBER && ring.contains(peer) && !ring.isReachable(peer)) {
                outcomes.peerAlive(peer);
            }
        }
    }

    /**
     * The leader has just ordered a line from {@code sender} in the current term: the sender was
     * alive a moment ago. A member busy sending hears the leader, not the neighbours that watch
     * it, and its heartbeats may queue behind its lines: its lines vouch for it meanwhile.
     */
    void vouchedFor(NodeAddress sender) {
        if (ring.inRing() && ring.contains(sender)) {
            detector.heard(sender, fx.now());
        }
    }

    // ---- suspicion and verification ---------------------------------------------------------

    /**
     * A link to {@code peer} is gone. Only a refused connect proves a crash. A connect that went
     * unanswered makes the peer a suspect, checked through witnesses like a silent one: one lost
     * SYN on a lossy link (Linux resends it after 1 s, as long as {@code connectTimeoutMs}) must
     * not remove a live member, nor depose a live leader. A closed connection is connected again.
     */
    void onLinkDown(NodeAddress peer, LinkLoss loss) {
        if (loss != LinkLoss.CLOSED) {
            judge(suspicion.onConnectFailed(peer, loss == LinkLoss.REFUSED, fx.now()));
            armExpiry();
        }
        if (!ring.inRing() || !ring.contains(peer) || !ring.isReachable(peer)) {
            return;
        }
        switch (loss) {
            case REFUSED -> outcomes.peerDead(peer, Reason.CRASHED);
            case UNREACHABLE -> suspect(peer, "no answer to a connect within " + fx.config.connectTimeoutMs() + " ms");
            case CLOSED -> {
                suspicion.ping(peer, new Suspicion.Reconnect(), fx.now()); // a refusal comes back as REFUSED
                armExpiry();
                if (peer.equals(ring.leader())) {
                    // a report written to that connection may have gone with it (a reset drops what
                    // the peer had not read yet): the leader hears it again on a new one, and
                    // checks for itself as before (LostAloneTest, once an acknowledgement more
                    // moved the resets: the member's only report was lost, and the leader never decided)
                    reported.forEach(p -> reportToLeader(p, false));
                }
            }
        }
    }

    private void suspect(NodeAddress peer, String why) {
        if (!ring.contains(peer) || !ring.isReachable(peer) || !suspicion.beginVerifying(peer)) {
            return;
        }
        fx.event(Kind.SUSPECT, "suspect " + ring.display(peer) + ": " + why);
        suspicion.check(peer, new Suspicion.Silent(), witnessesFor(peer), fx.now());
        armExpiry();
    }

    /** Members that can vouch for {@code peer}: live, not silent themselves, not being checked. */
    private List<NodeAddress> witnessesFor(NodeAddress peer) {
        List<NodeAddress> out = new ArrayList<>();
        for (NodeAddress candidate : ring.others()) {
            if (out.size() < WITNESSES && !candidate.equals(peer) && !detector.isSuspected(candidate)
                    && !suspicion.isVerifying(candidate)) {
                out.add(candidate);
            }
        }
        return out;
    }

    /**
     * A member lost {@code peer}. A crash it saw (its connection closed, and connecting again was
     * refused) is checked with a ping at once. A silence it verified is weighed against this
     * leader's own hearing first: while this leader still hears the peer within the silence it
     * allows it, its own watch decides, through witnesses, and the report is dropped. A member
     * behind a lossy link is silent to one neighbour or another now and then, and one ping of it
     * through the same link failed often enough to remove it (LinkFaultIT); a hung member falls
     * silent to this leader too, which suspects it on its own, as soon as the reporter did.
     */
    void onSuspect(NodeAddress from, Suspect suspect) {
        NodeAddress peer = suspect.suspect();
        if (!ring.isLeader() || !ring.contains(from) || !ring.contains(peer) || peer.equals(fx.self())
                || suspicion.isVerifying(peer)) {
            return;
        }
        long silence = detector.silence(peer, fx.now());
        if (!suspect.connectionLost() && silence >= 0 && silence < detector.allowedSilence(peer)) {
            fx.event(Kind.SUSPECT, ring.display(from) + " lost " + ring.display(peer) + ", but this leader heard it "
                    + silence + " ms ago; its own watch decides");
            return;
        }
        suspicion.beginVerifying(peer);
        fx.event(Kind.SUSPECT, ring.display(from) + " lost " + ring.display(peer) + "; checking");
        suspicion.ping(peer, new Suspicion.Reported(from, suspect.connectionLost()), fx.now());
        armExpiry();
    }

    /**
     * True when a frame of {@code peer}'s, which this node watches, came within the last
     * {@code suspectMs}: this node has no reason of its own to think it gone. (Not its silence
     * clock, which a pause of this node restarts: a member paused with its leader heard nothing.)
     */
    boolean hears(NodeAddress peer) {
        long since = detector.sinceFrame(peer, fx.now());
        return since >= 0 && since < fx.config.suspectMs();
    }

    /**
     * True while {@code peer} is silent beyond {@code suspectMs} and not heard since (its silence
     * clock, which a pause of this node restarts: a member paused with this node is not suspected
     * when both wake).
     */
    boolean suspects(NodeAddress peer) {
        return detector.isSuspected(peer);
    }

    /**
     * Asks the leader whether it still leads (see {@link Suspicion.Summoned}): the answer comes
     * back through {@link Outcomes#leaderChecked}, once.
     */
    void checkLeader(NodeAddress leader) {
        suspicion.ping(leader, new Suspicion.Summoned(), fx.now());
        armExpiry();
    }

    void onProbe(NodeAddress from, Probe probe) {
        if (ring.contains(from) && ring.contains(probe.target())) {
            suspicion.ping(probe.target(), new Suspicion.Witnessing(from, probe.nonce()), fx.now());
            armExpiry();
        }
    }

    void onProbeResult(NodeAddress from, ProbeResult result) {
        wokeFromPause(); // an answer read after a pause may be from before it
        suspicion.onProbeResult(from, result.nonce(), result.alive()).ifPresent(this::judge);
    }

    /**
     * Answers with the term this node is in: its leader's, or the one it is electing a leader
     * for, or, for a leader deposed while it was paused, the newer term a member answered it from
     * (its own is over: a member that asks whether it still leads must not stay with it).
     */
    void onPing(NodeAddress from, Ping ping) {
        if (!ring.inRing()) {
            fx.send(from, new Pong(ping.nonce(), 0, 0));
            return;
        }
        View view = ring.view();
        long term = Math.max(view.term(), Math.max(electionTerm.getAsLong(), probation.deposedTerm()));
        fx.send(from, new Pong(ping.nonce(), term, view.version()));
    }

    void onPong(NodeAddress from, Pong pong) {
        wokeFromPause(); // a Pong read after a pause may answer a ping from before it
        // term 0: the peer is in no ring (onPing), and takes no part in this one; an older term
        // than this node's: it follows a ring this node has left behind, or another piece's
        // (pieces reuse terms), and takes no part in this one either
        boolean takesPart = pong.term() > 0 && (!ring.inRing() || pong.term() >= ring.view().term());
        suspicion.onPong(from, pong.nonce(), takesPart).ifPresent(v -> {
            if (v.purpose() instanceof Suspicion.Summoned) {
                outcomes.leaderChecked(from, ring.inRing() && pong.term() == ring.view().term());
            } else {
                judge(v);
            }
        });
        // a Pong to a ping sent before the pause confirms nothing: the member wrote it while this
        // leader slept, and may have elected another since (seed 69215: a leader's clock jumped,
        // it pinged its members, then slept 2 s; it woke to their Pongs of its term, written as
        // it fell asleep, took them for confirmations, and ordered lines for a ring that had
        // elected another leader meanwhile). A newer term deposes, however old the Pong
        if (ring.isLeader() && (pong.nonce() >= probationPingsFrom || pong.term() > ring.view().term())
                && probation.onAnswer(from, pong.term(), ring.view().term(), ring.others())) {
            outcomes.probationChanged();
        }
        if (ring.isLeader() && probation.active() && ring.contains(from) && pong.term() > 0
                && pong.term() < ring.view().term()) {
            // a member that answers from an older term than this leader's is in a ring this leader
            // never led: another piece, which took it in while this leader slept (a ring that
            // replaced this leader would be in a newer term; the member that deposed it with one
            // has given that election up). It neither confirms nor deposes, so the probation
            // waited on it for ever, and a leader on probation takes no merge (seed 29836: the
            // other piece's leader invited this one for a minute). Out, as another piece's
            // member, until the pieces merge
            fx.event(Kind.SUSPECT, ring.display(from) + " answers from term " + pong.term()
                    + ", older than this leader's: it is in another piece of the ring");
            outcomes.peerDead(from, Reason.UNRESPONSIVE);
            if (probation.check(ring.others())) {
                outcomes.probationChanged();
            }
        }
    }

    /**
     * A member acknowledged this leader's orderings in {@code term}. From the member whose newer
     * term deposed this leader on probation (it stood on its own while this leader slept), an
     * acknowledgement of this leader's term says it gave its election up and follows this leader
     * again, as a Pong of that term would; sent after that Pong, on the same connection, it is
     * news, not a frame from before the pause. The leader leads on at once, not at its next
     * probation ping: meanwhile it answered that member's own ping, which asks whether its leader
     * still leads, with the deposing term, and the member took it for gone and followed the next
     * candidacy (seed 9490; then the piece dissolved into the other on that piece's view, with the
     * lines it had ordered since the split). Any other member's acknowledgement confirms nothing:
     * one written before the pause may arrive after it (seed 3581 broke when it did).
     */
    void acknowledged(NodeAddress from, long term) {
        if (ring.isLeader() && probation.deposedBy(from)
                && probation.onAnswer(from, term, ring.view().term(), ring.others())) {
            outcomes.probationChanged();
        }
    }

    private void judge(List<Verdict> verdicts) {
        for (int i = 0; i < verdicts.size(); i++) { // for every frame received: nearly always none, and no object
            judge(verdicts.get(i));
        }
    }

    /** What a finished check means, by why it was made. */
    private void judge(Verdict v) {
        NodeAddress peer = v.peer();
        Purpose purpose = v.purpose();
        if (purpose instanceof Suspicion.Witnessing w) {
            fx.send(w.asker(), new ProbeResult(peer, w.nonce(), v.alive()));
        } else if (purpose instanceof Suspicion.Silent) {
            if (v.alive()) {
                suspicion.endVerifying(peer);
                secondLook.remove(peer);
                fx.event(Kind.SUSPECT, ring.display(peer) + " answered; suspicion dropped");
                detector.cleared(peer, fx.now());
                if (ring.status() == Status.MEMBER && peer.equals(ring.leader())) {
                    // alive, yet silent here: its stream to this member stalls (TCP's back-off
                    // behind a lossy link held carol's lines for 30 s in LinkFaultIT)
                    outcomes.leaderStreamStalled();
                }
            } else if (ring.contains(peer) && detector.allowedSilence(peer) > fx.config.suspectMs() && secondLook.add(peer)) {
                // it fooled this node before (a lossy link): one failed check is not enough
                fx.event(Kind.SUSPECT, "no check reached " + ring.display(peer) + ", suspected wrongly before; checking once more");
                suspicion.check(peer, new Suspicion.Silent(), witnessesFor(peer), fx.now());
                armExpiry();
            } else {
                suspicion.endVerifying(peer);
                secondLook.remove(peer);
                if (ring.contains(peer)) {
                    verifiedDead(peer);
                }
            }
        } else if (purpose instanceof Suspicion.Reported r) {
            suspicion.endVerifying(peer);
            if (!v.alive() && ring.isLeader() && ring.contains(peer) && !silenceIgnored(peer)) {
                outcomes.peerDead(peer, r.connectionLost() ? Reason.CRASHED : Reason.UNRESPONSIVE);
            }
        } else if (purpose instanceof Suspicion.Summoned) {
            outcomes.leaderChecked(peer, false); // no Pong in time, or its connection refused (a Pong goes to onPong)
        }
        // Reconnect and Probation: only a refusal (handled in onLinkDown) or a Pong's term matter
    }

    /**
     * A second check failed too. A leader, or a member whose leader it is or that has no leader,
     * acts on it; a member with a leader reports it and leaves the decision to the leader.
     */
    private void verifiedDead(NodeAddress peer) {
        if (silenceIgnored(peer)) {
            return;
        }
        if (ring.isLeader() || ring.status() != Status.MEMBER || peer.equals(ring.leader())) {
            outcomes.peerDead(peer, Reason.UNRESPONSIVE);
        } else {
            reported.add(peer);
            reportToLeader(peer, false);
        }
    }

    /**
     * A leader on probation (or already deposed) removes nobody for silence. The member that
     * does not answer may lead, or follow, the ring that replaced this leader while it was paused,
     * and be paused itself: removing it would end the probation with nobody's confirmation (a
     * ring of one confirms itself), and this leader would number again what that ring numbered
     * already. Meanwhile only a refusal (a crash) or a goodbye takes a member out; the others
     * answer its pings when they can, and an answer from a newer term deposes it.
     */
    private boolean silenceIgnored(NodeAddress peer) {
        if (!ring.isLeader() || !probation.active()) {
            return false;
        }
        fx.event(Kind.SUSPECT, ring.display(peer) + " does not answer; on probation, this leader removes nobody for silence");
        return true;
    }

    /** Member → leader: I lost {@code peer}; the leader checks for itself before removing it. */
    void reportToLeader(NodeAddress peer, boolean connectionLost) {
        if (ring.status() == Status.MEMBER && ring.isReachable(ring.leader())) {
            fx.send(ring.leader(), new Suspect(peer, connectionLost));
        }
    }

    /**
     * The leader is gone too: the members this node reported to it will not be removed by it.
     * Returns them, to be routed around now.
     */
    List<NodeAddress> reportedToLostLeader() {
        List<NodeAddress> out = new ArrayList<>(reported);
        reported.clear();
        return out;
    }

    private void armExpiry() {
        long next = suspicion.nextDeadline();
        if (next < expiryArmedAt) {
            expiryArmedAt = next;
            fx.schedule("ProbeTimeoutTask", Math.max(0, next - fx.now()), this::expire);
        }
    }

    private void expire() {
        expiryArmedAt = Long.MAX_VALUE;
        wokeFromPause(); // a check is not failed by our own pause
        judge(suspicion.expire(fx.now()));
        armExpiry();
    }

    // ---- changes of the ring -----------------------------------------------------------------

    /** The peers to watch changed (a new view, or a member routed around). */
    void watchChanged() {
        if (ring.inRing()) {
            detector.watch(ring.watched(), fx.now());
        }
    }

    /**
     * A view was adopted: the leader settled who is in; a probation may be over. A winner that
     * slept while it elected publishes its first view on probation, as a leader back from a pause
     * does: it may have won and caught up before the pause, and the others, finding it silent,
     * elected another leader meanwhile and numbered lines it would number again (seed 155876:
     * its catch-up's deadline fell in a pause of 2.8 s, and it published on waking).
     */
    void viewAdopted() {
        reported.clear();
        secondLook.removeIf(peer -> !ring.contains(peer));
        watchChanged();
        boolean slept = sleptElecting;
        sleptElecting = false;
        sleptOut = false;
        if (ring.isLeader() && probation.active() && sleptLeadingTerm != ring.view().term()) {
            // a probation of a term this node no longer leads: deposed, it elected, and won a new
            // term its members caught up with. Kept, it held the new leadership deposed for good,
            // taking no merge (seed 144551, once a woken winner published on probation)
            probation.reset();
        }
        if (!ring.isLeader()) {
            probation.reset();
        } else if (slept && !probation.active() && !ring.others().isEmpty()) {
            beginProbation(fx.now());
        } else if (probation.check(ring.others())) {
            outcomes.probationChanged();
        }
    }

    /** This node was removed: the checks it had open were about a ring it is no longer in. */
    void removed() {
        sleptElecting = false;
        sleptOut = false;
        suspicion.clear();
        secondLook.clear();
        probation.reset();
        reported.clear();
    }
}
