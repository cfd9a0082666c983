package org.ringchat.ring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.ringchat.protocol.Bounds;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.LostMember;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.MergeAck;
import org.ringchat.protocol.Message.MergeBack;
import org.ringchat.protocol.Message.MergeHandover;
import org.ringchat.protocol.Message.MergeInvite;
import org.ringchat.protocol.Message.RingMerged;
import org.ringchat.protocol.Message.RingProbe;
import org.ringchat.protocol.Message.RingProbeReply;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.RingIdentity;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.FrameBudget;
import org.ringchat.ring.core.LostMembers;
import org.ringchat.ring.core.MergeRule;
import org.ringchat.ring.core.MergeRule.Decision;
import org.ringchat.ring.core.RejoinCheck;
import org.ringchat.ring.core.SplitHistory;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;

/**
 * Partitions, after the fact ({@code docs/partitions.md}): every member remembers the members
 * its ring lost to a crash or a hang ({@link LostMembers}); the leader probes them on a capped
 * back-off; when one answers from another piece of the same ring, the two leaders merge the
 * pieces. The more senior piece ({@link MergeRule}) absorbs the other: the absorbed leader
 * hands over its view and its messages since the split, the absorbing one numbers them after
 * its own ({@link SplitHistory}) and sends every member of the merged ring its first view and
 * the history it lacks, which each member shows framed by a {@code * while split from …} line
 * and a {@code * ring whole again …} line.
 *
 * <p>Phases. The absorbing leader: {@code NONE → INVITING → RECEIVING → HOLDING → NONE}; the
 * absorbed one: {@code NONE → HANDING_OVER → NONE}. Either leader may start (whichever probe is
 * answered first); a leader busy with one merge ignores every other piece, which tries again on
 * its next probe. Both leaders hold their ordering from the handover to the merge, so that the
 * histories they merge are final; a merge that does not finish within {@link #MERGE_TIMEOUT_MS}
 * is given up on both sides, and the probes go on. Invites are numbered, and the absorbing leader
 * merges only a handover that echoes its invite in progress: one sent for an invite given up
 * since (the absorbed piece may have ordered on) is dropped, and a leader that finds the more
 * senior piece first only offers itself, to be invited.
 */
final class MergeHandling {

    /**
     * How long a leader waits for each step of a merge (the handover, the last acknowledgement
     * of its orderings, the merged view) before giving the merge up and ordering again (ms).
     * Too low: a merge across a slow link never finishes. Too high: a piece whose partner
     * vanished mid-merge holds its chat this long.
     */
    static final long MERGE_TIMEOUT_MS = 2_000;

    /** How often the merged ring's leader sends its merge again to a member that has not acknowledged it (ms). */
    static final long MERGE_RESEND_MS = 500;

    /**
     * How many times a member that went over sends its lines to its new leader
     * ({@link #carry}), {@link #MERGE_TIMEOUT_MS} apart, before it gives them up (and says so).
     * Too low: a leader busy with other merges for a while makes it drop lines only it holds.
     * Too high: such a member's own new lines wait that long (they follow the carried ones).
     */
    static final int CARRY_ATTEMPTS = 5;

    private enum Phase { NONE, INVITING, RECEIVING, HOLDING, HANDING_OVER, CARRYING }

    private final NodeEffects fx;
    private final ViewHandling ring;
    private final ChatHandling chat;
    private final BooleanSupplier steadyLeader;
    private final BiConsumer<View, List<NodeAddress>> refusedBy;
    private final Runnable orderingChanged;
    private final LostMembers lost = new LostMembers();
    private final FrameBudget budget;
    private Phase phase = Phase.NONE;
    /** Merged, and sending the merged ring: the ordering stays held until every member has been sent it. */
    private boolean publishing;
    /** The other piece's leader, as the merge in progress knows it. */
    private RingIdentity partner;
    private long phaseStarted;
    private long nonce;
    /**
     * Absorbing: the number of the invite in progress (only a handover echoing it is merged).
     * Absorbed: the invite the handover answers, 0 while it is only offered.
     */
    private long invite;
    /** Absorbing: the handover's frames so far, and whether a MergeBack was sent already. */
    private final List<ChatDeliver> received = new ArrayList<>();
    private MergeHandover handover;
    private boolean askedBack;
    /**
     * Absorbing: whether the handover starts where both histories agree (this node's message at
     * its base is the absorbed piece's, or, where one side lacks that one, at the first number
     * after it). Not, after asking back, the absorbed piece holds nothing from before the split
     * (seed 47491).
     */
    private boolean baseAgreed;
    /** Absorbed: where the handover started. */
    private long handoverBase;
    /**
     * A member that went over, handing its lines to its leader ({@link #carry}): its piece of
     * one, the last number its history and the leader's agree on, and the tries so far.
     */
    private RejoinCheck.Carry carrying;
    private int carryAttempts;
    /** Member: the merged ring's frames so far, from its leader. */
    private final List<RingMerged> incoming = new ArrayList<>();
    /** Merged ring's leader: what each member has not acknowledged yet, and when it was last sent. */
    private final Map<NodeAddress, List<RingMerged>> unacked = new LinkedHashMap<>();
    /**
     * Merged ring's leader: an absorbed member that never took the merge (its link failed at the
     * heal, and it was removed): where its side parted and its side's numbers, for when it
     * rejoins ({@link #missedMerge}). At most {@link LostMembers#MAX_REMEMBERED}, oldest first out.
     */
    private final Map<NodeAddress, Missed> missed = new LinkedHashMap<>();
    /** The term and leader of the last merged ring this node took (or made): its merge is not taken twice. */
    private long mergedTerm;
    private NodeAddress mergedLeader;
    private long lastResend;
    private Cancellable timer;

