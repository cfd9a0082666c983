package org.ringchat.ring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.ringchat.protocol.Candidate;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.Elected;
import org.ringchat.protocol.Message.Heartbeat;
import org.ringchat.protocol.Message.MembershipChange;
import org.ringchat.protocol.Message.Election;
import org.ringchat.protocol.Message.SyncReply;
import org.ringchat.protocol.Message.SyncRequest;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.CatchUp;
import org.ringchat.ring.core.ChangRobertsElection;
import org.ringchat.ring.core.ChangRobertsElection.Step;
import org.ringchat.ring.core.FrameBudget;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;

/**
 * From "the leader is gone" to "a new leader leads": the Chang–Roberts election around the
 * repaired ring ({@link ChangRobertsElection}), then the winner's catch-up round ({@link CatchUp}):
 * it asks every member how far it got, collects what any of them delivered beyond its own
 * history, sends each member what it lacks, and only then publishes its first view, from which
 * the members submit their unconfirmed lines again.
 */
final class ElectionHandling {

    private final NodeEffects fx;
    private final ViewHandling ring;
    private final ChatHandling chat;
    private final BooleanSupplier leaving;
    private final Consumer<NodeAddress> countOut;
    private final Consumer<Message> toSelf;
    private final CatchUp catchUp = new CatchUp();
    private final FrameBudget frameBudget;
    private ChangRobertsElection election;
    private Cancellable electionTimer;
    private Cancellable catchUpTimer;
    private long lastProgress;
    /**
     * When this election last came nearer a leader: it began, this node won, a leader was
     * learned, a catch-up began. Candidacies passing through do not count: a few members left
     * behind by the ring pass theirs round among themselves for ever, and nobody else takes part.
     */
    private long lastMoved;

    /**
     * This many election timeouts without a leader coming nearer ({@link #lastMoved}), while the
     * leader this node lost keeps sending heartbeats, or a member heartbeats from a newer term:
     * nobody takes part, and the node gives its election up ({@link #onHeartbeat}). Fewer would
     * pull members back to a leader that the others, paused or slow for a moment, are still
     * replacing.
     */
    static final int FRUITLESS_STANDINGS = 3;

    /**
     * A member that still hears its leader declines this many elections in a row that another
     * member brings, each time because the leader answered that it leads; it follows the next.
     * One member that lost the leader alone (a lossy link) gives its election up within
     * {@link #FRUITLESS_STANDINGS} timeouts; several members that the leader cannot reach, while
     * this one can, are not held off for good.
     */
    static final int SUMMONS_DECLINED = 5;

    /**
     * A winner whose catch-up no member answered at all asks them all again this many times, each
     * with another {@code syncTimeoutMs}, before it leads without them. The members just passed its
     * candidacy round, so they live; their answers were lost (seed 89697: every answer dropped,
     * the winner led alone and numbered again a line the others had shown). Leading alone, it
     * numbers places they may have shown otherwise; a member that died is refused or removed.
     */
    static final int SILENT_CATCH_UP_RETRIES = 2;
    private int declined;
    private final Runnable nobodyAnswers;
    private final Predicate<NodeAddress> hears;
    private final Consumer<NodeAddress> checkLeader;
    private final BooleanSupplier wokeFromPause;
    /** Whether this leader is back from a pause and not yet confirmed (it then resends only what it showed). */
    private final BooleanSupplier onProbation;
    /**
     * Candidacies held while this member checks that its leader, which it still hears, is gone
     * as the member that brought them says (one per candidate, all members: bounded by the ring).
     */
    private final Map<Candidate, Election> summons = new LinkedHashMap<>();
    private NodeAddress summonedBy;
    private boolean replaying;
    /** This election's winner-to-be opened its links to every member ({@link #onHello}). */
    private boolean linksOpened;
    /** The lost leader's newest view, when one newer than this node's reached its catch-up ({@link #lateView}). */
    private View lateView;


