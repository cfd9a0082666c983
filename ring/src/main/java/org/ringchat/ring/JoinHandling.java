package org.ringchat.ring;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ringchat.protocol.LostMember;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.JoinAccepted;
import org.ringchat.protocol.Message.JoinRejected;
import org.ringchat.protocol.Message.JoinRequest;
import org.ringchat.protocol.Message.Leave;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.RingIdentity.RingId;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.Admission;
import org.ringchat.ring.core.Admission.Admit;
import org.ringchat.ring.core.Admission.Handover;
import org.ringchat.ring.core.Admission.Readmit;
import org.ringchat.ring.core.Admission.Reject;
import org.ringchat.ring.core.FrameBudget;
import org.ringchat.ring.core.Joining;
import org.ringchat.ring.core.RateLimit;
import org.ringchat.ring.transport.LinkLoss;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;

/**
 * Getting in: starting a ring, joining one through any member (and joining again after being
 * removed), and, as the leader, admitting newcomers. A member forwards join requests to its
 * leader and holds them while there is none.
 */
final class JoinHandling {

    /** Join requests held during an election at most; more are refused (the joiner may retry). */
    static final int MAX_HELD_JOINS = 100;
    /**
     * Join requests one host may make at once, and then per second ({@link #JOINS_PER_SECOND_PER_HOST}),
     * to this node; more are refused at once, at the cost of a small answer. Too low and a
     * classroom behind one address, or a test starting many nodes on one machine, is refused;
     * too high and a flood of joins makes a leader admit (and then remove) that many phantoms.
     */
    static final int JOIN_BURST_PER_HOST = 50;
    static final double JOINS_PER_SECOND_PER_HOST = 10;
    /** Hosts whose join requests are counted at once; the least recent is forgotten beyond. */
    static final int JOIN_SOURCES_REMEMBERED = 4096;

    private final NodeEffects fx;
    private final ViewHandling ring;
    private final ChatHandling chat;
    private final BooleanSupplier leaderReady;
    private final Consumer<Throwable> fail;
    private final Admission admission = new Admission(MAX_HELD_JOINS);
    private final Joining joining;
    private final FrameBudget frameBudget;
    private final FrameBudget backlogBudget;
    private final CompletableFuture<Void> admitted = new CompletableFuture<>();
    private final RateLimit<String> joinsPerHost =
            new RateLimit<>(JOIN_BURST_PER_HOST, JOINS_PER_SECOND_PER_HOST, JOIN_SOURCES_REMEMBERED);
    private long refusedSinceLastWarning;
    private long lastRateWarning = Long.MIN_VALUE;
    private Cancellable joinTimer;
    /** Whether a rejoiner missed a merge this leader made; and sending it that merge. */
    private final Predicate<NodeAddress> missedMergeOf;
    private final Consumer<NodeAddress> sendMissedMerge;
    /** The members this leader lost and probes, told to a joiner; and a joiner taking them over. */
    private final Function<View, List<LostMember>> lostToTell;
    private final Consumer<List<LostMember>> inheritLost;

    /**
     * @param leaderReady whether this node, as leader, may admit now (not on probation, not catching up)
     * @param fail stops the node for good with this error
     */
    JoinHandling(NodeEffects fx, ViewHandling ring, ChatHandling chat, BooleanSupplier leaderReady, Consumer<Throwable> fail,
            Predicate<NodeAddress> missedMergeOf, Consumer<NodeAddress> sendMissedMerge,
            Function<View, List<LostMember>> lostToTell, Consumer<List<LostMember>> inheritLost) {
        this.missedMergeOf = missedMergeOf;
        this.sendMissedMerge = sendMissedMerge;
        this.lostToTell = lostToTell;
        this.inheritLost = inheritLost;
        this.fx = fx;
        this.ring = ring;
        this.chat = chat;
        this.leaderReady = leaderReady;
        this.fail = fail;
        this.joining = new Joining(fx.config.joinTimeoutMs());
        this.frameBudget = new FrameBudget(fx.config.maxFrameBytes());
        // the rooms' backlog shares a joiner's frame with the history: a quarter of the frame
        this.backlogBudget = new FrameBudget(fx.config.maxFrameBytes() / 2);
    }

