package org.ringchat.ring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Departure.Reason;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.LostMember;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.ChatAck;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.ChatSubmit;
import org.ringchat.protocol.Message.Elected;
import org.ringchat.protocol.Message.Election;
import org.ringchat.protocol.Message.Heartbeat;
import org.ringchat.protocol.Message.Hello;
import org.ringchat.protocol.Message.JoinAccepted;
import org.ringchat.protocol.Message.JoinRejected;
import org.ringchat.protocol.Message.JoinRequest;
import org.ringchat.protocol.Message.Leave;
import org.ringchat.protocol.Message.MembershipChange;
import org.ringchat.protocol.Message.MembershipUpdate;
import org.ringchat.protocol.Message.MergeAck;
import org.ringchat.protocol.Message.MergeBack;
import org.ringchat.protocol.Message.MergeHandover;
import org.ringchat.protocol.Message.MergeInvite;
import org.ringchat.protocol.Message.NotMember;
import org.ringchat.protocol.Message.Ping;
import org.ringchat.protocol.Message.Pong;
import org.ringchat.protocol.Message.Probe;
import org.ringchat.protocol.Message.ProbeResult;
import org.ringchat.protocol.Message.RingMerged;
import org.ringchat.protocol.Message.RingProbe;
import org.ringchat.protocol.Message.RingProbeReply;
import org.ringchat.protocol.Message.RoomChange;
import org.ringchat.protocol.Message.Suspect;
import org.ringchat.protocol.Message.SyncReply;
import org.ringchat.protocol.Message.SyncRequest;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.RingIdentity;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.RejoinCheck;
import org.ringchat.ring.transport.LinkLoss;
import org.ringchat.ring.transport.NodeExecutor;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;
import org.ringchat.ring.transport.Transport;
import org.ringchat.ring.transport.TransportListener;

/**
 * The shell of one node: it wires the parts together, hands every received message to the one
 * part that handles its type, runs the heartbeat timer, and carries the node through its life
 * (start, leave, stop). Each mechanism lives in its part, and its decisions in a pure object of
 * the {@code core} package. Everything here runs on the node's thread ({@link NodeExecutor}).
 */
final class Node implements TransportListener, ViewHandling.Changes, FailureHandling.Outcomes {

    private final NodeEffects fx;
    private final Transport transport;
    private final NodeExecutor executor;
    private final ViewHandling ring;
    private final ChatHandling chat;
    private final JoinHandling joins;
    private final FailureHandling failures;
    private final ElectionHandling election;
    private final RingRepair repair;
    private final LeaveHandling leave;
    private final ModerationHandling moderation;
    private final MergeHandling merge;
    private final Map<Class<? extends Message>, BiConsumer<NodeAddress, Message>> handlers = new HashMap<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile RingView snapshot;
    private Cancellable heartbeat;
    /** The leader and term of the last ring this leader took for another piece of its own. */
    private NodeAddress pieceLeader;
    private long pieceTerm;

    Node(RingConfig config, RingListener listener, Transport transport, NodeExecutor executor, TypedLines typed) {
        this.transport = transport;
        this.executor = executor;
        this.fx = new NodeEffects(config, listener, transport, executor);
        this.ring = new ViewHandling(fx);
        // the parts call each other in cycles: these go through methods of this shell below
        this.chat = new ChatHandling(fx, ring, typed, this::wokeFromPause, this::ownLinesShown,
                this::carry, this::leavingAsMember);
        this.joins = new JoinHandling(fx, ring, chat, this::leaderReady, this::fail, this::missedMerge,
                this::sendMissedMerge, this::lostToTell, this::inheritLost);
        this.failures = new FailureHandling(fx, ring, this::electionTerm, this);
        this.election = new ElectionHandling(fx, ring, chat, this::leaving, this::countOut, this::electionToSelf,
                this::electionUnanswered, failures::hears, failures::checkLeader, failures::wokeFromPause,
                failures::onProbation);
        this.repair = new RingRepair(ring, failures, election);
        this.leave = new LeaveHandling(fx, ring, chat);
        this.moderation = new ModerationHandling(fx, ring);
        this.merge = new MergeHandling(fx, ring, chat, this::steadyLeader, this::refusedMerge,
                this::orderingChanged);
        ring.wire(this);
        fx.publishWith(this::publish);
        publish();
        leave.left().whenComplete((v, e) -> shutdown().whenComplete((x, y) -> stopped.complete(null)));
        registerHandlers();
    }