    /** An absorbed member's merge, kept until it takes it. */
    private record Missed(long rewindTo, List<Member> splitFrom, Map<SplitHistory.Key, Long> origins, long at) {
    }

    /**
     * @param steadyLeader whether this node leads a ring that may merge now (not electing,
     *     catching up, joining, leaving or on probation)
     * @param refusedBy takes out of this leader's view the given members of a piece (its view),
     *     whose leader did not take this leader's merged ring ({@link #handOverInstead})
     * @param orderingChanged whether this node holds its ordering changed ({@link #holdsOrdering})
     */
    MergeHandling(NodeEffects fx, ViewHandling ring, ChatHandling chat, BooleanSupplier steadyLeader,
            BiConsumer<View, List<NodeAddress>> refusedBy, Runnable orderingChanged) {
        this.fx = fx;
        this.ring = ring;
        this.chat = chat;
        this.steadyLeader = steadyLeader;
        this.refusedBy = refusedBy;
        this.orderingChanged = orderingChanged;
        this.budget = new FrameBudget(fx.config.maxFrameBytes() / 2);
    }

    /** While a merge is under way this leader orders nothing: the histories being merged must be final. */
    boolean holdsOrdering() {
        return phase == Phase.HOLDING || phase == Phase.HANDING_OVER || publishing;
    }

    // ---- remembering -------------------------------------------------------------------------

    /** A view this node adopted: its departures to a crash or a hang are remembered, its members forgotten. */
    void departed(View view, List<Departure> departed) {
        for (Departure d : departed) {
            if (!d.member().address().equals(fx.self())) {
                lost.lost(d.member(), d.reason(), fx.now(), chat.delivered());
            }
        }
        view.members().forEach(m -> lost.forget(m.address()));
    }

    /**
     * Leader: the members it remembers, for a joiner ({@code JoinAccepted}), less those
     * {@code view} holds: whoever leads after this node probes them too (seed 5805).
     */
    List<LostMember> toTell(View view) {
        long now = fx.now();
        lost.expire(now);
        return lost.all().stream().filter(l -> !view.contains(l.member().address()))
                .map(l -> new LostMember(l.member(), l.reason(), Math.max(0, now - l.lostAt()), l.lostAtSeq()))
                .limit(Bounds.MAX_LOST_MEMBERS).toList();
    }

    /**
     * Joiner: the members its leader remembers (the frame's ages, taken from this node's clock),
     * but for itself and the members of its view: remembered for what is left of their memory.
     */
    void inherit(List<LostMember> told) {
        long now = fx.now();
        for (LostMember l : told) {
            NodeAddress at = l.member().address();
            if (!at.equals(fx.self()) && !ring.contains(at)) {
                lost.inherit(l.member(), l.reason(), now - Math.min(l.agoMs(), LostMembers.REMEMBER_MS), l.atSeq(), now);
            }
        }
    }

    /** Removed from the ring or joining again: what this node remembers belongs to a ring it is no longer in. */
    void reset() {
        giveUp(null);
        carrying = null;
        unacked.clear();
        missed.clear();
        incoming.clear();
    }

    // ---- probing (the leader) ---------------------------------------------------------------

    /** Every heartbeat: the leader probes the lost members that are due, and sends a merge again where unacknowledged. */
    void tick() {
        long now = fx.now();
        if (phase == Phase.CARRYING && now - phaseStarted >= MERGE_TIMEOUT_MS) {
            carryAgain();
        } else if (phase != Phase.NONE && now - phaseStarted >= MERGE_TIMEOUT_MS) {
            giveUp("the merge with " + (partner == null ? "the other piece" : partner.leader().display())
                    + " did not finish within " + MERGE_TIMEOUT_MS + " ms; trying again later");
        }
        if (phase == Phase.HOLDING) {
            finishIfShown();
        }
        if (!ring.isLeader()) {
            unacked.clear();
            return;
        }
        if (!unacked.isEmpty() && now - lastResend >= MERGE_RESEND_MS) {
            lastResend = now;
            unacked.forEach((to, frames) -> {
                if (ring.contains(to)) {
                    frames.forEach(f -> fx.send(to, f));
                }
            });
        }
        View view = ring.view();
        if (view.ringId() == null || lost.nextDueAt() > now || !steadyLeader.getAsBoolean() || phase != Phase.NONE) {
            return;
        }
        RingIdentity mine = view.identity();
        for (Member m : lost.due(now)) {
            if (!view.contains(m.address())) {
                fx.send(m.address(), new RingProbe(++nonce, mine));
            }
        }
    }

    /**
     * A probe: answered only by a member of the same ring id that has a leader (a stranger
     * learns nothing); a leader also takes it as news of the prober's piece.
     */
    void onRingProbe(NodeAddress from, RingProbe probe) {
        if (ring.status() != Status.MEMBER || ring.view().ringId() == null
                || !ring.view().ringId().equals(probe.ring().ringId())) {
            return;
        }
        fx.send(from, new RingProbeReply(probe.nonce(), ring.view().identity()));
        if (ring.isLeader() && from.equals(probe.ring().leader().address())) {
            discovered(probe.ring());
        }
    }

    /** A lost member answered: it is in {@code reply.ring()}. */
    void onRingProbeReply(NodeAddress from, RingProbeReply reply) {
        if (!ring.isLeader() || ring.view().ringId() == null) {
            return;
        }
        Decision decision = MergeRule.decide(ring.view().identity(), reply.ring());
        if (decision == Decision.SAME_RING || decision == Decision.UNRELATED) {
            lost.forget(from); // it is back with us, or in a ring of its own making: nothing to merge
            return;
        }
        discovered(reply.ring());
    }