    /** Completes once this node is in a ring for the first time. */
    CompletableFuture<Void> admitted() {
        return admitted;
    }

    // ---- the joiner's side ------------------------------------------------------------------

    void startRing() {
        Member me = new Member(fx.config.name(), fx.self(), 1);
        // the ring's id is born here, from this node's address and clock, and never changes
        RingId id = new RingId(Math.max(0, fx.wallClockMs()), fx.self());
        ring.enter(me, new View(1, 1, fx.self(), List.of(me), 2, Map.of(), List.of(), List.of(), id));
        fx.event(Kind.WELCOME, "started a new ring at " + fx.self() + "; you are the leader");
        chat.tellLeaderOurRoom();
        fx.publishNow(); // whoever waits for the admission reads the snapshot next
        admitted.complete(null);
    }

    void join(NodeAddress contact) {
        joining.join(contact, fx.now());
        ask();
    }

    /** Removed from {@code view}'s ring (it hung, or was cut off): join again under the name it had there. */
    void rejoin(View view) {
        rejoin(view, view.leader());
    }

    /** Removed from {@code view}'s ring: join again, through {@code first} before its members. */
    void rejoin(View view, NodeAddress first) {
        joining.rejoin(view, first, fx.self(), fx.now());
        ask();
    }

    private void ask() {
        if (joining.phase() == Joining.Phase.REJOINING) {
            // a fresh connection: a member takes one join request per connection
            fx.disconnect(joining.target());
        }
        // a rejoin asks for the name this node had in the ring: a merge may have renamed it, and
        // the name it was started with is then another member's
        boolean rejoining = joining.phase() == Joining.Phase.REJOINING;
        fx.send(joining.target(), new JoinRequest(rejoining ? ring.me().name() : fx.config.name(), fx.self(),
                rejoining ? chat.rejoinAfter() : -1));
        if (joinTimer != null) {
            joinTimer.cancel();
        }
        joinTimer = fx.schedule("JoinTimeoutTask", Math.max(0, joining.deadline() - fx.now()), this::joinTimedOut);
    }

    private void joinTimedOut() {
        if (joining.expired(fx.now())) {
            failed("no answer from " + joining.target() + " within " + fx.config.joinTimeoutMs() / 1000.0 + " s", false);
        }
    }

    private void failed(String why, boolean refused) {
        failed(new JoinException(why), refused);
    }

    private void failed(JoinException error, boolean refused) {
        String why = error.getMessage();
        NodeAddress tried = joining.target();
        boolean rejoining = joining.phase() == Joining.Phase.REJOINING;
        NodeAddress next = joining.failed(fx.now(), refused);
        if (!rejoining) {
            fail.accept(error);
        } else if (next == null) {
            fx.event(Kind.WARNING, "could not rejoin through " + tried + ": " + why);
            fail.accept(new JoinException("removed from the ring and no member would take this node back"));
        } else {
            fx.event(Kind.WARNING, "could not rejoin through " + tried + ": " + why);
            ask();
        }
    }

    /**
     * A link went down: a refused connect to the member we asked means nobody listens there; an
     * unanswered one, that it cannot be reached now; a connection it closed before any answer
     * means it would not talk to this node (it requires a secret or TLS this node lacks, or
     * refused its certificate or name).
     */
    void onLinkDown(NodeAddress peer, LinkLoss loss) {
        if (!joining.active() || !peer.equals(joining.target())) {
            return;
        }
        if (loss == LinkLoss.REFUSED) {
            failed("nobody is listening at " + peer, false);
        } else if (loss == LinkLoss.UNREACHABLE) {
            failed("no answer from " + peer + " within " + fx.config.connectTimeoutMs() + " ms", false);
        } else {
            joinTimer.cancel();
            failed(peer + " closed the connection before answering (does the ring require a secret or TLS?)", false);
        }
    }