    /** One handler per message type; {@code NodeDispatchTest} checks that every type has one. */
    private void registerHandlers() {
        on(Hello.class, (from, m) -> election.onHello(from)); // the transport checked it
        // check connections are the transport's own business: these never reach a node
        on(Message.LinkCheck.class, (from, m) -> { });
        on(Message.LinkCheckAnswer.class, (from, m) -> { });
        on(JoinRequest.class, (from, request) -> {
            if (from.equals(request.joiner())) {
                failures.rejoining(from);
            }
            joins.onJoinRequest(from, request);
        });
        on(JoinAccepted.class, joins::onJoinAccepted);
        on(JoinRejected.class, joins::onJoinRejected);
        on(MembershipUpdate.class, (from, m) -> {
            if (!election.lateView(from, m.view())) {
                ring.onMembershipUpdate(from, m, election.term(), leave.leaving(), chat.following(), election.fruitless());
            }
        });
        on(MembershipChange.class, (from, m) -> {
            if (!election.lateView(from, m)) {
                ring.onMembershipChange(from, m, election.term(), leave.leaving(), chat.following(), election.fruitless());
            }
        });
        on(NotMember.class, ring::onNotMember);
        on(Leave.class, (from, m) -> repair.peerLeft(from));
        on(Heartbeat.class, (from, m) -> {
            ring.onHeartbeat(from, m);
            election.onHeartbeat(from, m);
        });
        on(Suspect.class, failures::onSuspect);
        on(Probe.class, failures::onProbe);
        on(ProbeResult.class, failures::onProbeResult);
        on(Ping.class, failures::onPing);
        on(Pong.class, failures::onPong);
        on(Election.class, election::onElection);
        on(Elected.class, election::onElected);
        on(SyncRequest.class, election::onSyncRequest);
        on(SyncReply.class, election::onSyncReply);
        on(ChatSubmit.class, chat::onChatSubmit);
        on(ChatDeliver.class, chat::onChatDeliver);
        on(ChatAck.class, (from, m) -> {
            failures.acknowledged(from, m.term());
            chat.onChatAck(from, m);
            merge.progress(); // a merging leader waits until every ordering of its own is shown
        });
        on(RoomChange.class, chat::onRoomChange);
        on(RingProbe.class, this::onRingProbe);
        on(RingProbeReply.class, merge::onRingProbeReply);
        on(MergeInvite.class, merge::onMergeInvite);
        on(MergeHandover.class, merge::onMergeHandover);
        on(MergeBack.class, merge::onMergeBack);
        on(RingMerged.class, (from, m) -> {
            if (!ring.mergedWithout(from, m.view(), election.fruitless())) {
                merge.onRingMerged(from, m);
            }
        });
        on(MergeAck.class, merge::onMergeAck);
    }

    private <M extends Message> void on(Class<M> type, BiConsumer<NodeAddress, M> handler) {
        handlers.put(type, (from, message) -> handler.accept(from, type.cast(message)));
    }

    /** The message types this node has a handler for. */
    Set<Class<? extends Message>> handledTypes() {
        return Set.copyOf(handlers.keySet());
    }

    // ---- life -------------------------------------------------------------------------------

    /** Binds, then starts a ring or joins one. Completes when admitted. */
    CompletableFuture<Void> start() {
        RingConfig config = fx.config;
        transport.bind(config.address(), this, () -> fx.stamp(new Hello(ProtocolVersion.CURRENT, config.name())))
                .whenCompleteAsync((bound, error) -> fx.guarded("start", () -> {
                    if (error != null) {
                        fail(error);
                        return;
                    }
                    fx.bound(bound);
                    ring.bound(bound);
                    if (config.secret() == null && config.tls() == null && !isLoopback(bound)) {
                        fx.event(Kind.WARNING, "this node has no secret: anyone who can reach " + bound
                                + " can read this ring's chat and join it");
                    }
                    heartbeat = fx.schedule("HeartbeatTask", config.heartbeatMs(), this::heartbeat);
                    if (config.startsRing()) {
                        joins.startRing();
                    } else {
                        joins.join(config.joinVia());
                    }
                }), executor::execute);
        return joins.admitted();
    }