    /**
     * A connect to {@code peer} was refused: if it is a lost member, nobody listens at its
     * address any more and there is no piece behind it to merge with (a restarted node joins by
     * itself). Across a cut a connect goes unanswered instead, and the probing goes on.
     */
    void refused(NodeAddress peer) {
        if (lost.forget(peer)) {
            fx.note("lost member " + peer + " refuses connections: forgotten, no longer probed");
        }
    }

    /** Another piece of this ring, led by {@code theirs.leader()}: merge with it if both may. */
    private void discovered(RingIdentity theirs) {
        if (phase != Phase.NONE || !steadyLeader.getAsBoolean() || ring.contains(theirs.leader().address())) {
            return; // busy; or its leader is one of ours now (a late frame from a piece merged already)
        }
        RingIdentity mine = ring.view().identity();
        Decision decision = MergeRule.decide(mine, theirs);
        if (decision == Decision.ABSORB) {
            askedBack = false; // a merge of its own: it may ask this partner back once (seed 5079)
            enter(Phase.INVITING, theirs);
            invite = ++nonce;
            fx.event(Kind.ELECTION, "found another piece of this ring, led by " + theirs.leader().display()
                    + " (term " + theirs.term() + "); inviting it to merge");
            fx.send(theirs.leader().address(), new MergeInvite(mine, theirs, invite));
        } else if (decision == Decision.ABSORBED) {
            handOver(theirs, Math.max(chat.oldestBase(), lowestLostAt()), 0);
        }
    }

    // ---- the absorbed leader ------------------------------------------------------------------

    void onMergeInvite(NodeAddress from, MergeInvite invite) {
        if (phase == Phase.CARRYING) {
            carryInvited(from, invite);
            return;
        }
        if (!ring.isLeader() || !from.equals(invite.ring().leader().address())) {
            return;
        }
        boolean handingOverToIt = phase == Phase.HANDING_OVER && partner.leader().address().equals(from);
        if (handingOverToIt && invite.invite() == this.invite) {
            return; // our handover to this invite is on its way
        }
        // only offered to another piece's leader, which has not invited this one (it is busy: in
        // seed 81956 three pieces each waited on the next, for ever, their probes in step): the
        // piece goes to the leader that invites it
        boolean onlyOffered = phase == Phase.HANDING_OVER && this.invite == 0 && !handingOverToIt;
        if ((phase != Phase.NONE && !handingOverToIt && !onlyOffered) || !steadyLeader.getAsBoolean()
                || !current(invite.yours())
                || MergeRule.decide(ring.view().identity(), invite.ring()) != Decision.ABSORBED) {
            return; // busy, or the invite is for a ring this one no longer is; it is sent again
        }
        if (handingOverToIt) {
            // a new invite from the leader we hand over to (it gave the last one up, or we only
            // offered): the handover again, from the same base, answering this one
            partner = invite.ring();
            this.invite = invite.invite();
            phaseStarted = fx.now();
            sendHandover();
            return;
        }
        handOver(invite.ring(), Math.max(chat.oldestBase(), lowestLostAt()), invite.invite());
    }

    /**
     * Holds this piece's ordering and sends its view and its messages after {@code base} (a
     * point at or before the split, as far as this node can tell; the absorbing leader checks it)
     * to the absorbing leader, answering its invite {@code answering}; with 0 (nobody invited
     * this piece yet) only offers it, in one frame without messages, which the absorbing leader
     * answers with an invite: it merges only a handover that answers its invite in progress.
     */
    private void handOver(RingIdentity absorbing, long base, long answering) {
        enter(Phase.HANDING_OVER, absorbing);
        invite = answering;
        handoverBase = Math.max(0, base);
        fx.event(Kind.ELECTION, "merging into the piece of this ring led by " + absorbing.leader().display());
        orderingChanged.run();
        sendHandover();
    }

    private void sendHandover() {
        View view = ring.view();
        RingIdentity mine = view.identity();
        List<ChatDeliver> after = invite == 0 ? List.of() : chat.after(handoverBase);
        ChatDeliver atBase = chat.at(handoverBase);
        List<List<ChatDeliver>> chunks = budget.chunks(after);
        if (chunks.isEmpty()) {
            chunks = List.of(List.of());
        }
        for (int i = 0; i < chunks.size(); i++) {
            fx.send(partner.leader().address(), new MergeHandover(mine, partner, invite, view, handoverBase, atBase,
                    chunks.get(i), i == chunks.size() - 1));
        }
    }

    void onMergeBack(NodeAddress from, MergeBack back) {
        if (phase == Phase.HANDING_OVER && from.equals(partner.leader().address()) && back.base() < handoverBase) {
            handoverBase = Math.max(chat.oldestBase(), back.base());
            phaseStarted = fx.now();
            sendHandover();
        }
    }

    /**
     * This member went over from another piece of the ring, and held lines its new leader lacks
     * (its old piece's since the split, {@link RejoinCheck#carry}; it has taken the leader's
     * numbering since): if its old piece dissolves into this ring by rejoins instead of merging,
     * they would be lost (seeds 3018, 7011, 9103). It hands them over as the leader of a piece of
     * one, itself (a view of one, under the rank and name this ring gives it), from the last
     * number both histories agreed on; the leader merges them like any piece's
     * ({@link #onMergeHandover}), shown to its members between the usual merge lines. Sent again
     * every {@link #MERGE_TIMEOUT_MS} while no merge comes, {@link #CARRY_ATTEMPTS} times at most.
     */
    void carry(RejoinCheck.Carry carry) {
        if (ring.status() != Status.MEMBER || ring.isLeader() || ring.view().ringId() == null) {
            chat.carryDone();
            return;
        }
        carrying = carry;
        carryAttempts = 1;
        fx.note("went over to " + ring.view().identity().leader().display() + "'s piece holding " + carry.lacking()
                + " line(s) it lacks; handing them over from #" + carry.base());
        sendCarry(0);
    }