    /**
     * @param leaving whether this node is leaving (it then helps no new leader)
     * @param countOut routes around a leader that other members lost first, before this node
     *     passes their election on
     * @param toSelf hands an election message to this node itself, in a task of its own (a ring of one)
     * @param hears whether this node heard a peer it watches lately (see {@link FailureHandling#hears})
     * @param checkLeader asks the leader whether it still leads; the answer comes to {@link #leaderChecked}
     * @param wokeFromPause true (once) when this node turns out to have been paused; electing, it
     *     then calls {@link #sleptElecting}
     */
    ElectionHandling(NodeEffects fx, ViewHandling ring, ChatHandling chat, BooleanSupplier leaving,
            Consumer<NodeAddress> countOut, Consumer<Message> toSelf, Runnable nobodyAnswers,
            Predicate<NodeAddress> hears, Consumer<NodeAddress> checkLeader, BooleanSupplier wokeFromPause,
            BooleanSupplier onProbation) {
        this.fx = fx;
        this.ring = ring;
        this.chat = chat;
        this.leaving = leaving;
        this.countOut = countOut;
        this.toSelf = toSelf;
        this.nobodyAnswers = nobodyAnswers;
        this.hears = hears;
        this.checkLeader = checkLeader;
        this.wokeFromPause = wokeFromPause;
        this.onProbation = onProbation;
        this.frameBudget = new FrameBudget(fx.config.maxFrameBytes());
    }

    /** The term this node is electing a leader for, or its leader's. */
    long term() {
        return election == null ? 0 : election.term();
    }

    /** A view was adopted: its leader is known for its term, and any election or catch-up is over. */
    void viewAdopted(View view) {
        Member me = ring.me();
        if (election == null || !election.self().equals(me.candidate()) || view.term() < election.term()) {
            // (a view older than this node's election: it gave the election up, nobody took part;
            // the terms it stood in stay used)
            long used = election == null ? 0 : election.term();
            election = new ChangRobertsElection(me.candidate(), this::toPrevious);
            election.termsUsed(used);
        }
        election.leaderKnown(view.member(view.leader()).orElseThrow().candidate(), view.term());
        stopTimers();
        catchUp.reset();
        summons.clear();
        declined = 0;
    }

    // ---- losing the leader -------------------------------------------------------------------

    /** A member died: a candidate it was must not win, and a catch-up does not wait for it. */
    void memberDied(NodeAddress peer, Departure.Reason reason) {
        if (catchUp.memberLost(peer, reason)) {
            finishCatchUp();
        }
        if (election != null) {
            ring.member(peer).ifPresent(m -> election.forget(m.candidate()));
        }
    }

    /** A member taken for dead was heard from: it may stand and win again. */
    void memberAlive(NodeAddress peer) {
        if (election != null) {
            ring.member(peer).ifPresent(m -> election.revive(m.candidate()));
        }
    }

    /** The previous changed: the last election message may have died with the old one. */
    void previousChanged() {
        if (election != null) {
            election.resend();
        }
    }

    /** The leader crashed, hung or left: start an election. */
    void leaderLost(NodeAddress leader, Departure.Reason reason) {
        String how = switch (reason) {
            case LEFT -> "left";
            case CRASHED -> "crashed";
            default -> "stopped responding";
        };
        String text = "leader " + ring.display(leader) + " " + how + "; electing a new leader";
        if (reason == Departure.Reason.CRASHED || reason == Departure.Reason.LEFT) {
            fx.event(Kind.ELECTION_STARTED, text);
        } else {
            // a silence may be this node's alone (a link whose stream TCP backs off): the others,
            // which still hear the leader, would not follow, and the user would see a leader lost
            // and found again. Told once another member takes part (#moved), or before whatever
            // the user is told next; never if nobody does and this node follows its leader again
            fx.hold(Kind.ELECTION_STARTED, text);
        }
        enterElection();
        withdrawIfLeaving();
        election.start();
        replaySummons(); // candidacies held while this node still heard the leader go on now
    }

    private void enterElection() {
        linksOpened = false;
        ring.electing();
        chat.acceptFrom(null);
        chat.ordering(false);
        lastProgress = fx.now();
        lastMoved = lastProgress;
        armElectionTimer();
    }