    private static boolean isLoopback(NodeAddress address) {
        return address.host().startsWith("127.") || address.host().equals("::1");
    }

    /** Every {@code heartbeatMs}, scheduled afresh each time, so that a late run shows as late. */
    private void heartbeat() {
        if (ring.status() == Status.STOPPED) {
            return;
        }
        heartbeat = fx.schedule("HeartbeatTask", fx.config.heartbeatMs(), this::heartbeat);
        failures.tick();
        if (ring.inRing()) {
            chat.checkGap();
            chat.checkSubmitsStalled();
            merge.tick();
        }
        leave.progress(); // leaving, it may have come to lead a ring of one: it waits for nobody then
    }

    /** Stops the node for good with an error (could not join, refused, …). */
    private void fail(Throwable error) {
        joins.admitted().completeExceptionally(error);
        shutdown().whenComplete((v, e) -> stopped.completeExceptionally(error));
    }

    /** Lines were typed while this node had room for them in its send window. */
    void linesWaiting() {
        fx.guarded("send", chat::linesWaiting);
    }

    /** The leader's directive (on the node's thread); completes exceptionally, saying why, when refused. */
    void moderate(Moderation action, String name, CompletableFuture<Void> done) {
        try {
            moderation.moderate(action, name);
            done.complete(null);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /** Moves this node to {@code room} (on the node's thread). */
    void moveTo(String room) {
        fx.guarded("room", () -> chat.moveTo(room));
    }

    /** The last {@code n} messages of {@code room} this node keeps (on the node's thread). */
    List<ChatDeliver> roomHistory(String room, int n) {
        return chat.roomHistory(room, n);
    }

    /**
     * Leaves gracefully: waits (up to the leave timeout) for this node's lines to be ordered, says
     * goodbye, waits for the ring to close around it, and stops.
     */
    CompletableFuture<Void> leave() {
        executor.execute(() -> fx.guarded("leave", () -> {
            joins.stop();
            leave.leave();
        }));
        return stopped;
    }

    /** Closes every socket without a goodbye: what a crash looks like to the others. */
    CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (ring.status() == Status.STOPPED) {
                    done.complete(null);
                    return;
                }
                if (heartbeat != null) {
                    heartbeat.cancel();
                }
                ring.stopped();
                publish();
                transport.close().whenComplete((v, e) -> done.complete(null));
            });
        } catch (RejectedExecutionException e) {
            done.complete(null); // the node's thread is gone already
        }
        return done;
    }

    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Every connection drops at once (the node keeps running and listening): a network blip. */
    void dropConnections() {
        executor.execute(transport::dropConnections);
    }

    // ---- what arrives -------------------------------------------------------------------------

    @Override
    public void onEnvelope(Envelope envelope) {
        onEnvelope(envelope, null);
    }

    /**
     * Whether the message says that its sender is in no ring: a Pong of term 0, or a request to
     * join from the joiner itself. Such a frame is no sign of a member's life (a member removed
     * and joining again answers pings, but takes no part in the ring: see Suspicion#onPong).
     */
    private static boolean outsideTheRing(Envelope envelope) {
        Message m = envelope.message();
        return m instanceof Pong p && p.term() == 0
                || m instanceof JoinRequest r && r.joiner().equals(envelope.from());
    }

    /**
     * One message, a step of its own. In a chat frame ({@code frame} not null) the peer was heard,
     * and a sender vouched for, at the frame's first message that says so: the same time, the
     * same effect, without the failure detector's look-ups for every line.
     */
    private void onEnvelope(Envelope envelope, FrameHeard frame) {
        if (ring.status() == Status.STOPPED) {
            return;
        }
        fx.guarded(envelope.message().getClass(), () -> {
            fx.received(envelope.lamport());
            if ((frame == null || !frame.peerHeard) && !outsideTheRing(envelope)) {
                failures.heard(envelope.from());
                if (frame != null) {
                    frame.peerHeard = true;
                }
            }
            if (envelope.message() instanceof ChatDeliver d && ring.inRing() && envelope.from().equals(ring.leader())
                    && d.term() == ring.view().term()) {
                NodeAddress sender = d.sender().address();
                if (frame == null || !sender.equals(frame.vouched)) {
                    failures.vouchedFor(sender); // a fresh ordering: its sender is alive
                    if (frame != null) {
                        frame.vouched = sender;
                    }
                }
            }
            handle(envelope.from(), envelope.message());
        });
    }

    /** A chat frame's messages, each a step of its own; the snapshot is published once, after them all. */
    @Override
    public void onEnvelopes(List<Envelope> envelopes) {
        FrameHeard frame = new FrameHeard();
        fx.publishingOnce(() -> {
            for (Envelope envelope : envelopes) {
                onEnvelope(envelope, frame);
            }
        });
    }

    /** What the failure detector heard already while a chat frame is handled. */
    private static final class FrameHeard {
        boolean peerHeard;
        NodeAddress vouched;
    }

    private void dispatch(NodeAddress from, Message message) {
        fx.guarded(message.getClass(), () -> handle(from, message));
    }

    private void handle(NodeAddress from, Message message) {
        BiConsumer<NodeAddress, Message> handler = handlers.get(message.getClass());
        if (handler == null) {
            throw new IllegalStateException("no handler for " + message.getClass().getSimpleName());
        }
        handler.accept(from, message);
    }

    @Override
    public void onLinkDown(NodeAddress peer, LinkLoss loss) {
        if (ring.status() == Status.STOPPED) {
            return;
        }
        fx.guarded("link down", () -> {
            joins.onLinkDown(peer, loss);
            failures.onLinkDown(peer, loss);
            if (loss == LinkLoss.REFUSED) {
                merge.refused(peer);
            } else {
                ring.linkLost(peer, () -> chat.linkLost(peer, failures.onProbation()));
                election.catchUpLinkLost(peer);
            }
            if (loss != LinkLoss.REFUSED && ring.status() == Status.MEMBER && !ring.isLeader() && peer.equals(ring.leader())) {
                // what was in flight on the lost link (or waited for a connect that went unanswered)
                // is submitted again; a refusal means the leader is gone, and its successor gets it
                chat.leaderKnown();
            }
        });
    }

    @Override
    public void onAuthenticationFailed(NodeAddress peer) {
        if (ring.status() != Status.STOPPED) {
            fx.guarded("authentication failed", () -> joins.onAuthenticationFailed(peer));
        }
    }

    @Override
    public void onForeignProtocol(NodeAddress peer, String what) {
        if (ring.status() != Status.STOPPED) {
            fx.guarded("foreign protocol", () -> joins.onForeignProtocol(peer, what));
        }
    }

    // ---- what the parts tell each other -------------------------------------------------------

    @Override
    public void viewAdopted(View view, boolean newLeader) {
        election.viewAdopted(view);
        failures.viewAdopted();
        chat.ordering(mayOrder(), !failures.onProbation());
        chat.viewAdopted(view, newLeader);
        joins.releaseHeld();
    }

    @Override
    public void departed(View view, List<Departure> departed) {
        merge.departed(view, departed);
    }

    @Override
    public void previousChanged() {
        election.previousChanged();
    }

    @Override
    public void removed(View view) {
        if (joins.joining() || ring.status() == Status.STOPPED) {
            return;
        }
        if (leave.leaving()) {
            leave.removed(view); // out of the ring: the confirmation a leaving node waits for
            return;
        }
        fx.event(Kind.REMOVED, "this node was removed from the ring (it stopped responding); rejoining as "
                + ring.me().name());
        rejoin(view);
    }

    @Override
    public void leftBehind(View view) {
        if (joins.joining() || leave.leaving() || ring.status() == Status.STOPPED) {
            return;
        }
        fx.event(Kind.WARNING, "the ring moved on to leader " + ring.display(view.leader()) + " (term " + view.term()
                + ") without this node; rejoining as " + ring.me().name());
        rejoin(view);
    }

    /**
     * A probe from the leader of a newer term of this node's ring: that leader lost this node
     * (it probes only lost members its view lacks). A node that slept long enough to be removed
     * reads first what was sent before its pause, and may elect on it (a stale candidacy, a stale
     * goodbye) among members that are gone since, then lead alone beside the ring that went on
     * without it, numbering lines that ring numbered otherwise (seed 20206). Electing, such a node
     * rejoins through the prober instead. A member that did not sleep answers as usual: its
     * probe answered, a leader merges the pieces.
     */
    private void onRingProbe(NodeAddress from, RingProbe probe) {
        if (failures.probedFromNewerTerm(from, probe.ring())) {
            return;
        }
        if (ring.status() != Status.ELECTING || !failures.sleptOut() || joins.joining() || leave.leaving()) {
            merge.onRingProbe(from, probe);
            return;
        }
        RingIdentity theirs = probe.ring();
        View view = ring.view();
        if (theirs.ringId().equals(view.ringId()) && theirs.term() > view.term() && from.equals(theirs.leader().address())) {
            fx.event(Kind.WARNING, "the ring moved on to leader " + theirs.leader().display() + " (term " + theirs.term()
                    + ") while this node was paused; rejoining as " + ring.me().name());
            rejoin(view, from);
            return;
        }
        merge.onRingProbe(from, probe);
    }

    /**
     * A steady leader takes the members of another piece out of its view, as lost to a hang (so
     * that it remembers and probes them, and the merge brings them back with their piece's
     * lines). A leader back from a pause cannot tell a piece from the ring that replaced it while
     * it slept, unless a member left out of that view has confirmed this leader since (and no
     * member that view holds deposed it): if none has, it rejoins, as a removed node does.
     *
     * <p>A view that leaves out no member this leader still reaches (it holds every one but this
     * leader) is a ring that replaced it if it slept at any time in its term; if it never did,
     * its members lost it to the network while it went on leading, and such a ring is a piece
     * too (seed 7228: a ring of two cut one way, the member elected itself, the leader went on
     * with a joiner that acknowledged its lines and then crashed; going over, the leader took
     * that ring's history, and its own lines since the cut were lost there; a merge keeps both).
     */
    @Override
    public void anotherPiece(View view, NodeAddress from) {
        // the member that said so follows that view's newer term: on probation, it deposed this
        // leader, as its Pong from that term would have (the Pong may come after the NotMember:
        // seed 14074, where a member paused with this leader had confirmed it, and the NotMember
        // alone made this leader take the ring that replaced it for another piece)
        failures.toldNotMember(from, view);
        boolean leavesOutOurs = ring.others().stream().anyMatch(m -> !view.contains(m) && ring.isReachable(m));
        if (!leavesOutOurs && failures.sleptWhileLeading()) {
            removed(view);
            return;
        }
        boolean confirmedByOurs = ring.others().stream()
                .anyMatch(m -> !view.contains(m) && failures.confirmedOnProbation(m, view));
        // a ring this leader took for another piece once stays one: its later views (it grows as
        // its members take in ours) do not make this leader one of its members
        boolean knownPiece = view.leader().equals(pieceLeader) && view.term() == pieceTerm;
        if (failures.onProbation() && !confirmedByOurs && !knownPiece) {
            removed(view);
            return;
        }
        pieceLeader = view.leader();
        pieceTerm = view.term();
        takeOut(view, "", view.members().stream().map(Member::address).toList());
    }

    /**
     * A member of this leader's merged ring did not take it: it leads a piece of its own (the
     * merge lacks lines that piece ordered) and hands it over. It holds this leader's identity
     * now, so it did not replace this leader while it slept: {@code members} (it, and those of
     * its piece that did not take the merge either) are taken out even on probation, which they
     * could never end, and their piece is merged like any other.
     */
    private void refusedMerge(View view, List<NodeAddress> members) {
        takeOut(view, " and did not take the merged ring", members);
    }

    private void takeOut(View view, String why, List<NodeAddress> members) {
        String leader = view.member(view.leader()).map(Member::display).orElse(view.leader().toString());
        fx.event(Kind.WARNING, leader + " leads another piece of this ring (term " + view.term() + ")" + why
                + "; taking its members out until the pieces merge");
        for (NodeAddress m : members) {
            if (ring.contains(m) && !m.equals(fx.self())) {
                peerDead(m, Reason.UNRESPONSIVE);
            }
        }
    }

    /** Nobody took part in this node's election, and its lost leader is alive: it follows that leader again. */
    private void electionUnanswered() {
        if (joins.joining() || leave.leaving() || ring.status() != Status.ELECTING) {
            return;
        }
        ring.followAgain(fx.dropHeld());
        chat.askForGap(); // what the leader sent while this node followed nobody
    }

    /**
     * Out of the ring, this node joins again through {@code view}'s members. A leader that goes
     * so tells the members {@code view} leaves out that it no longer leads ({@code Leave}, as a
     * leader leaving does): they elect at once, and, told by that ring that they are out of it
     * too, join it again. They may be a piece of their own, which this leader took for the ring
     * that replaced it while it slept: without the goodbye a member paused with it followed a
     * joiner until it found it silent, then elected itself and numbered lines the other ring had
     * numbered already (seed 48058). A member this leader finds silent gets no goodbye: still
     * paused, it would read it seconds later, when it says nothing true any more (seed 16035: the
     * leader led a ring again by then, and the member, alone, elected itself); it learns where
     * things stand from the answers to its own heartbeats when it wakes.
     */
    private void rejoin(View view) {
        rejoin(view, view.leader());
    }

    /** As {@link #rejoin(View)}, asking {@code first} before {@code view}'s members. */
    private void rejoin(View view, NodeAddress first) {
        if (ring.isLeader() && ring.status() == Status.MEMBER) {
            fx.sendAll(ring.others().stream().filter(m -> !view.contains(m) && !failures.suspects(m)).toList(), new Leave());
        }
        pieceLeader = null;
        election.reset();
        merge.reset();
        chat.removed();
        failures.removed();
        ring.leftRing();
        joins.rejoin(view, first);
    }

    @Override
    public void expelled(View view) {
        String leader = view.member(view.leader()).map(Member::display).orElse("its leader");
        String why = "removed from the ring by its leader " + leader + "; the name " + ring.me().name()
                + " is banned until the leader unbans it";
        fx.event(Kind.REMOVED, why);
        fail(new IllegalStateException(why));
    }

    @Override
    public void leaveConfirmed() {
        leave.confirmed();
    }

    @Override
    public void peerDead(NodeAddress peer, Reason reason) {
        repair.peerDead(peer, reason);
    }

    @Override
    public void peerAlive(NodeAddress peer) {
        repair.peerAlive(peer);
    }

    @Override
    public void probationChanged() {
        orderingChanged();
    }

    @Override
    public void leaderStreamStalled() {
        chat.askForGap();
    }

    @Override
    public void sleptElecting() {
        election.sleptElecting();
    }

    @Override
    public void leaderChecked(NodeAddress leader, boolean leads) {
        election.leaderChecked(leader, leads);
    }

    /** Probation or a merge began or ended: the leader orders and admits only when neither holds it. */
    private void orderingChanged() {
        chat.ordering(mayOrder(), !failures.onProbation());
        if (mayOrder()) {
            joins.releaseHeld();
        }
    }

    private boolean mayOrder() {
        return !failures.onProbation() && !merge.holdsOrdering();
    }

    /** Leads a ring that may merge with another piece now: not electing, leaving or on probation. */
    private boolean steadyLeader() {
        return ring.isLeader() && !failures.onProbation() && !leave.leaving();
    }

    private boolean wokeFromPause() {
        return failures.wokeFromPause();
    }

    private void ownLinesShown() {
        leave.progress();
    }

    /** A member that went over holds lines its new ring lacks: it hands them over ({@link MergeHandling#carry}). */
    private void carry(RejoinCheck.Carry carry) {
        merge.carry(carry);
    }

    private boolean missedMerge(NodeAddress joiner) {
        return merge.missedMerge(joiner);
    }

    private void sendMissedMerge(NodeAddress joiner) {
        merge.sendMissed(joiner);
    }

    private List<LostMember> lostToTell(View view) {
        return merge.toTell(view);
    }

    private void inheritLost(List<LostMember> told) {
        merge.inherit(told);
    }

    private boolean leaderReady() {
        return mayOrder();
    }

    private long electionTerm() {
        return election.term();
    }

    private boolean leaving() {
        return leave.leaving();
    }

    private boolean leavingAsMember() {
        return leave.leavingAsMember();
    }

    private void countOut(NodeAddress lostLeader) {
        repair.countOut(lostLeader);
    }

    /** A ring of one: this node's election message comes back to it, in a task of its own. */
    private void electionToSelf(Message message) {
        fx.later("election to itself", () -> dispatch(fx.self(), message));
    }

    // ---- for other threads ----------------------------------------------------------------------

    private void publish() {
        snapshot = ring.snapshot(chat.shownSeq(), chat.unconfirmed(), fx.lamport());
    }

    /** The last published snapshot: one volatile read of one immutable record, safe from any thread. */
    RingView snapshot() {
        return snapshot;
    }

    long handlerFailures() {
        return fx.failures();
    }
}