    /**
     * The carried lines, as a handover of a piece of one, to this member's leader: offered
     * ({@code answering} 0, no lines), or answering the leader's invite {@code answering}.
     */
    private void sendCarry(long answering) {
        View view = ring.view();
        Member me = ring.me();
        View one = new View(view.term(), view.version(), fx.self(), List.of(me), me.rank() + 1, Map.of(), List.of(),
                List.of(), view.ringId());
        enter(Phase.CARRYING, view.identity());
        List<List<ChatDeliver>> chunks = answering == 0 ? List.of(List.of()) : budget.chunks(carrying.lines());
        for (int i = 0; i < chunks.size(); i++) {
            fx.send(view.leader(), new MergeHandover(one.identity(), view.identity(), answering, one, carrying.base(),
                    carrying.atBase(), chunks.get(i), i == chunks.size() - 1));
        }
    }

    /** Carrying: the leader invites this member's piece of one, offered: the lines go, answering it. */
    private void carryInvited(NodeAddress from, MergeInvite invite) {
        if (ring.status() == Status.MEMBER && from.equals(ring.leader())
                && invite.yours().leader().address().equals(fx.self())) {
            sendCarry(invite.invite());
        }
    }

    /** Leader: a member that went over offers its piece of one ({@link #carry}): invited like any piece. */
    private void inviteCarrier(RingIdentity carrier) {
        askedBack = false;
        enter(Phase.INVITING, carrier);
        invite = ++nonce;
        fx.send(carrier.leader().address(), new MergeInvite(ring.view().identity(), carrier, invite));
    }

    /** No merge yet of this member's lines: sent again, unless that was the last try or it leads now. */
    private void carryAgain() {
        if (chat.holdsAll(carrying.lines())) {
            carried(); // another member that went over brought them
        } else if (ring.status() == Status.MEMBER && !ring.isLeader() && carryAttempts < CARRY_ATTEMPTS) {
            carryAttempts++;
            sendCarry(0);
        } else {
            fx.event(Kind.WARNING, carrying.lacking() + " line(s) of the other piece that only this node held could"
                    + " not be handed over to the leader; this ring does not show them");
            carried();
        }
    }

    /** This member's carry is over: its ring holds the lines, or it gave up. */
    private void carried() {
        phase = Phase.NONE;
        partner = null;
        carrying = null;
        cancelTimer();
        chat.carryDone();
    }

    /** The lowest delivered position at which this node lost a member: the split came at or after it. */
    private long lowestLostAt() {
        return lost.all().stream().mapToLong(LostMembers.Lost::lostAtSeq).min().orElse(0);
    }

    // ---- the absorbing leader ---------------------------------------------------------------

    void onMergeHandover(NodeAddress from, MergeHandover h) {
        if (!ring.isLeader() || !from.equals(h.ring().leader().address()) || !from.equals(h.view().leader())
                || h.view().ringId() == null || !h.view().ringId().equals(ring.view().ringId())) {
            return;
        }
        // a member that has not taken this leader's last merge is no carrier, whatever its view
        // looks like: a member that led a ring of one in this very term (it took the others for
        // gone) hands over a view just like a carry's, and merged as one, keeping this ring's
        // term, its merge was refused for good, since that leader holds lines of its own in that
        // term (seed 214451). As any member that did not take the merge, it is taken out, and its
        // piece merged in a newer term
        boolean carried = carriedIn(from, h) && !unacked.containsKey(from);
        if (!carried && ring.contains(from) && unacked.containsKey(from) && current(h.yours())) {
            // a member that did not take our merge leads a piece of its own that the merge lacks
            // lines of (handOverInstead; a handover to this ring as it is now, not one sent before
            // our merge and late): it and those of its members that did not take our merge
            // either are that piece's, not ours (this leader must not wait for their
            // acknowledgements, nor for their confirmation after a pause); the merge of that
            // piece brings them back
            List<NodeAddress> theirs = h.view().members().stream().map(Member::address)
                    .filter(a -> ring.contains(a) && unacked.containsKey(a)).toList();
            theirs.forEach(a -> {
                unacked.remove(a);
                missed.remove(a);
            });
            refusedBy.accept(h.view(), theirs);
        }
        boolean fromPartner = (phase == Phase.INVITING || phase == Phase.RECEIVING)
                && partner.leader().address().equals(from);
        if (fromPartner && h.invite() != invite) {
            fx.note("a merge handover from " + from + " answers invite " + h.invite() + ", not " + invite
                    + " (sent before a merge given up, or only offered): dropped");
            return;
        }
        if (!fromPartner && (phase != Phase.NONE || !steadyLeader.getAsBoolean())) {
            return; // busy with another piece: it tries again
        }
        if (!current(h.yours()) || MergeRule.decide(ring.view().identity(), h.ring()) != Decision.ABSORB
                || ring.contains(from) && !carried) {
            return; // stale, not ours to absorb, or from a leader that is one of our members now
        }
        if (!fromPartner) {
            // offered, or sent for an invite this leader gave up since (its lines may have moved
            // on, seed 8982): merged only once it answers an invite of this merge
            if (carried) {
                inviteCarrier(h.ring());
            } else {
                discovered(h.ring());
            }
            return;
        }
        if (handover == null || handover.base() != h.base() || phase != Phase.RECEIVING) {
            received.clear(); // the first frame of a handover (or of one sent again from another base)
            enter(Phase.RECEIVING, h.ring());
        }
        handover = h;
        if (received.size() + h.entries().size() > mostEntries()) {
            fx.warnAboutPeer("a merge handover from " + from + " holds more than " + mostEntries()
                    + " messages; merge given up");
            giveUp(null);
            return;
        }
        received.addAll(h.entries());
        if (h.last()) {
            checkBase();
        }
    }