    /**
     * The links the catch-up will need, every member to the most senior survivor (who wins unless
     * it is dead too) and that survivor to every member, are opened while the election goes
     * round, but only once the survivor's candidacy is through its first hop. A member opens its
     * link to the survivor as it passes the survivor's candidacy on ({@link #onElection}); the
     * survivor opens its links to every member when the first of those links reaches it
     * ({@link #onHello}), and the round, which does not come back to it before its last hop,
     * goes on meanwhile.
     *
     * <p>Why not sooner or later: opened only once the winner was known, they were a storm after
     * the win (every member and the new leader opening and proving a connection to each other at
     * once, one after another on the new leader's thread: 130–420 ms of the catch-up in rings of
     * 100 to 300 in one JVM). Opened as the leader was lost, they were the same storm at the
     * start of the election, and the candidacy's first hop, on a new link to the survivor's new
     * previous, waited 327–884 ms behind it: that previous proves the link by asking the survivor
     * on a check connection, which the survivor answered only after the checks of the links every
     * other member had opened to it. The storm's work stays the same: on a machine short of CPU
     * the round and the catch-up take most of that time back (docs/scaling.md).
     *
     * <p>Now the deputy and every member keep spare links to each other ({@code Membership.spares}):
     * these links exist before the leader is lost, the calls here only make them ordinary, and
     * open links only to members that lack a spare (one that joined or was lost a moment ago).
     */
    private NodeAddress successor() {
        NodeAddress lost = ring.view().leader();
        for (Member m : ring.view().members()) {
            if (!m.address().equals(lost) && ring.isReachable(m.address())) {
                return m.address();
            }
        }
        return null;
    }

    /**
     * A member's link to this node was proven (its {@code Hello}). The most senior survivor, while
     * electing, takes the first as the sign that its candidacy's first hop is through, and opens
     * its links to every member (see {@link #successor}).
     */
    void onHello(NodeAddress from) {
        if (linksOpened || ring.status() != Status.ELECTING || !ring.inRing() || !ring.contains(from)) {
            return;
        }
        NodeAddress lost = ring.view().leader();
        if (from.equals(lost) || !fx.self().equals(successor())) {
            return;
        }
        linksOpened = true;
        for (NodeAddress peer : ring.others()) {
            if (!peer.equals(lost)) {
                fx.connect(peer);
            }
        }
    }

    private void armElectionTimer() {
        if (electionTimer != null) {
            electionTimer.cancel();
        }
        electionTimer = fx.schedule("ElectionTimeoutTask", fx.config.electionTimeoutMs(), this::electionTimedOut);
    }

    /**
     * A leaving member stands in no election while others are there to win it: elected, it would
     * leave the ring it had just been chosen to lead (seed 239064). Alone, it may lead on its way
     * out, as before (it then orders none of its own lines, {@code LeaveHandling}).
     */
    private void withdrawIfLeaving() {
        election.withdraw(leaving.getAsBoolean() && !ring.others().isEmpty());
    }

    private void electionTimedOut() {
        if (ring.status() != Status.ELECTING || !ring.inRing()) {
            return;
        }
        if (catchUp.phase() == CatchUp.Phase.IDLE && fx.now() - lastProgress >= fx.config.electionTimeoutMs()) {
            withdrawIfLeaving();
            fx.event(Kind.ELECTION, "no leader after " + fx.config.electionTimeoutMs() + " ms; "
                    + (leaving.getAsBoolean() && !ring.others().isEmpty()
                            ? "leaving, this node stands in no election: waiting for another candidacy"
                            : "standing again"));
            chat.acceptFrom(null);
            if (election.phase() == ChangRobertsElection.Phase.IDLE) {
                election.start();
            } else {
                election.restart();
            }
            lastProgress = fx.now();
        }
        armElectionTimer();
    }

    /**
     * The election's outbox: to the live member before this one (this node itself when alone).
     * Elections travel against the ring's direction on purpose: ring order is seniority order,
     * so going backwards every candidacy but the winner's meets a more senior member at its
     * first hop and dies there, which makes an election in which everyone stands at once cost
     * 2n−1 messages instead of n(n+1)/2.
     */
    private void toPrevious(Message message) {
        NodeAddress to = ring.previous();
        fx.event(Kind.ELECTION, "sent " + describe(message) + " to " + ring.display(to));
        if (to.equals(fx.self())) {
            toSelf.accept(message);
        } else {
            fx.send(to, message);
        }
    }