    /** The member asked does not share this node's secret (or holds one where this node holds none). */
    void onAuthenticationFailed(NodeAddress peer) {
        if (joining.active() && peer.equals(joining.target())) {
            joinTimer.cancel();
            failed("authentication failed", true);
        }
    }

    /**
     * The member asked for a first join does not speak the protocol: the user pointed at the
     * wrong port or host, which no waiting will fix. (A rejoin waits for its answer as before: a
     * member it knew is a ringchat node, perhaps a slow one.)
     */
    void onForeignProtocol(NodeAddress peer, String what) {
        if (joining.phase() == Joining.Phase.JOINING && peer.equals(joining.target())) {
            joinTimer.cancel();
            failed(new ForeignProtocolException(peer + " does not speak the ringchat protocol (" + what
                    + "): is it a ringchat node?"), true);
        }
    }

    void onJoinAccepted(NodeAddress from, JoinAccepted accepted) {
        if (!accepted.you().address().equals(fx.self()) || !from.equals(accepted.view().leader())) {
            return;
        }
        if (!joining.active()) {
            if (ring.inRing() && !from.equals(ring.leader())) {
                // the answer to a request this node sent another member too, late: it is in
                // another ring (or piece) since. That leader now counts it as its member, and a
                // merge would take this node's lines for its own numbers (seed 130051): it leaves
                // that ring at once, and a merge of the pieces takes it in with its own
                fx.note("admitted by " + from + " after joining another ring: leaving its ring");
                fx.send(from, new Leave());
            }
            return;
        }
        boolean rejoined = joining.phase() == Joining.Phase.REJOINING;
        joining.admitted();
        joinTimer.cancel();
        if (rejoined) {
            chat.catchUpAfterRejoin(accepted.history());
        } else {
            chat.inherit(accepted.history());
        }
        chat.admittedWith(accepted.nextMsgId());
        View view = accepted.view();
        ring.enter(accepted.you(), view);
        inheritLost.accept(accepted.lost()); // this node may lead them one day (seed 5805)
        fx.event(Kind.WELCOME, (rejoined ? "rejoined" : "joined") + " the ring: " + ViewHandling.members(view.size())
                + ", leader " + view.member(view.leader()).orElseThrow().display());
        if (!rejoined) {
            chat.admittedWithBacklog(accepted.backlog(), accepted.history());
        } else {
            chat.tellLeaderOurRoom();
        }
        fx.publishNow(); // whoever waits for the admission reads the snapshot next
        admitted.complete(null);
    }

    void onJoinRejected(NodeAddress from, JoinRejected rejected) {
        if (!joining.active()) {
            return;
        }
        joinTimer.cancel();
        String why = "join refused by " + from + ": " + rejected.reason();
        if (rejected.nameRefused()) {
            // the leader refused the name: any other member would pass it to the same leader
            boolean rejoining = joining.phase() == Joining.Phase.REJOINING;
            joining.failed(fx.now(), true);
            fail.accept(new NameRefusedException(rejoining ? "removed from the ring, and cannot rejoin: " + why : why));
        } else {
            // a first join ends here; a rejoin tries the next member (this one may be electing)
            failed(why, joining.phase() == Joining.Phase.JOINING);
        }
    }

    // ---- the ring's side ---------------------------------------------------------------------

    void onJoinRequest(NodeAddress from, JoinRequest request) {
        if (!Admission.mayAsk(from, request, ring.inRing() ? ring.view() : null, fx.self())) {
            return; // only the joiner itself, or a member forwarding it, may ask
        }
        if (from.equals(request.joiner()) && !from.equals(fx.self()) && !joinsPerHost.allow(from.host(), fx.now())) {
            tooMany(from);
            return;
        }
        if (!ring.inRing()) {
            fx.send(request.joiner(), new JoinRejected(fx.self() + " is not in a ring right now; try another member"));
        } else if (ring.isLeader() && leaderReady.getAsBoolean()) {
            admit(request);
        } else if (ring.status() == Status.MEMBER && !ring.isLeader()) {
            fx.send(ring.leader(), request);
        } else if (!admission.hold(request)) {
            fx.send(request.joiner(), new JoinRejected("the ring is electing a leader; try again in a moment"));
        }
    }