    /**
     * A member of this ring that went over to it from another piece hands over the lines it
     * holds that this ring lacks, as the leader of a piece of one: itself, as this ring lists it
     * ({@link #carry}). (A handover from a piece's leader merged since names this ring in an
     * older term, or this member under its old rank.)
     */
    private boolean carriedIn(NodeAddress from, MergeHandover h) {
        return h.view().size() == 1 && ring.member(from).map(m -> m.equals(h.view().members().get(0))).orElse(false);
    }

    /**
     * The handover is in. If this node's message at the handover's base is not the absorbed
     * piece's, the two parted before it: ask once for the messages from the oldest this node
     * holds. Otherwise hold the ordering until every ordering of this leader has been shown,
     * and merge.
     */
    private void checkBase() {
        if (carriedIn(partner.leader().address(), handover) && chat.holdsAll(received)) {
            giveUp(null); // a member that went over carries nothing this ring lacks (another brought it)
            return;
        }
        long base = handover.base();
        ChatDeliver mineAtBase = chat.at(base);
        boolean agree = base == 0 || (mineAtBase != null && mineAtBase.equals(handover.atBase()));
        if (!agree && !askedBack && chat.oldestBase() < base) {
            askedBack = true;
            fx.send(partner.leader().address(), new MergeBack(ring.view().identity(), chat.oldestBase()));
            handover = null;
            received.clear();
            phaseStarted = fx.now();
            return;
        }
        baseAgreed = agree || firstAgrees();
        enter(Phase.HOLDING, partner);
        orderingChanged.run();
        finishIfShown();
    }

    /**
     * Whether the handover's first message is this node's at the same number, or this node holds
     * nothing there to compare: where either side lacks the message at the base (older than
     * its oldest), the runs after it tell (seeds 3173, 12963, 14644: the other piece's leader had
     * joined after the base, and the pieces agreed on what followed).
     */
    private boolean firstAgrees() {
        if (received.isEmpty()) {
            return true;
        }
        ChatDeliver first = received.get(0);
        ChatDeliver mine = chat.at(first.seq());
        return mine == null || mine.equals(first);
    }

    /** An acknowledgement came in, or a heartbeat: merge once every ordering here is shown. */
    void progress() {
        if (phase == Phase.HOLDING) {
            finishIfShown();
        }
    }

    private void finishIfShown() {
        if (!chat.allShown() || !ring.isLeader()) {
            return;
        }
        MergeHandover h = handover;
        List<ChatDeliver> theirs = new ArrayList<>(received);
        long ownLast = chat.delivered();
        SplitHistory.Outcome outcome;
        if (h.base() > ownLast || !baseAgreed) {
            // the other piece holds nothing up to this node's last number, or nothing this node
            // holds at the same number (it was asked back, and its oldest is later still: seeds
            // 5668, 5866, 47491): all it holds came after the split, and it is numbered on from
            // this node's last; its members take this node's lines from the split on, as far as
            // this node can tell, and skip those they showed already
            long base = Math.max(chat.oldestBase(), Math.min(lowestLostAt(), ownLast));
            outcome = SplitHistory.mergeParted(base, chat.after(base), theirs);
        } else {
            // both runs must start at one base: the later of the handover's and the oldest either holds
            long base = Math.max(h.base(), chat.oldestBase());
            if (!theirs.isEmpty()) {
                base = Math.max(base, theirs.get(0).seq() - 1);
            }
            final long from = base;
            theirs.removeIf(d -> d.seq() <= from);
            outcome = SplitHistory.merge(base, chat.after(base), theirs);
        }
        View myView = ring.view();
        RingIdentity me = myView.identity();
        MergeRule.Merged merged = MergeRule.merge(myView, h.view(), MergeRule.mergedTerm(me, h.ring()));
        View view = merged.view();
        List<Member> renamedBefore = merged.renamed().stream().map(MergeRule.Rename::before).toList();
        List<Member> absorbedMembers = view.members().stream().filter(m -> !myView.contains(m.address())).toList();
        if (absorbedMembers.isEmpty()) {
            // every member of that piece is one of ours already: a member that went over, with its lines
            absorbedMembers = view.members().stream().filter(m -> h.view().contains(m.address())).toList();
        }
        phase = Phase.NONE;
        publishing = true;
        try {
            cancelTimer();
            handover = null;
            received.clear();

            // this node first: the other side's lines, numbered after ours, then the merged view
            int shown = chat.takeMerged(ownLast, outcome.appended(), Set.of());
            frame(absorbedMembers, shown, () -> chat.appendMerged(outcome.appended()), view);
            ring.adoptMerged(view);
            announceRenames(merged.renamed());

            unacked.clear();
            lastResend = fx.now();
            Map<SplitHistory.Key, Long> theirSeq = new HashMap<>();
            theirs.forEach(d -> theirSeq.put(SplitHistory.Key.of(d), d.seq()));
            for (Member m : view.members()) {
                if (m.address().equals(fx.self())) {
                    continue;
                }
                // a member of the absorbed piece's view followed its leader, even one this view still
                // lists (it went over, or this leader took it in from a merge it then left): it takes
                // the whole merged history, and shows what it has not shown
                boolean absorbed = h.view().contains(m.address());
                Missed earlier = absorbed ? null : missed.get(m.address());
                long rewindTo = absorbed ? outcome.commonSeq() : ownLast;
                List<ChatDeliver> entries = absorbed ? outcome.merged() : outcome.appended();
                List<Long> origins = new ArrayList<>();
                for (ChatDeliver d : entries) {
                    // only an absorbed member reads them: the numbers are its own side's
                    origins.add(!absorbed || d.seq() <= ownLast ? 0L : theirSeq.getOrDefault(SplitHistory.Key.of(d), 0L));
                }
                List<Member> splitFrom = absorbed
                        ? myView.members().stream().filter(x -> !x.address().equals(m.address())).toList()
                        : absorbedMembers;
                if (earlier != null && fx.now() - earlier.at() <= LostMembers.REMEMBER_MS) {
                    // absorbed by an earlier merge of this leader's that it never took: its numbers
                    // are still its old side's, past which this merge's would take it. It takes
                    // that merge again, with everything since, this one's lines too (seed 40285:
                    // it showed a line of its own side again under the merged number)
                    rewindTo = earlier.rewindTo();
                    entries = chat.after(rewindTo);
                    origins = entries.stream().map(d -> earlier.origins().getOrDefault(SplitHistory.Key.of(d), 0L)).toList();
                    List<Member> both = new ArrayList<>(earlier.splitFrom());
                    absorbedMembers.stream().filter(x -> !both.contains(x)).forEach(both::add);
                    splitFrom = both;
                }
                List<RingMerged> frames = frames(view, splitFrom, rewindTo, entries, origins, renamedBefore);
                unacked.put(m.address(), frames);
                if (absorbed) {
                    Map<SplitHistory.Key, Long> numbers = new HashMap<>();
                    for (int i = 0; i < entries.size(); i++) {
                        if (origins.get(i) > 0) {
                            numbers.put(SplitHistory.Key.of(entries.get(i)), origins.get(i));
                        }
                    }
                    missed.remove(m.address());
                    missed.put(m.address(), new Missed(rewindTo, splitFrom, numbers, fx.now()));
                    while (missed.size() > LostMembers.MAX_REMEMBERED) {
                        missed.remove(missed.keySet().iterator().next());
                    }
                }
                frames.forEach(f -> fx.send(m.address(), f));
            }
            mergedTerm = view.term();
            mergedLeader = fx.self();
        } finally {
            // only now order what was held (adopting the merged view did not): every member takes
            // the merge before the merged ring's first orderings, which its rewind to this node's
            // last number would otherwise forget, to be shown again by its next catch-up (seed 1526)
            publishing = false;
        }
        orderingChanged.run();
    }