    /**
     * A heartbeat while electing, once the election is {@link #fruitless}. From the leader this
     * node lost, still in the term it lost it in: the leader is alive and the others follow it;
     * this node lost it on its side only (a one-way cut, healed since, or a link whose stream
     * stalled), and its election would go on for ever. It gives the election up and follows that
     * leader again.
     */
    void onHeartbeat(NodeAddress from, Heartbeat heartbeat) {
        if (!fruitless()) {
            return;
        }
        if (from.equals(ring.view().leader()) && heartbeat.term() == ring.view().term()) {
            fx.event(Kind.ELECTION, "nobody took part in the election for " + (fx.now() - lastMoved)
                    + " ms, and the leader it lost is alive: following it again");
            stopTimers();
            nobodyAnswers.run();
        } else if (heartbeat.term() > ring.view().term() && ring.contains(from)) {
            // a member of a newer term: the ring moved on without this node. Its own heartbeat
            // shows its old view; the new term's leader answers with its view, and this node,
            // counted in, rejoins through it (ViewHandling#onMembershipUpdate)
            View view = ring.view();
            fx.send(from, new Heartbeat(view.term(), view.version()));
        }
    }

    /**
     * True when this node's election came no nearer a leader for {@link #FRUITLESS_STANDINGS}
     * election timeouts: nobody (but members left behind as well) takes part in it.
     */
    boolean fruitless() {
        return ring.status() == Status.ELECTING && ring.inRing() && catchUp.phase() == CatchUp.Phase.IDLE
                && fx.now() - lastMoved >= FRUITLESS_STANDINGS * fx.config.electionTimeoutMs();
    }

    // ---- the election ------------------------------------------------------------------------

    /**
     * An election message. A member that still follows the old leader joins in: another member
     * lost that leader first (a crash it saw, or a hang a second member confirmed), so this node
     * counts it out as well, and neither passes the election to it nor, if it wins, waits for its
     * catch-up answer.
     */
    void onElection(NodeAddress from, Election message) {
        if (!ring.inRing()) {
            return;
        }
        fx.event(Kind.ELECTION, "received " + describe(message) + " from " + ring.display(from));
        if (!isMember(message.candidate())) {
            return; // an election nobody here can win; it must not take this node from its leader either
        }
        if (ring.status() == Status.MEMBER && !ring.mayBeNext(from, ring.leader())) {
            // elections travel round the ring, to each node's previous: only this node's next (as
            // its sender may see it, having lost the leader between them) may take this node from
            // its leader
            return;
        }
        if (ring.status() == Status.MEMBER && message.term() > ring.view().term()) {
            NodeAddress lost = ring.leader();
            if (!replaying && !lost.equals(fx.self()) && hears.test(lost) && declined < SUMMONS_DECLINED) {
                hold(from, message, lost);
                return;
            }
            fx.event(Kind.ELECTION_STARTED, lost.equals(fx.self())
                    ? "the others lost this node and started an election; it stops leading"
                    : "leader " + ring.display(lost) + " is gone; electing a new leader");
            enterElection();
            if (!message.candidate().address().equals(lost)) {
                // (a leader that stands itself is alive: it stepped down because the others lost
                // it, and counted out, its candidacy would die here, the most senior one; seed 9665)
                countOut.accept(lost);
            }
        }
        if (ring.status() == Status.ELECTING) {
            // alone on the repaired ring, it sends to itself: only it can win here
            withdrawIfLeaving();
            Step step = election.onElection(message, ring.previous().equals(fx.self()));
            if (step == Step.CIRCLED) {
                fx.event(Kind.ELECTION, ring.display(message.candidate().address())
                        + "'s candidacy came round again without reaching it; standing for term " + election.term());
            }
            if (step == Step.FORWARDED && message.candidate().address().equals(successor())) {
                // the catch-up's link (see #successor), once the candidacy is on its way
                NodeAddress winner = message.candidate().address();
                fx.afterFlush(() -> fx.connect(winner));
            }
            if (step != Step.STALE && step != Step.DEAD_CANDIDATE) {
                lastProgress = fx.now();
                if (!from.equals(fx.self())) {
                    fx.tellHeld(); // another member takes part: the leader is gone for it too
                }
            }
            if (step == Step.WON) {
                lastMoved = lastProgress;
                beginCatchUp(message.term());
            }
        }
    }