    /** A host over its join rate: a short refusal, and at most one WARN line a second. */
    private void tooMany(NodeAddress from) {
        fx.send(from, new JoinRejected("too many join requests from " + from.host() + "; try again in a few seconds"));
        refusedSinceLastWarning++;
        if (fx.now() - lastRateWarning >= 1000) {
            fx.warnAboutPeer("refused " + refusedSinceLastWarning + " join request(s) from " + from.host()
                    + ": more than " + JOIN_BURST_PER_HOST + " at once or " + (int) JOINS_PER_SECOND_PER_HOST + " a second");
            lastRateWarning = fx.now();
            refusedSinceLastWarning = 0;
        }
    }

    /** There is a leader (again), or this leader is ready: the held requests go on. */
    void releaseHeld() {
        for (JoinRequest r : admission.release()) {
            onJoinRequest(fx.self(), r);
        }
    }

    private void admit(JoinRequest request) {
        boolean missedMerge = request.afterSeq() >= 0 && missedMergeOf.test(request.joiner());
        if (missedMerge) {
            // its last delivery is in numbers its side used before a merge it missed: nothing is
            // replayed by number; the merge is sent to it once it is in
            request = new JoinRequest(request.name(), request.joiner(), chat.delivered());
        }
        admitOrRefuse(request, missedMerge ? new Handover(List.of(), List.of()) : chat.handover(request, frameBudget));
        if (missedMerge && ring.contains(request.joiner())) {
            sendMissedMerge.accept(request.joiner());
        }
    }

    private void admitOrRefuse(JoinRequest request, Handover handover) {
        Admission.Decision decision = admission.decide(request, ring.view());
        if (!(decision instanceof Reject)) {
            chat.admitted(request.joiner());
        }
        if (decision instanceof Reject r) {
            fx.send(request.joiner(), new JoinRejected(r.reason(), true));
        } else if (decision instanceof Readmit r) {
            // a member back in its place gets nothing replayed: it repairs its gap itself. But the
            // message at its last position goes with the answer, for it to compare: it may have
            // followed another piece meanwhile, whose numbers are not this ring's (seed 13271: it
            // compared with a later one, took the numbering as its own, and skipped this piece's lines)
            List<ChatDeliver> inAnswer = handover.inAnswer();
            if (inAnswer.isEmpty() && request.afterSeq() >= 0 && !handover.replay().isEmpty()) {
                inAnswer = handover.replay().subList(0, 1);
            }
            fx.send(request.joiner(), new JoinAccepted(r.member(), ring.view(), chat.lastMsgId(request.joiner()) + 1,
                    inAnswer, List.of(), lostToTell.apply(ring.view())));
            if (request.afterSeq() < 0) {
                // a newcomer admitted again (its answer lost): the orderings not yet shown follow
                // its past as before, not in it (Admission.handover)
                handover.replay().forEach(d -> fx.send(request.joiner(), d));
            }
        } else if (decision instanceof Admit a) {
            fx.send(request.joiner(), new JoinAccepted(a.joiner(), a.view(), chat.lastMsgId(request.joiner()) + 1,
                    handover.inAnswer(), chat.backlog(backlogBudget), lostToTell.apply(a.view())));
            for (ChatDeliver d : handover.replay()) {
                fx.send(request.joiner(), d);
            }
            ring.publish(a.view(), a.departed());
        }
    }

    /** This node left: a join in progress is over. */
    void stop() {
        admitted.completeExceptionally(new JoinException("left before being admitted"));
        if (joinTimer != null) {
            joinTimer.cancel();
        }
    }

    boolean joining() {
        return joining.active();
    }
}