    /** The merge for one member, in as many frames as it takes. */
    private List<RingMerged> frames(View view, List<Member> splitFrom, long rewindTo, List<ChatDeliver> entries,
            List<Long> origins, List<Member> renamed) {
        List<RingMerged> frames = new ArrayList<>();
        List<List<ChatDeliver>> chunks = budget.chunks(entries);
        if (chunks.isEmpty()) {
            chunks = List.of(List.of());
        }
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            List<ChatDeliver> chunk = chunks.get(i);
            frames.add(new RingMerged(view, splitFrom, rewindTo, chunk, origins.subList(at, at + chunk.size()), renamed,
                    i == chunks.size() - 1));
            at += chunk.size();
        }
        return frames;
    }

    /**
     * Leader: whether {@code joiner} is an absorbed member that never took its merge, coming back
     * after it was removed. Its last delivery is then in its old side's numbers: the leader
     * replays nothing by number, and sends it the merge instead, once admitted ({@link #sendMissed}).
     */
    boolean missedMerge(NodeAddress joiner) {
        Missed m = missed.get(joiner);
        if (m != null && fx.now() - m.at() > LostMembers.REMEMBER_MS) {
            missed.remove(joiner);
            m = null;
        }
        if (m == null) {
            // readmitted by number into the merged ring: the merge this leader still resends it
            // would rewind what it is replayed now, and show it again (seed 9553)
            unacked.remove(joiner);
        }
        return m != null;
    }

    /** Leader: sends a readmitted member the merge it missed, with everything ordered since. */
    void sendMissed(NodeAddress joiner) {
        Missed m = missed.get(joiner);
        if (m == null) {
            return;
        }
        List<ChatDeliver> entries = chat.after(m.rewindTo());
        List<Long> origins = entries.stream().map(d -> m.origins().getOrDefault(SplitHistory.Key.of(d), 0L)).toList();
        List<RingMerged> frames = frames(ring.view(), m.splitFrom(), m.rewindTo(), entries, origins, List.of());
        unacked.put(joiner, frames);
        frames.forEach(f -> fx.send(joiner, f));
    }

    void onMergeAck(NodeAddress from, MergeAck ack) {
        if (ring.isLeader() && ack.term() == ring.view().term()) {
            unacked.remove(from);
            missed.remove(from);
        }
    }

    // ---- every member of the merged ring -----------------------------------------------------

    /**
     * The merged ring, from its leader: taken (with all its frames) by a member of either piece
     * whose leader it is, or whose leader it absorbed.
     */
    void onRingMerged(NodeAddress from, RingMerged m) {
        View view = m.view();
        if (ring.status() != Status.MEMBER || !from.equals(view.leader()) || !view.contains(fx.self())) {
            return;
        }
        View mine = ring.view();
        if (mergedTerm == view.term() && from.equals(mergedLeader)) {
            fx.send(from, new MergeAck(view.term())); // taken already: the acknowledgement was lost
            return;
        }
        // a member of either piece takes it from its leader or from the leader that absorbed its
        // own; a member readmitted after it missed it (same view) takes it from its leader too
        if (view.ringId() == null || !view.ringId().equals(mine.ringId()) || mine.newerThan(view)
                || !(from.equals(mine.leader()) || view.contains(mine.leader()))) {
            return;
        }
        if (!incoming.isEmpty() && !incoming.get(0).view().equals(view)) {
            incoming.clear();
        }
        if (incoming.stream().mapToInt(f -> f.entries().size()).sum() + m.entries().size() > mostEntries()) {
            fx.warnAboutPeer("a merged ring from " + from + " holds more than " + mostEntries() + " messages; dropped");
            incoming.clear();
            return;
        }
        incoming.add(m);
        if (!m.last()) {
            return;
        }
        List<ChatDeliver> entries = new ArrayList<>();
        List<Long> origins = new ArrayList<>();
        incoming.forEach(f -> {
            entries.addAll(f.entries());
            origins.addAll(f.origins());
        });
        incoming.clear();
        // a leader takes a merge that holds every line it holds past the merge's rewind, and, if
        // the merge was made in the term it leads or before, only if it ordered nothing in that
        // term: a member of either side that lost its leader after the merge was made and led a
        // piece of its own since, in the merged ring's term, would keep what it ordered where the
        // merged ring's lines belong (the rewind goes only to the merge's common point), as if
        // they were those (seed 137700)
        boolean leader = ring.isLeader();
        boolean orderedSince = leader && view.term() <= mine.term() && chat.holdsOrderedIn(mine.term());
        if (leader && (orderedSince || leavesOut(m.rewindTo(), entries))) {
            handOverInstead(view.identity());
            return;
        }
        if (!leader && from.equals(mine.leader()) && !chat.rebasing() && !entries.isEmpty()
                && chat.delivered() < m.rewindTo()) {
            // behind its own leader at the merge's point: taken now, the merge's lines would wait
            // behind the gap and show after its catch-up, outside the merge's frame (seed 270919).
            // It catches up to that point first; the leader sends the merge again until acknowledged
            chat.catchUpBefore(m.rewindTo());
            return;
        }
        // whichever way it goes from here (taken, held already, or waiting for a rebase), no
        // catch-up waits for this merge any more: answers past its point are let through again
        chat.mergeResolved();
        // not shown again: what this node showed under its own side's numbers, and its own side's
        // lines from before it could see them (it joined its piece later)
        Set<SplitHistory.Key> seen = new HashSet<>(chat.shownAfter(m.rewindTo()));
        // the absorbed piece's numbers are this node's own only if it followed that piece's leader,
        // and not if it missed a merge that piece took since: then it holds other lines there
        boolean absorbedHere = !from.equals(mine.leader());
        long lowestOrigin = origins.stream().filter(o -> o > 0).mapToLong(Long::longValue).min().orElse(0);
        Map<Long, SplitHistory.Key> held = absorbedHere ? chat.heldAfter(lowestOrigin - 1) : Map.of();
        for (int i = 0; absorbedHere && i < entries.size(); i++) {
            SplitHistory.Key key = SplitHistory.Key.of(entries.get(i));
            if (origins.get(i) > 0 && chat.shownAs(origins.get(i), key, held)) {
                seen.add(key);
            }
        }
        String oldName = ring.me().name();
        // carrying lines it showed before it went over: not shown again, whoever brought them (the
        // merge of its own carry, or of another member's that went over with them)
        boolean wasCarrying = phase == Phase.CARRYING;
        RejoinCheck.Carry leftOut = null;
        if (wasCarrying) {
            carrying.lines().forEach(d -> seen.add(SplitHistory.Key.of(d)));
        } else if (phase != Phase.NONE) {
            phase = Phase.NONE;
            cancelTimer();
        }
        // a member that missed an earlier merge of either side holds other lines up to this one's
        // base: it takes the leader's whole history instead of the rewind (seed 251541)
        boolean otherNumbers = !leader && !chat.rebasing() && !chat.sharesBase(m.rewindTo(), entries);
        mergedTerm = view.term();
        mergedLeader = from;
        ring.adoptMerged(view);
        if (otherNumbers) {
            chat.rebaseOntoLeader(m.rewindTo());
        }
        if ((!absorbedHere || otherNumbers) && chat.rebasing()) {
            // it rejoined its leader's ring from another piece and waits for that leader's whole
            // history (RejoinCheck): its numbers are not the ring's, so the merge's are not its
            // either; it takes the view, and the history it asked for holds the merged lines (seed 3557)
            fx.note("took the merged ring's view; its lines come with the history asked for since the rejoin");
        } else if (caughtUp(mine, view, m.rewindTo(), entries)) {
            // its copy of the merge was lost, and it took the merged view from its leader's
            // MembershipUpdate and caught up by number since: it holds the merge already. This
            // is the leader's resend; taking it would rewind this node to the merge's end and
            // forget what was ordered after it, shown again by the next catch-up (seed 3039)
            fx.note("took the merged ring's view and its lines by number already");
        } else {
            // lines of its piece that the merge leaves out: its leader handed over from past them
            // (it held nothing older, seed 47491); this node carries them to the merged ring
            leftOut = absorbedHere && !wasCarrying ? chat.leftOut(m.rewindTo(), entries) : null;
            int shown = chat.takeMerged(m.rewindTo(), entries, seen);
            frame(m.splitFrom(), shown, () -> chat.deliverMerged(entries, seen), view);
        }
        announceRenames(m.renamed().stream().map(b -> new MergeRule.Rename(b, view.member(b.address()).orElse(b)))
                .toList(), oldName);
        orderingChanged.run();
        fx.send(from, new MergeAck(view.term()));
        if (wasCarrying && chat.holdsAll(carrying.lines())) {
            carried();
        }
        if (leftOut != null) {
            carry(leftOut);
        }
    }

    /**
     * Whether this node holds the merged ring's view {@code merged} already ({@code mine}, the
     * same term and version) and showed every line of its merge under the merged number. A merge
     * that adds no line ({@code entries} empty) holds nothing past {@code rewindTo}: a node with
     * that view that delivered past it holds the merged ring's own orderings there, which the
     * rewind would forget and the next catch-up show again (seed 143936).
     */
    private boolean caughtUp(View mine, View merged, long rewindTo, List<ChatDeliver> entries) {
        if (merged.newerThan(mine)) {
            return false;
        }
        if (entries.isEmpty()) {
            return chat.delivered() > rewindTo;
        }
        Map<Long, SplitHistory.Key> held = chat.heldAfter(entries.get(0).seq() - 1);
        return entries.stream().allMatch(d -> chat.shownAs(d.seq(), SplitHistory.Key.of(d), held));
    }

    /** Whether this node holds a line after {@code rewindTo} that {@code entries} lack: taking them would lose it. */
    private boolean leavesOut(long rewindTo, List<ChatDeliver> entries) {
        Set<SplitHistory.Key> merged = new HashSet<>();
        entries.forEach(d -> merged.add(SplitHistory.Key.of(d)));
        return chat.after(rewindTo).stream().anyMatch(d -> !merged.contains(SplitHistory.Key.of(d)));
    }

    /**
     * A merged ring that lists this leader lacks lines its piece ordered: the absorbing leader
     * merged a handover this leader had given up since (seed 1581; with numbered invites, one that
     * answered the invite but was merged after this leader's timeout), or this node was a member of the absorbed piece, was cut off from it, and has led a
     * piece of its own since (seed 273). Taking that ring would rewind those lines away for good;
     * this leader hands its piece over to it instead: that ring's leader, hearing a handover from
     * a member that has not acknowledged its merge, takes that piece's members out of its view
     * and merges the piece like any other ({@link #onMergeHandover}). The merged ring resends
     * its merge until acknowledged: a leader busy now tries on the next copy.
     */
    private void handOverInstead(RingIdentity merged) {
        fx.note("the merged ring of " + merged.leader().display() + " (term " + merged.term()
                + ") lacks lines this piece ordered; handing them over instead of taking it");
        if (phase == Phase.HANDING_OVER && partner.sameRing(merged) && partner.term() == merged.term()) {
            return; // handed over to that ring already
        }
        if (phase == Phase.HANDING_OVER) {
            handOver(merged, handoverBase, 0); // the merge it handed over to was made without what it ordered since
        } else {
            discovered(merged);
        }
    }

    /**
     * Shows the other side's lines between the two lines that frame them: {@code * while split
     * from <names>: N messages}, the lines, {@code * ring whole again: M members, leader X}.
     */
    private void frame(List<Member> otherSide, int n, Runnable deliver, View view) {
        String names = otherSide.stream().map(Member::display).collect(Collectors.joining(", "));
        fx.event(Kind.MERGED, "while split from " + names + ": " + (n == 1 ? "1 message" : n + " messages"));
        deliver.run();
        String leader = view.member(view.leader()).map(Member::display).orElse(view.leader().toString());
        fx.event(Kind.MERGED, "ring whole again: " + ViewHandling.members(view.size()) + ", leader " + leader);
    }

    private void announceRenames(List<MergeRule.Rename> renames) {
        announceRenames(renames, ring.me().name());
    }

    private void announceRenames(List<MergeRule.Rename> renames, String oldName) {
        for (MergeRule.Rename r : renames) {
            if (r.after().address().equals(fx.self())) {
                fx.event(Kind.MERGED, "your name " + oldName + " is taken in the merged ring: you are now "
                        + r.after().name());
            } else {
                fx.event(Kind.MERGED, r.before().display() + " from the other side is now " + r.after().name());
            }
        }
    }

    // ---- phases ---------------------------------------------------------------------------------

    /**
     * Most messages a merge carries, over all its frames: both pieces' histories at most (a
     * peer sending more is not running the protocol, and must not fill this node's memory).
     */
    private int mostEntries() {
        return 2 * fx.config.historyLimit();
    }

    /** Whether {@code yours} is this ring as it is now (same leader and term; the version may have moved). */
    private boolean current(RingIdentity yours) {
        RingIdentity mine = ring.view().identity();
        return mine != null && mine.sameRing(yours) && mine.term() == yours.term();
    }

    private void enter(Phase next, RingIdentity other) {
        phase = next;
        partner = other;
        phaseStarted = fx.now();
        cancelTimer();
        timer = fx.schedule("MergeTimeoutTask", MERGE_TIMEOUT_MS, this::timedOut);
    }

    private void timedOut() {
        if (phase == Phase.CARRYING && fx.now() - phaseStarted >= MERGE_TIMEOUT_MS) {
            carryAgain();
        } else if (phase != Phase.NONE && fx.now() - phaseStarted >= MERGE_TIMEOUT_MS) {
            giveUp("the merge with " + partner.leader().display() + " did not finish within " + MERGE_TIMEOUT_MS
                    + " ms; trying again later");
        } else if (phase != Phase.NONE) {
            timer = fx.schedule("MergeTimeoutTask", MERGE_TIMEOUT_MS - (fx.now() - phaseStarted), this::timedOut);
        }
    }

    /** Gives up the merge in progress, if any: this piece orders again, and the probes go on. */
    private void giveUp(String why) {
        if (phase == Phase.NONE) {
            return;
        }
        boolean held = holdsOrdering();
        phase = Phase.NONE;
        partner = null;
        handover = null;
        received.clear();
        cancelTimer();
        if (why != null) {
            fx.note(why);
        }
        if (held) {
            orderingChanged.run();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