    /**
     * An election reached this member, which still hears its leader: it asks the leader whether
     * it still leads before it follows. One member behind a lossy link, whose stream from the
     * leader stalled for seconds in TCP's back-off, started elections that every member joined
     * (LinkFaultIT, 20 % loss): the whole ring changed leader for one member's bad link. A crashed
     * leader's connection is refused at once, and a hung one is silent to every member by the time
     * the first of them has verified it: either way the check costs next to nothing.
     */
    private void hold(NodeAddress from, Election message, NodeAddress leader) {
        boolean first = summons.isEmpty();
        summons.put(message.candidate(), message);
        summonedBy = from;
        if (first) {
            fx.event(Kind.ELECTION, ring.display(from) + " lost the leader, but this node hears "
                    + ring.display(leader) + "; asking it before following");
            checkLeader.accept(leader);
        }
    }

    /** The answer to {@link #hold}'s question: the leader still leads in this node's term, or not. */
    void leaderChecked(NodeAddress leader, boolean leads) {
        if (summons.isEmpty()) {
            return;
        }
        if (leads && ring.status() == Status.MEMBER && leader.equals(ring.leader())) {
            declined++;
            fx.event(Kind.ELECTION, "leader " + ring.display(leader) + " answers and still leads; "
                    + ring.display(summonedBy) + "'s election goes no further (" + declined + " of "
                    + SUMMONS_DECLINED + " declined)");
            summons.clear();
            return;
        }
        replaySummons();
    }

    private void replaySummons() {
        if (summons.isEmpty()) {
            return;
        }
        List<Election> held = List.copyOf(summons.values());
        NodeAddress from = summonedBy;
        summons.clear();
        replaying = true;
        try {
            held.forEach(m -> onElection(from, m));
        } finally {
            replaying = false;
        }
    }

    void onElected(NodeAddress from, Elected message) {
        if (ring.status() == Status.MEMBER && message.term() > ring.view().term()) {
            replaySummons(); // an election went round while this node held it: the others elected a leader
        }
        if (!ring.inRing() || ring.status() != Status.ELECTING) {
            return;
        }
        fx.event(Kind.ELECTION, "received " + describe(message) + " from " + ring.display(from));
        if (isMember(message.leader()) && election.onElected(message) == Step.LEADER_LEARNED) {
            lastProgress = fx.now();
            lastMoved = lastProgress;
            fx.tellHeld();
        }
    }

    /**
     * Only a member of this node's ring may win here, and no incarnation of this node but the
     * current one. A candidate from elsewhere (a node this one never admitted, or this node's own
     * old incarnation, from before it rejoined under another rank) can never win: passed on, it
     * would go round for ever, around a ring of one to itself without end. Another member's rank
     * may differ from this node's view of it (a view it missed): ids compare all the same, so such
     * a candidate goes on; one this node found dead is dropped by the election itself, until the
     * election starts again.
     */
    private boolean isMember(Candidate candidate) {
        if (candidate.address().equals(fx.self())) {
            return candidate.equals(ring.me().candidate());
        }
        // ranks only grow (a rejoin takes a new one): a rank below the one this node knows is forged
        return ring.member(candidate.address()).filter(m -> candidate.rank() >= m.rank()).isPresent();
    }

    // ---- the catch-up ------------------------------------------------------------------------

    private void beginCatchUp(long term) {
        fx.event(Kind.ELECTION, "won the election for term " + term + "; bringing every member up to date");
        List<NodeAddress> others = ring.others();
        lateView = null;
        chat.catchUpBegins();
        catchUp.begin(term, others, fx.now() + fx.config.syncTimeoutMs());
        if (others.isEmpty()) {
            finishCatchUp();
            return;
        }
        fx.sendAll(others, new SyncRequest(term, chat.delivered()));
        armCatchUpTimer();
    }

    private void armCatchUpTimer() {
        catchUpTimer = fx.schedule("CatchUpTimeoutTask", Math.max(0, catchUp.deadline() - fx.now()), () -> {
            wokeFromPause.getAsBoolean(); // a deadline passed in this node's own pause is not the members' fault
            if (!catchUp.expired(fx.now())) {
                return;
            }
            if (catchUp.unanswered() && catchUp.retry(fx.now() + fx.config.syncTimeoutMs(), SILENT_CATCH_UP_RETRIES)) {
                fx.event(Kind.ELECTION, "no member answered the catch-up within " + fx.config.syncTimeoutMs()
                        + " ms; asking again");
                fx.sendAll(List.copyOf(catchUp.waiting()), new SyncRequest(catchUp.term(), chat.delivered()));
                armCatchUpTimer();
            } else {
                finishCatchUp();
            }
        });
    }

    /**
     * This node woke from a pause while it elected. A catch-up under way gets its whole time
     * again: the answers may wait unread, and members that did not answer had as long as the
     * pause left them, not {@code syncTimeoutMs}. Left out at the deadline that fell in the pause,
     * they were members the winner had not heard out (seed 155876).
     */
    void sleptElecting() {
        if (catchUp.phase() != CatchUp.Phase.COLLECTING) {
            return;
        }
        catchUp.postpone(fx.now() + fx.config.syncTimeoutMs());
        if (catchUpTimer != null) {
            catchUpTimer.cancel();
        }
        armCatchUpTimer();
    }

    /**
     * A link to {@code peer} went down (not refused) while this winner waits for its answer: the
     * request (or the answer on its way back) may have gone with it, and the round would leave a
     * live member out at its deadline. It is asked again, on a new link (a member answers every
     * request of the round; a second answer is dropped here once the first is in). Seed 6191: all
     * three requests were lost with their connections, and the winner, alone in its first
     * view, numbered again what the old leader's piece had ordered and shown.
     */
    void catchUpLinkLost(NodeAddress peer) {
        if (catchUp.accepts(peer, catchUp.term()) && ring.status() == Status.ELECTING && ring.contains(peer)) {
            fx.send(peer, new SyncRequest(catchUp.term(), chat.delivered()));
        }
    }

    void onSyncRequest(NodeAddress from, SyncRequest request) {
        if (ring.status() == Status.MEMBER && request.term() > ring.view().term()) {
            // a winner asks: the others elected it while this node held their election (the
            // leader's answer still to come), and its catch-up must hear this node's lines
            replaySummons();
        }
        if (ring.isLeader() && request.term() == ring.view().term() && ring.contains(from)) {
            // a member lost messages with a dropped connection, or its stream stalls in TCP's
            // back-off behind a lossy link: the answer goes on a connection of its own, once
            // what this turn wrote to the old one is on its way (closing drops what is unflushed)
            long after = request.afterSeq();
            fx.afterFlush(() -> {
                if (ring.isLeader() && ring.contains(from)) {
                    fx.disconnect(from);
                    chat.resend(from, after, frameBudget, onProbation.getAsBoolean());
                }
            });
            return;
        }
        if (!ring.inRing() || leaving.getAsBoolean() || request.term() <= ring.view().term()
                || request.term() < election.term() || catchUp.phase() != CatchUp.Phase.IDLE || !ring.contains(from)) {
            return;
        }
        if (!election.stood(from, request.term())) {
            // only a winner asks: its candidacy went round the ring, through this node, first
            return;
        }
        if (ring.status() == Status.MEMBER) {
            enterElection();
        }
        chat.acceptFrom(from);
        chat.catchUpBegins();
        lastProgress = fx.now();
        lastMoved = lastProgress;
        fx.tellHeld();
        election.leaderKnown(ring.member(from).orElseThrow().candidate(), request.term());
        fx.event(Kind.ELECTION, "catching up with new leader " + ring.display(from) + " (term " + request.term() + ")");
        // as many frames as it takes; the leader counts this member as answered with the last
        long position = chat.catchUpAfter();
        for (List<ChatDeliver> chunk : frameBudget.chunks(chat.after(request.afterSeq()))) {
            fx.send(from, new SyncReply(request.term(), position, chunk));
        }
    }

    void onSyncReply(NodeAddress from, SyncReply reply) {
        if (!catchUp.accepts(from, reply.term())) {
            chat.onResend(from, reply); // or the leader's answer to a gap
            return;
        }
        reply.entries().forEach(chat::deliver);
        List<ChatDeliver> entries = reply.entries();
        boolean last = entries.isEmpty() || entries.get(entries.size() - 1).seq() >= reply.deliveredSeq();
        if (catchUp.onReply(from, reply.term(), reply.deliveredSeq(), last)) {
            finishCatchUp();
        }
    }

    /** Everyone answered (or the time is up): catch members up and publish the new view. */
    private void finishCatchUp() {
        if (catchUp.phase() != CatchUp.Phase.COLLECTING || ring.status() != Status.ELECTING || !ring.inRing()) {
            return;
        }
        CatchUp.Outcome outcome = catchUp.finish(lateView != null ? lateView : ring.view(), fx.self());
        lateView = null;
        for (Map.Entry<NodeAddress, Long> e : outcome.positions().entrySet()) {
            chat.after(e.getValue()).forEach(d -> fx.send(e.getKey(), d));
        }
        stopTimers();
        ring.publish(outcome.view(), outcome.departed());
    }

    private void stopTimers() {
        if (electionTimer != null) {
            electionTimer.cancel();
        }
        if (catchUpTimer != null) {
            catchUpTimer.cancel();
        }
    }

    /**
     * A view of the lost leader's term, newer than the one this winner holds, reached it during
     * its catch-up. The lost leader admitted members in it whose view change no other member had
     * read either when it died (the change waited in the streams behind its last orderings), and
     * the election went round without them. Such a member may be the only one to hold the lost
     * leader's last orderings (a joiner gets the history with its admission, and what is ordered
     * after): the winner tells it that it won, asks it too, and its first view holds it. Before,
     * the winner numbered those places again, and the joiner, left out, had shown other lines
     * there (seed 138775). True when the view was taken here.
     */
    boolean lateView(NodeAddress from, View view) {
        if (catchUp.phase() != CatchUp.Phase.COLLECTING || ring.status() != Status.ELECTING) {
            return false;
        }
        View known = lateView != null ? lateView : ring.view();
        if (!from.equals(known.leader()) || !from.equals(view.leader()) || view.term() != known.term()
                || view.version() <= known.version() || !view.contains(fx.self())
                || view.ringId() == null || !view.ringId().equals(known.ringId())) {
            return false;
        }
        lateView = view;
        Elected won = new Elected(ring.me().candidate(), catchUp.term());
        for (Member m : view.members()) {
            NodeAddress member = m.address();
            if (!member.equals(from) && !ring.contains(member) && catchUp.add(member)) {
                fx.event(Kind.ELECTION, "the lost leader admitted " + m.display() + " in a view that came late; asking it too");
                fx.send(member, won);
                fx.send(member, new SyncRequest(catchUp.term(), chat.delivered()));
            }
        }
        return true;
    }

    /** As {@link #lateView(NodeAddress, View)}, for a view written as its change. */
    boolean lateView(NodeAddress from, MembershipChange change) {
        if (catchUp.phase() != CatchUp.Phase.COLLECTING || ring.status() != Status.ELECTING) {
            return false;
        }
        return change.applyTo(lateView != null ? lateView : ring.view()).map(v -> lateView(from, v)).orElse(false);
    }

    /** Forgets any election or catch-up in progress (this node was removed). */
    void reset() {
        stopTimers();
        lateView = null;
        catchUp.reset();
        summons.clear();
    }

    /** {@code peer} died during this leader change: the new view says why it is gone. */
    void noteDeath(NodeAddress peer, Departure.Reason reason) {
        catchUp.noteDeath(peer, reason);
    }

    private String describe(Message message) {
        if (message instanceof Election e) {
            return "Election(candidate " + ring.display(e.candidate().address()) + " rank " + e.candidate().rank()
                    + ", term " + e.term() + ")";
        }
        if (message instanceof Elected e) {
            return "Elected(leader " + ring.display(e.leader().address()) + ", term " + e.term() + ")";
        }
        return message.getClass().getSimpleName();
    }
}
