package org.ringchat.ring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatAck;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.ChatSubmit;
import org.ringchat.protocol.Message.JoinRequest;
import org.ringchat.protocol.Message.NotMember;
import org.ringchat.protocol.Message.RoomChange;
import org.ringchat.protocol.Message.SyncReply;
import org.ringchat.protocol.Message.SyncRequest;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.Admission;
import org.ringchat.ring.core.FrameBudget;
import org.ringchat.ring.core.History;
import org.ringchat.ring.core.Outgoing;
import org.ringchat.ring.core.RejoinCheck;
import org.ringchat.ring.core.RoomHistory;
import org.ringchat.ring.core.Sequencer;
import org.ringchat.ring.core.SplitHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat: a member submits its lines to the leader ({@link Outgoing}); the leader orders them
 * ({@link Sequencer}), numbers and stamps each and fans it out to everyone, itself included;
 * every member shows messages in number order exactly once ({@link History}). A member keeps its
 * lines until they come back, and submits them again to every new leader.
 */
final class ChatHandling {

    private static final Logger log = LoggerFactory.getLogger(ChatHandling.class);

    private final NodeEffects fx;
    private final ViewHandling ring;
    private final BooleanSupplier wokeFromPause;
    /** Whether this node is leaving a ring it followed (come to lead alone, it orders nothing of its own). */
    private final BooleanSupplier leavingAsMember;
    private final Runnable shown;
    private final History history;
    /** Lines typed on other threads, taken as the send window has room for them. */
    private final TypedLines typed;
    private final List<Outgoing.Line> taken = new ArrayList<>();
    private final Outgoing outgoing = new Outgoing();
    /**
     * A member's lines in flight, unconfirmed for this many {@code suspectMs} (4 s by default)
     * while the leader lives, are submitted again on a new connection ({@link #checkSubmitsStalled}).
     * Confirmations flow all through a burst, however long its lines wait: only a stalled link
     * goes this long without one.
     */
    static final int STALLED_SUBMITS_SUSPECTS = 4;
    /** When the leader last confirmed one of this member's lines, or its first in flight went; 0: none in flight. */
    private long submitsConfirmedAt;
    private final Sequencer sequencer;
    /** Leader: the senders whose first line to this leader came already, and the id each began after. */
    private final Set<NodeAddress> resubmitted = new HashSet<>();
    private final Map<NodeAddress, Long> floor = new HashMap<>();
    /**
     * Leader: the senders whose first line to this leader came with ids missing before it, and
     * when. It waits for them for a heartbeat ({@code heartbeatMs}) before the sender's floor is
     * set past them ({@link #releaseFloors}): a member whose submits were lost with a connection
     * may send a new line on the next before it resubmits the lost ones (seed 505519).
     */
    private final Map<NodeAddress, Long> firstGapSince = new HashMap<>();
    /** This leader's orderings not shown yet: no member has acknowledged them yet. */
    private final ArrayDeque<ChatDeliver> unshown = new ArrayDeque<>();
    /** Leader: the highest message a member of its term acknowledged. */
    private long acked;
    /** Member: an acknowledgement is due at the end of this turn. */
    private boolean ackDue;
    /** Confirmations made room in the send window this turn: it is filled at the end of the turn. */
    private boolean releaseDue;
    /** The end-of-turn steps of {@link #acknowledgeSoon} and {@link #releaseSoon}, made once. */
    private final Runnable acknowledgeTask;
    private final Runnable releaseTask;
    /** The only node whose ChatDeliver this node accepts: its leader, or a new leader catching it up. */
    private NodeAddress acceptFrom;
    /** The last message shown (a leader shows its own orderings a moment after it numbers them). */
    private long shownSeq;
    /** Leader: holding, it still shows its orderings as they are acknowledged ({@link #ordering(boolean, boolean)}). */
    private boolean showWhileHeld;
    /** The latest messages of every room, as shown here. */
    private final RoomHistory rooms;
    /** The room this node is in (the leader's views follow it as soon as they can). */
    private String room;
    /** Back after a removal: whether the new leader numbers as this node's old ring did. */
    private final RejoinCheck rejoinCheck = new RejoinCheck();
    /**
     * Rejoined a piece of the ring that numbers otherwise: the leader's whole history is on its
     * way (and collected here); what the leader orders meanwhile comes with it.
     */
    private boolean rebasing;
    /**
     * The leader's history as it comes, by number: the request for it may go again (lost across
     * a cut), and two answers in part make one.
     */
    private final java.util.NavigableMap<Long, ChatDeliver> rebaseEntries = new java.util.TreeMap<>();
    /** Heartbeats since the leader's whole history was asked for last. */
    private int rebaseTicks;
    /**
     * Heartbeats a rebasing node waits for the leader's history before it asks again: the request
     * may have been written to a connection a cut held until it timed out (seed 284211).
     */
    static final int REBASE_RETRY_TICKS = 5;
    /**
     * Lines this node showed under its old piece's numbers that the leader it rebased onto
     * lacked (the lines it carries to that leader): when one comes back ordered by that leader
     * (its sender submitted it again there, or the carry's merge), it takes its place in the
     * numbering but is not shown again (seed 31792). Each is dropped as it comes.
     */
    private final Set<SplitHistory.Key> shownElsewhere = new HashSet<>();
    /**
     * Lines this node showed that a merge then took out of its history: its own piece had ordered
     * them and the merged ring did not hold them yet (it merged a stale view of that piece). A later
     * merge that brings them does not show them again (seed 63270). The newest
     * {@code historyLimit} are kept, as many as the history itself.
     */
    private final LinkedHashSet<SplitHistory.Key> shownThenDropped = new LinkedHashSet<>();
    /**
     * Rebased, this node held lines the leader lacks (its old piece's since the split): they go
     * to the leader, to be merged into its ring ({@link MergeHandling#carry}).
     */
    private final Consumer<RejoinCheck.Carry> carry;
    /**
     * Back in another piece's ring, this node submits nothing until that ring holds the lines it
     * carries: submitted first, its later lines would come before its earlier ones there.
     */
    private boolean carryPending;
    /**
     * Rejoined, this node submits nothing until the leader's first message tells whether it
     * numbers otherwise (it may then carry lines, above); when the leader sends nothing for
     * {@link #REJOIN_HOLD_TICKS} heartbeats, it asks again, at most {@link #REJOIN_ASKS} times,
     * and then lets its lines go (the leader held nothing past this node's last position).
     */
    private boolean rejoinHold;
    private int rejoinHoldTicks;
    /** The rejoin's check saw a message past this node's last first, and asked for history again. */
    private boolean rejoinAskedAgain;
    /** How many times the hold's heartbeats ran out with the rejoin's check pending, and it asked again. */
    private int rejoinAsks;
    /**
     * How many times a rejoined node whose check is still pending asks again for the history that
     * decides it, every {@link #REJOIN_HOLD_TICKS} heartbeats, before it lets its lines go anyway
     * (the leader may hold nothing to compare): let go at once, its later lines went to a ring
     * that then took a line it carried after them (seed 270919).
     */
    static final int REJOIN_ASKS = 5;
    /**
     * A merge waits for this node to deliver up to this number of its ring (it was behind its
     * leader there, {@link #catchUpBefore}); -1 when none does.
     */
    private long mergeWaitsAt = -1;
    /** The leader whose merge waits ({@link #mergeWaitsAt}). */
    private NodeAddress mergeFrom;
    /** Heartbeats since this node began to wait for a merge ({@link #mergeWaitsAt}). */
    private int mergeWaitTicks;
    /**
     * Heartbeats a node behind at a merge waits for that merge to come again (the leader sends it
     * every 500 ms until acknowledged) before it catches up by number, unframed: the leader may
     * have stopped sending it (seed 246101: a member waited at the merge's point for good).
     */
    static final int MERGE_WAIT_TICKS = 15;
    /** A merge ended a rejoin check or a rebase: this node's lines go once it is delivered. */
    private boolean submitAfterMerge;
    static final int REJOIN_HOLD_TICKS = 2;

    /**
     * @param wokeFromPause true (once) when this node turns out to have been paused; it is then
     *     on probation and holds its orderings
     * @param shown called after messages were shown (own lines among them may be confirmed)
     */
    ChatHandling(NodeEffects fx, ViewHandling ring, TypedLines typed, BooleanSupplier wokeFromPause, Runnable shown,
            Consumer<RejoinCheck.Carry> carry, BooleanSupplier leavingAsMember) {
        this.fx = fx;
        this.leavingAsMember = leavingAsMember;
        this.acknowledgeTask = fx.guardedTask("ChatAckTask", this::acknowledge);
        this.releaseTask = fx.guardedTask("ReleaseTask", () -> {
            releaseDue = false;
            releaseMore();
        });
        this.carry = carry;
        this.ring = ring;
        this.typed = typed;
        this.wokeFromPause = wokeFromPause;
        this.shown = shown;
        this.history = new History(fx.config.historyLimit());
        this.rooms = new RoomHistory(fx.config.roomHistoryLimit());
        this.room = fx.config.room();
        // a peer configured with a larger window than ours still fits, up to four times ours
        this.sequencer = new Sequencer(4 * fx.config.sendWindow(), 4 * fx.config.sendWindow());
    }

    // ---- sending ----------------------------------------------------------------------------

    /** Lines were typed while this node had room for them in its send window. */
    void linesWaiting() {
        releaseMore();
    }

    private boolean canSubmit() {
        // (rejoined another piece: not before this node knows what it carries there, and that ring has it)
        return ring.status() == Status.MEMBER && !rebasing && !carryPending && !rejoinHold;
    }

    /** A leader is (newly) known, or the link to it came back: everything unconfirmed goes to it, in order. */
    void leaderKnown() {
        if (canSubmit()) {
            outgoing.inFlight().forEach(this::submit);
            releaseMore();
        }
    }

    /**
     * Fills the send window once at the end of this turn, however many of this node's lines the
     * turn confirmed (a frame of the leader's brings hundreds): the typed lines are taken in one
     * go, and the caller waiting for room is woken once, not once a line.
     */
    private void releaseSoon() {
        if (!releaseDue) {
            releaseDue = true;
            fx.later(releaseTask);
        }
    }

    /**
     * Confirmations (or a new leader) made room in the send window: typed lines fill it, in order.
     * Lines stay with the caller's queue until there is room, so a flood waits there, bounded.
     */
    private void releaseMore() {
        if (!canSubmit()) {
            typed.wakeForNext(); // as before the window: every line typed meanwhile looks again
            return;
        }
        int window = fx.config.sendWindow();
        int room = window - outgoing.size();
        if (room > 0 && typed.drainTo(taken, room) > 0) {
            for (Outgoing.Line line : taken) {
                outgoing.add(line);
                fx.event(Kind.CHAT_SENT, "sent: " + line.text());
            }
            taken.clear();
            fx.changed();
        }
        outgoing.release(window).forEach(this::submit);
    }

    private void submit(ChatSubmit submit) {
        if (ring.isLeader()) {
            if (leavingAsMember.getAsBoolean() && ring.others().isEmpty()) {
                // a member leaving, come to lead alone: nobody would ever see what it orders now,
                // and the ring it leaves may live on without it (its other members paused, not
                // gone: seed 231614, where such a node showed its last line under a number the
                // ring gave another). A node that led when it began to leave orders as before
                return;
            }
            onChatSubmit(fx.self(), submit);
        } else {
            if (submitsConfirmedAt == 0) {
                submitsConfirmedAt = fx.now();
            }
            fx.send(ring.leader(), submit);
        }
    }

    /**
     * Runs every heartbeat: lines in flight that the leader has confirmed none of for
     * {@link #STALLED_SUBMITS_SUSPECTS} times {@code suspectMs}, while it is alive (its failure
     * detector would have said otherwise), sit on a link whose stream stalls: behind a lossy link
     * TCP's back-off held a member's line for over 30 s (LinkFaultIT, 20 % loss). They go again
     * on a connection of their own.
     */
    void checkSubmitsStalled() {
        if (outgoing.isEmpty()) {
            submitsConfirmedAt = 0; // (a removal or a merge may have emptied it)
            return;
        }
        if (!canSubmit() || ring.isLeader() || submitsConfirmedAt == 0
                || fx.now() - submitsConfirmedAt < (long) STALLED_SUBMITS_SUSPECTS * fx.config.suspectMs()) {
            return;
        }
        fx.note("no line confirmed by the leader for " + (fx.now() - submitsConfirmedAt)
                + " ms: submitting them again on a new connection");
        submitsConfirmedAt = fx.now();
        fx.afterFlush(() -> { // once what this turn wrote to the old link is on its way
            if (ring.status() == Status.MEMBER && !ring.isLeader()) {
                fx.disconnect(ring.leader());
                leaderKnown();
            }
        });
    }

    /** Lines confirmed: the clock of {@link #checkSubmitsStalled} starts again, or stops when none is in flight. */
    private void submitsConfirmed() {
        submitsConfirmedAt = outgoing.isEmpty() ? 0 : fx.now();
    }

    // ---- ordering (leader) --------------------------------------------------------------------

    void onChatSubmit(NodeAddress from, ChatSubmit submit) {
        if (!ring.isLeader()) {
            return; // the sender submits it again to whoever leads next
        }
        wokeFromPause.getAsBoolean(); // a leader that was paused holds what it reads first
        Member sender = ring.member(from).orElse(null);
        if (sender == null) {
            fx.send(from, new NotMember(ring.view()));
            return;
        }
        long last = history.lastMsgId(from);
        if (resubmitted.add(from) && submit.msgId() > last + 1) {
            // a sender's first line to this leader (since it leads, or since the sender was
            // admitted) is the first it has not seen ordered: the ids before it were ordered in
            // another piece of the ring, which a merge brings or which is gone; waiting for them
            // would hold the sender's lines for ever. Or they were lost with a connection and come
            // next, resubmitted: so they are waited for a heartbeat first (releaseFloors), if the
            // line can wait for them at all
            if (submit.msgId() - last > sequencer.maxAhead()) {
                floor.put(from, submit.msgId() - 1);
            } else {
                firstGapSince.put(from, fx.now());
            }
        }
        for (ChatSubmit s : sequencer.offer(from, submit, Math.max(last, floor.getOrDefault(from, 0L)))) {
            order(sender, s);
        }
    }

    private void order(Member sender, ChatSubmit submit) {
        String text = submit.text();
        if (text.length() > fx.config.maxTextLength()) {
            // a peer configured differently: cut, rather than drop and leave its later lines waiting forever
            log.warn("[{}] cutting a {}-character line from {} to {}", fx.who(), text.length(), sender.display(),
                    fx.config.maxTextLength());
            text = text.substring(0, fx.config.maxTextLength());
        }
        // a silenced member's line keeps its place in the sender's numbering, without its text
        boolean silenced = ring.view().isSilenced(sender.name());
        ChatDeliver message = new ChatDeliver(history.delivered() + 1, ring.view().term(), sender, submit.msgId(),
                silenced ? "" : text, fx.tick(), submit.room(), Math.max(0, fx.wallClockMs()), silenced);
        unshown.addAll(history.accept(message));
        List<NodeAddress> others = ring.others();
        fx.sendAll(others, message);
        if (others.isEmpty()) {
            showOrdered(); // a ring of one: nobody else can have it
        }
    }

    /**
     * Shows this leader's orderings once a member has acknowledged them. A leader cut off from
     * the ring (a pause, a network that holds its frames) may have been replaced meanwhile, and
     * the members that elected another leader drop what it sends: it shows nothing they will not
     * have, and forgets what it ordered but did not show when it finds it was removed. While it
     * is on probation after a pause it shows nothing at all, nor while it holds its ordering for
     * anything but a merge (which waits for these to be shown).
     */
    private void showOrdered() {
        if (unshown.isEmpty() || wokeFromPause.getAsBoolean()
                || (sequencer.phase() != Sequencer.Phase.ORDERING && !showWhileHeld)) {
            return;
        }
        long upTo = ring.others().isEmpty() ? Long.MAX_VALUE : acked;
        // taken from the front: a list shifted what stayed at every acknowledgement (issue 10)
        List<ChatDeliver> ordered = new ArrayList<>();
        while (!unshown.isEmpty() && unshown.peekFirst().seq() <= upTo) {
            ordered.add(unshown.pollFirst());
        }
        show(ordered);
    }

    /** A member has every message up to {@code seq} of this leader's term. */
    void onChatAck(NodeAddress from, ChatAck ack) {
        if (ring.isLeader() && ack.term() == ring.view().term() && ring.contains(from) && ack.seq() > acked) {
            acked = Math.min(ack.seq(), history.delivered());
            showOrdered();
        }
    }

    /**
     * Whether this node may order now: it leads, and is neither catching up nor on probation.
     * Opening shows what waited and orders what was held, in arrival order.
     */
    void ordering(boolean open) {
        ordering(open, open);
    }

    /**
     * As {@link #ordering(boolean)}; {@code show}: whether, holding, this leader still shows its
     * acknowledged orderings (a merge holds it, which waits for them to be shown; probation and
     * a catch-up do not).
     */
    void ordering(boolean open, boolean show) {
        showWhileHeld = ring.isLeader() && show;
        if (!ring.isLeader()) {
            sequencer.reset();
            if (!unshown.isEmpty()) {
                // stopped leading (the others elect a successor) with orderings no member has
                // acknowledged: kept as delivered, they were never shown here, not even when the
                // successor's catch-up confirmed them. Forgotten, they come back with the catch-up
                // if a member has them (and are shown then); if none has, they were never shown
                // anywhere and the successor numbers those places itself.
                history.rewindTo(unshown.peekFirst().seq() - 1);
                unshown.clear();
            }
        } else if (!open) {
            sequencer.hold();
            if (showWhileHeld) {
                showOrdered();
            }
        } else if (sequencer.phase() != Sequencer.Phase.ORDERING) {
            List<Sequencer.Submission> held = sequencer.open();
            showOrdered();
            held.forEach(h -> onChatSubmit(h.from(), h.submit()));
        }
    }

    // ---- delivering ---------------------------------------------------------------------------

    void onChatDeliver(NodeAddress from, ChatDeliver message) {
        if (ring.inRing() && from.equals(acceptFrom)) {
            if (!numberingChecked(message, false)) {
                show(history.accept(message));
            }
            if (!rebasing) {
                acknowledgeSoon();
            }
        } else if (lateFromLostLeader(from, message)) {
            show(history.accept(message));
        }
    }

    /**
     * Electing, before a winner's catch-up reached this node: the lost leader's next ordering,
     * late on its stream behind a slow frame (its link's close and refused reconnect came first).
     * Taken, it is this node's to report to the winner, which then holds it and sends it on;
     * dropped, a member that still followed that leader (paused through the election) showed it,
     * and the winner numbered the line again with its own stamp (seed 102172). Only the very next
     * number of that leader's term: a line after a gap waits for no one now.
     */
    private boolean lateFromLostLeader(NodeAddress from, ChatDeliver message) {
        return ring.inRing() && ring.status() == Status.ELECTING && acceptFrom == null && !rebasing
                && from.equals(ring.view().leader()) && message.term() == ring.view().term()
                && message.seq() == history.delivered() + 1 && history.waiting() == 0
                && lastDeliveredIn(message.term());
    }

    /**
     * Whether this node's last delivery is of {@code term} (or none is held): one that took a
     * winner's orderings of a newer term numbers on in that term, and the lost leader's late
     * frames at the next numbers are other lines (seed 287006: a member caught up by the winner
     * slept through the rest of the catch-up, gave the election up on waking, and took two hundred
     * of the crashed leader's late orderings after the winner's, showing a line twice).
     */
    private boolean lastDeliveredIn(long term) {
        ChatDeliver last = at(history.delivered());
        return last == null || last.term() == term;
    }

    /**
     * The new leader's first message after a rejoin tells whether it numbers as this node's old
     * ring did ({@link RejoinCheck}); true when the message was taken here (no further delivery).
     * {@code answer}: the message opens an answer to a request for history (the join's, or one
     * asked again); a frame of the leader's stream past this node's last number decides nothing.
     */
    private boolean numberingChecked(ChatDeliver message, boolean answer) {
        if (rebasing) {
            return true; // it comes again with the leader's whole history
        }
        RejoinCheck.Verdict verdict = rejoinCheck.first(message, answer);
        if (verdict == RejoinCheck.Verdict.PAST) {
            if (!rejoinAskedAgain) {
                rejoinAskedAgain = true; // once per message stream; a stuck gap asks again (askForGap)
                askForGap();
            }
            return false;
        }
        return decided(verdict, message);
    }

    /** The rejoin check decided on {@code message}: true when it was taken here (no further delivery). */
    private boolean decided(RejoinCheck.Verdict verdict, ChatDeliver message) {
        if (verdict != RejoinCheck.Verdict.NONE) {
            rejoinHold = false; // (another numbering: the rebase, and what it carries, hold them on)
        }
        if (verdict == RejoinCheck.Verdict.FOREIGN) {
            fx.note("rejoined a piece of the ring that numbers otherwise (its #" + message.seq()
                    + " is not ours); asking its leader for its history");
            rebasing = true;
            rebaseEntries.clear();
            askForRebase();
        }
        if (verdict == RejoinCheck.Verdict.SAME || verdict == RejoinCheck.Verdict.UNKNOWN) {
            leaderKnown();
        }
        return verdict == RejoinCheck.Verdict.SAME || verdict == RejoinCheck.Verdict.FOREIGN;
    }

    /** Whether a merge rewinding to {@code rewindTo} with {@code entries} shares that base with this node ({@link RejoinCheck#sharesBase}). */
    boolean sharesBase(long rewindTo, List<ChatDeliver> entries) {
        return RejoinCheck.sharesBase(history.after(0), rewindTo, entries);
    }

    /**
     * A merge's base does not hold here ({@link #sharesBase}): this node takes its
     * leader's numbering and whole history instead, as after a rejoin into another piece.
     */
    void rebaseOntoLeader(long rewindTo) {
        fx.note("a merge rewinds to #" + rewindTo + ", where this node numbers otherwise; asking its leader for its history");
        rejoinCheck.clear();
        rejoinHold = false;
        mergeWaitsAt = -1;
        rebasing = true;
        rebaseEntries.clear();
        askForRebase();
    }

    /** Asks the leader for every message it holds: this node takes its numbering. */
    private void askForRebase() {
        rebaseTicks = 0;
        if (ring.status() == Status.MEMBER && !ring.isLeader()) {
            fx.send(ring.leader(), new SyncRequest(ring.view().term(), 0));
        }
    }

    /**
     * The leader's history is in: this node's own (another piece's numbering) is forgotten, the
     * leader's taken instead, and its lines this node has not shown (by sender and id) shown
     * now, framed like a merge's: they were said in this piece while this node was in the other.
     * The lines this node held that the leader lacks (its old piece's since the split) are then
     * handed over to the leader, whose merge shows them to its ring ({@link RejoinCheck#carry}).
     */
    private void rebase(long leaderDelivered) {
        rebasing = false;
        List<ChatDeliver> entries = new ArrayList<>(rebaseEntries.values());
        rebaseEntries.clear();
        RejoinCheck.Carry lacking = RejoinCheck.carry(history.after(0), entries);
        Set<SplitHistory.Key> seen = shownAfter(0);
        shownElsewhere.clear();
        if (lacking != null) {
            lacking.lines().forEach(d -> shownElsewhere.add(SplitHistory.Key.of(d)));
        }
        long before = entries.isEmpty() ? leaderDelivered : entries.get(0).seq() - 1;
        history.restartAt(before);
        shownSeq = before;
        int count = 0;
        for (ChatDeliver d : entries) {
            if (!seen.contains(SplitHistory.Key.of(d)) && !d.silenced() && d.room().equals(room)) {
                count++;
            }
        }
        View view = ring.view();
        String others = view.members().stream().filter(m -> !m.address().equals(fx.self())).map(Member::display)
                .collect(Collectors.joining(", "));
        String leader = view.member(view.leader()).map(Member::display).orElse(view.leader().toString());
        fx.event(Kind.MERGED, "while split from " + others + ": " + (count == 1 ? "1 message" : count + " messages"));
        deliverMerged(entries, seen);
        fx.event(Kind.MERGED, "ring whole again: " + ViewHandling.members(view.size()) + ", leader " + leader);
        acknowledgeSoon();
        if (lacking != null) {
            // what the leader ordered after its history was sent was dropped here meanwhile: asked
            // for now, as its merge waits until a member has every line it ordered
            askForGap();
            carryPending = true;
            carry.accept(lacking);
        } else {
            leaderKnown(); // what this node typed meanwhile goes now
        }
    }

    /** One acknowledgement, at the end of this turn, for everything this turn delivers. */
    private void acknowledgeSoon() {
        if (!ackDue) {
            ackDue = true;
            fx.later(acknowledgeTask);
        }
    }

    /** Member → leader: how far this node has delivered. */
    private void acknowledge() {
        ackDue = false;
        if (ring.status() == Status.MEMBER && !ring.isLeader() && !rebasing) {
            // (while rebasing, this node's numbers are another piece's: they acknowledge nothing here)
            fx.send(ring.leader(), new ChatAck(ring.view().term(), history.delivered()));
        }
    }

    /** Shows delivered messages, confirms our own among them, and lets more of ours go. */
    private void show(List<ChatDeliver> messages) {
        if (messages.isEmpty()) {
            return;
        }
        for (ChatDeliver d : messages) {
            if (d.sender().address().equals(fx.self())) {
                outgoing.confirm(d.msgId());
                submitsConfirmed();
            }
            shownSeq = d.seq();
            if (!shownElsewhere.isEmpty() && shownElsewhere.remove(SplitHistory.Key.of(d))) {
                continue; // shown already, under the old piece's number
            }
            if (d.silenced()) {
                if (d.sender().address().equals(fx.self())) {
                    fx.event(Kind.WARNING, "you are silenced: the leader did not send your line");
                }
                continue;
            }
            rooms.add(d);
            fx.show(d);
        }
        releaseSoon();
        fx.changed();
        shown.run();
    }

    /**
     * Leader, every heartbeat: a sender whose first line came with ids missing before it, still
     * missing a heartbeat later, begins after them ({@link #firstGapSince}); its waiting lines go.
     */
    private void releaseFloors() {
        if (firstGapSince.isEmpty()) {
            return;
        }
        if (!ring.isLeader()) {
            firstGapSince.clear();
            return;
        }
        long now = fx.now();
        for (NodeAddress from : List.copyOf(firstGapSince.keySet())) {
            if (sequencer.phase() != Sequencer.Phase.ORDERING || now - firstGapSince.get(from) < fx.config.heartbeatMs()) {
                continue;
            }
            firstGapSince.remove(from);
            ChatSubmit first = sequencer.firstEarly(from);
            Member sender = ring.member(from).orElse(null);
            if (first == null || sender == null) {
                continue; // its missing ids came (or it left)
            }
            floor.put(from, first.msgId() - 1);
            for (ChatSubmit s : sequencer.offer(from, first, first.msgId() - 1)) {
                order(sender, s);
            }
        }
    }

    /** Runs every heartbeat: a gap open for two ticks in a row is asked for again. */
    void checkGap() {
        releaseFloors();
        if (mergeWaitsAt >= 0 && ++mergeWaitTicks >= MERGE_WAIT_TICKS) {
            mergeWaitsAt = -1; // the merge did not come again: what follows its point comes by number
            askForGap();
        }
        if (rebasing && ++rebaseTicks >= REBASE_RETRY_TICKS) {
            askForRebase();
        }
        if (history.gapStuck()) {
            askForGap();
        }
        if (rejoinHold && ring.status() == Status.MEMBER && ++rejoinHoldTicks >= REJOIN_HOLD_TICKS) {
            if (rejoinCheck.pending() && rejoinAsks++ < REJOIN_ASKS) {
                // the answer to the join may have been lost with a reset connection (seed 270919:
                // nothing came, the lines went, and the line it then carried came after them)
                rejoinHoldTicks = 0;
                askForGap();
            } else {
                releaseRejoinHold();
            }
        }
    }

    /** The rejoin check is over (or waited long enough): this node's lines go to the leader. */
    private void releaseRejoinHold() {
        if (rejoinHold) {
            rejoinHold = false;
            leaderKnown();
        }
    }

    /**
     * Asks the leader to send again what follows this node's last delivery: for a gap, or after
     * an election this node gave up, during which it took nothing from the leader.
     */
    void askForGap() {
        if (rejoinCheck.pending() && ring.status() == Status.MEMBER && !ring.isLeader()) {
            // the rejoin's check waits for the leader's message at this node's last number
            fx.send(ring.leader(), new SyncRequest(ring.view().term(), rejoinCheck.askAgainAfter()));
            return;
        }
        if (rebasing) {
            // what follows its last delivery in its old numbering is no part of the leader's: the
            // answer, taken for the whole history, lost the lines before it (seed 284211)
            askForRebase();
            return;
        }
        if (ring.status() == Status.MEMBER && !ring.isLeader()) {
            fx.send(ring.leader(), new SyncRequest(ring.view().term(), history.delivered()));
        }
    }

    /**
     * The leader's answer to a gap: what it holds after this node's last delivery. If its
     * history no longer reaches back to the gap, what is missing is gone for good: the gap is
     * skipped, and the user told.
     */
    void onResend(NodeAddress from, SyncReply reply) {
        if (ring.status() != Status.MEMBER || !from.equals(ring.leader()) || reply.term() != ring.view().term()) {
            return;
        }
        List<ChatDeliver> entries = reply.entries();
        if (rebasing) {
            entries.forEach(e -> rebaseEntries.putIfAbsent(e.seq(), e));
            if (entries.isEmpty() || entries.get(entries.size() - 1).seq() >= reply.deliveredSeq()) {
                rebase(reply.deliveredSeq());
            }
            return;
        }
        if (mergeWaitsAt >= 0) {
            // what follows the merge's point is the merge's, and comes with it, in its frame
            long upTo = mergeWaitsAt;
            entries = entries.stream().filter(d -> d.seq() <= upTo).toList();
        }
        if (rejoinCheck.pending() && !entries.isEmpty()) {
            // an answer to the check's request asked again: its first message decides
            if (numberingChecked(entries.get(0), true)) {
                if (rebasing) {
                    return; // another numbering: the leader's whole history comes instead
                }
                entries = entries.subList(1, entries.size()); // the same: our own last, sent to compare
            }
        }
        if (!entries.isEmpty() && entries.get(0).seq() > history.delivered() + 1) {
            long first = history.delivered() + 1;
            long last = entries.get(0).seq() - 1;
            fx.event(Kind.WARNING, "messages #" + first + "–#" + last + " are lost (older than the leader's history); skipping them");
            show(history.skipTo(last));
        }
        entries.forEach(this::deliver);
        // the leader shows its orderings only once a member has them: what a gap held back it
        // learns of here (without this, a ring whose last lines filled a gap never showed them)
        acknowledgeSoon();
    }

    /**
     * Leader: its link to {@code member} failed (closed, or a connect went unanswered), and the
     * member stays. Lines written on that link may be lost with it, the last ones too, and a lost
     * tail shows no gap until the next line. The last ordered line, sent again, shows the member
     * the gap if it missed any (it asks for the rest, as for any gap); if not, it is a duplicate,
     * ignored. The send opens a new connection. On probation ({@code shownOnly}), the last line
     * it showed (see {@link #resend}).
     */
    void linkLost(NodeAddress member, boolean shownOnly) {
        if (ring.isLeader() && ring.contains(member)) {
            ChatDeliver last = at(shownOnly ? lastShownOrdering() : history.delivered());
            if (last != null) {
                fx.send(member, last);
            }
        }
    }

    /**
     * Leader: a member lost messages with a dropped connection; sends it what follows
     * {@code afterSeq}, as far as it goes back. With {@code shownOnly} (a leader back from a
     * pause, not yet confirmed), only what this leader showed: what it ordered and no member
     * acknowledged may be numbered otherwise by a leader elected while it slept, and a member
     * that took it from this one would hold both (seed 251665: its frames dropped before the
     * pause, two members that still followed it asked for the gap and showed a hundred lines
     * that the new leader, which held none of them, ordered again).
     */
    void resend(NodeAddress to, long afterSeq, FrameBudget budget, boolean shownOnly) {
        long upTo = shownOnly ? lastShownOrdering() : history.delivered();
        List<ChatDeliver> entries = history.after(afterSeq);
        if (upTo < history.delivered()) {
            entries = entries.stream().filter(d -> d.seq() <= upTo).toList();
        }
        for (List<ChatDeliver> chunk : budget.chunks(entries)) {
            fx.send(to, new SyncReply(ring.view().term(), upTo, chunk));
        }
    }

    /** The last ordering this leader showed: those after it wait for a member's acknowledgement. */
    private long lastShownOrdering() {
        return unshown.isEmpty() ? history.delivered() : unshown.peekFirst().seq() - 1;
    }

    /** A view was adopted: its leader is the one to hear from, and a new one gets our unconfirmed lines. */
    void viewAdopted(View view, boolean newLeader) {
        acceptFrom = view.leader();
        if (newLeader) {
            resubmitted.clear(); // every sender submits again, from its first line not seen ordered
            floor.clear();
            firstGapSince.clear();
        }
        resubmitted.retainAll(view.members().stream().map(Member::address).toList());
        floor.keySet().retainAll(resubmitted);
        firstGapSince.keySet().retainAll(resubmitted);
        if (newLeader) {
            acked = history.delivered(); // a new leader: what it holds now, every member has or is sent
        }
        showOrdered(); // a leader left alone shows what waited for an acknowledgement
        sequencer.retain(view.members().stream().map(Member::address).toList());
        if (newLeader) {
            if (!view.leader().equals(mergeFrom)) {
                mergeWaitsAt = -1; // a merge of the old leader's: the new one's view says what holds now
            }
            if (rebasing && ring.isLeader()) {
                // this node leads now: the leader it rebased onto is gone, and its own numbering
                // is the ring's (seed 323113: alone, it waited for a history that no one would
                // send, and held its lines for good)
                rebasing = false;
                rebaseEntries.clear();
            } else if (rebasing) {
                rebaseEntries.clear();
                askForRebase(); // the leader changed before its history came: the new one's
            } else if (history.waiting() > 0) {
                askForGap(); // frames of the catch-up lost with a connection: the new leader has them
            }
            leaderKnown();
            // what this node took from the leader catching it up, before its first view, went
            // unacknowledged (it was no member then); the leader shows its own orderings only once
            // a member has acknowledged them
            acknowledgeSoon();
        }
    }

    /**
     * A new leader's catch-up begins (this node won the election, or answers the winner): what
     * waited here for a gap was numbered by the lost leader, and must not be let through by the
     * new leader's own numbering of that gap. Whatever of it a survivor delivered comes back with
     * the catch-up.
     */
    void catchUpBegins() {
        history.dropWaiting();
    }

    /** The leader this node takes chat (and a new term's first view) from: its own, or the new one catching it up. */
    NodeAddress following() {
        return acceptFrom;
    }

    /** No leader for now (an election), or a new one catching this node up. */
    void acceptFrom(NodeAddress leader) {
        acceptFrom = leader;
    }

    /** This node was removed: what it ordered but did not show is the new leader's business now. */
    void removed() {
        mergeWaitsAt = -1;
        sequencer.reset();
        unshown.clear();
        history.rewindTo(shownSeq);
        acceptFrom = null;
        rejoinCheck.clear();
        rebasing = false;
        carryPending = false;
        rejoinHold = false;
        rebaseEntries.clear();
        shownElsewhere.clear();
    }

    /** The lines this node carried are in its ring now (or given up): its own lines go to the leader. */
    void carryDone() {
        if (carryPending) {
            carryPending = false;
            leaderKnown();
        }
    }

    /** Whether this node holds every one of {@code lines} (by sender and id), whatever their numbers. */
    boolean holdsAll(List<ChatDeliver> lines) {
        Set<SplitHistory.Key> held = new HashSet<>();
        history.after(0).forEach(d -> held.add(SplitHistory.Key.of(d)));
        return lines.stream().allMatch(d -> held.contains(SplitHistory.Key.of(d)));
    }

    // ---- rooms ------------------------------------------------------------------------------------

    String room() {
        return room;
    }

    /**
     * The user moved to {@code room}: its recent past is shown now, and the leader asked to say
     * so in its next view. (Lines already typed keep the room they were typed in.)
     */
    void moveTo(String room) {
        this.room = room;
        fx.history(room, rooms.last(room, fx.config.historyShown()));
        tellLeaderOurRoom();
    }

    /** Tells the leader this node's room, unless its view already says so. */
    void tellLeaderOurRoom() {
        if (ring.status() != Status.MEMBER || ring.view().room(fx.self()).equals(room)) {
            return;
        }
        if (ring.isLeader()) {
            onRoomChange(fx.self(), new RoomChange(room));
        } else {
            fx.send(ring.leader(), new RoomChange(room));
        }
    }

    /** Leader: a member moved; the next view says so to everyone. */
    void onRoomChange(NodeAddress from, RoomChange change) {
        if (!ring.isLeader() || ring.status() != Status.MEMBER || !ring.contains(from)
                || ring.view().room(from).equals(change.room())) {
            return;
        }
        ring.publish(ring.view().withRoom(from, change.room()), List.of());
    }

    /** The last {@code n} messages of {@code room}, as this node keeps them. */
    List<ChatDeliver> roomHistory(String room, int n) {
        return rooms.last(room, n);
    }

    /** Leader: the latest messages of every room, for a joiner: as many of the most recent as fit its share of the frame. */
    List<ChatDeliver> backlog(FrameBudget budget) {
        return budget.tail(rooms.lastOfEach(fx.config.roomHistoryLimit()));
    }

    /** Admitted with the leader's backlog: kept, and the past of this node's room shown. */
    void admittedWithBacklog(List<ChatDeliver> backlog, List<ChatDeliver> recent) {
        backlog.forEach(rooms::add);
        recent.forEach(rooms::add);
        fx.history(room, rooms.last(room, fx.config.historyShown()));
        tellLeaderOurRoom();
    }

    // ---- merging with another piece of the ring ------------------------------------------------

    /** Leader: whether every ordering of this leader has been shown (a member acknowledged it), so it may merge. */
    boolean allShown() {
        return unshown.isEmpty();
    }

    /** Leader: the lowest number this node still holds, less one: the earliest base a merge can start from. */
    long oldestBase() {
        return history.oldestHeld() - 1;
    }

    /**
     * The lines this node has shown after {@code seq} (by sender and id), and those an earlier
     * merge took out of its history after it showed them: a merge does not show them again.
     */
    Set<SplitHistory.Key> shownAfter(long seq) {
        Set<SplitHistory.Key> out = new HashSet<>(shownThenDropped);
        for (ChatDeliver d : history.after(seq)) {
            if (d.seq() <= shownSeq) {
                out.add(SplitHistory.Key.of(d));
            }
        }
        return out;
    }

    /**
     * Whether the line {@code key}, numbered {@code seq} in this node's own side's numbers, was
     * shown here under that number, as far as this node can tell: it holds that very line there,
     * or that number lies before the oldest it holds (shown before it joined, or dropped since).
     * A line this node holds another line under was numbered in another piece's numbers: this
     * node missed a merge, and that line is not one it showed (seeds 3180, 4573, 5765).
     */
    boolean shownAs(long seq, SplitHistory.Key key, Map<Long, SplitHistory.Key> held) {
        if (seq > shownSeq) {
            return false;
        }
        return seq < history.oldestHeld() || key.equals(held.get(seq));
    }

    /** The lines this node holds after {@code seq}, by number: for {@link #shownAs}. */
    Map<Long, SplitHistory.Key> heldAfter(long seq) {
        Map<Long, SplitHistory.Key> out = new HashMap<>();
        for (ChatDeliver d : history.after(seq)) {
            out.put(d.seq(), SplitHistory.Key.of(d));
        }
        return out;
    }

    /**
     * Takes the merged ring's history ({@code docs/partitions.md}): forgets what this node
     * numbered after {@code rewindTo} (the other side numbered those places too), then takes
     * {@code entries}, the merged history after it, showing in order the lines not in
     * {@code seen} (those it showed already, under its own side's numbers) and recording the
     * rest as delivered without showing them again. Returns how many lines of this node's
     * room it shows (a silenced line is shown by nobody).
     */
    /**
     * A merge came while this node was behind its leader before the merge's point
     * {@code rewindTo}: it asks for what it lacks up to there, and takes the merge when the
     * leader sends it again, so that the merge's lines show in the merge's frame.
     */
    void catchUpBefore(long rewindTo) {
        mergeFrom = ring.leader();
        if (mergeWaitsAt != rewindTo) {
            mergeWaitTicks = 0;
            fx.note("a merge came while this node was behind its leader before #" + rewindTo
                    + "; catching up to there before taking it");
        }
        mergeWaitsAt = rewindTo;
        askForGap();
    }

    /** The merge {@link #catchUpBefore} waited for was taken, or found held already. */
    void mergeResolved() {
        mergeWaitsAt = -1;
    }

    int takeMerged(long rewindTo, List<ChatDeliver> entries, Set<SplitHistory.Key> seen) {
        mergeWaitsAt = -1;
        rejoinCheck.clear(); // the merge brings this node's numbering itself
        // held back by a rejoin check or a rebase, this node's lines go once the merge is taken
        submitAfterMerge = rejoinHold || rebasing;
        rejoinHold = false;
        if (rebasing) {
            rebasing = false;
            rebaseEntries.clear();
        }
        if (rewindTo < history.delivered()) {
            rememberDropped(rewindTo, entries);
            history.rewindTo(rewindTo);
            shownSeq = Math.min(shownSeq, rewindTo);
        }
        // and what waited for a gap: numbered by its old side, whose places the merge numbers
        // anew. Kept, a line waiting at #909 came out of the merged history's #908 in place of
        // the merged #909, and its sender's later line came before its earlier ones (seed 9823)
        history.dropWaiting();
        int count = 0;
        for (ChatDeliver d : entries) {
            if (!seen.contains(SplitHistory.Key.of(d)) && !d.silenced() && d.room().equals(room)) {
                count++;
            }
        }
        return count;
    }

    /**
     * What a merge that rewinds this node to {@code rewindTo} and brings {@code entries} would
     * leave out: this node's messages after {@code rewindTo}, in its own piece's numbers, to hand
     * over to the merged ring ({@link RejoinCheck.Carry}), or null when the merge holds every one
     * of them (by sender and id) or this node no longer holds its message at {@code rewindTo}.
     */
    RejoinCheck.Carry leftOut(long rewindTo, List<ChatDeliver> entries) {
        ChatDeliver atBase = at(rewindTo);
        if (rewindTo > 0 && atBase == null) {
            return null;
        }
        Set<SplitHistory.Key> merged = new HashSet<>();
        entries.forEach(d -> merged.add(SplitHistory.Key.of(d)));
        List<ChatDeliver> lines = history.after(rewindTo);
        int lacking = (int) lines.stream().filter(d -> !merged.contains(SplitHistory.Key.of(d))).count();
        return lacking == 0 ? null : new RejoinCheck.Carry(rewindTo, atBase, List.copyOf(lines), lacking);
    }

    /** Keeps the keys of the lines shown after {@code rewindTo} that {@code entries} lack. */
    private void rememberDropped(long rewindTo, List<ChatDeliver> entries) {
        Set<SplitHistory.Key> merged = new HashSet<>();
        entries.forEach(d -> merged.add(SplitHistory.Key.of(d)));
        for (ChatDeliver d : history.after(rewindTo)) {
            SplitHistory.Key key = SplitHistory.Key.of(d);
            if (d.seq() <= shownSeq && !merged.contains(key)) {
                shownThenDropped.remove(key);
                shownThenDropped.add(key);
            }
        }
        Iterator<SplitHistory.Key> oldest = shownThenDropped.iterator();
        for (int excess = shownThenDropped.size() - fx.config.historyLimit(); excess > 0; excess--) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Delivers the merged entries announced by {@link #takeMerged}, showing the unseen ones. */
    void deliverMerged(List<ChatDeliver> entries, Set<SplitHistory.Key> seen) {
        List<ChatDeliver> fresh = new ArrayList<>();
        for (ChatDeliver e : entries) {
            for (ChatDeliver d : history.accept(e)) {
                if (seen.contains(SplitHistory.Key.of(d))) {
                    if (d.sender().address().equals(fx.self())) {
                        outgoing.confirm(d.msgId());
                        submitsConfirmed();
                    }
                } else {
                    fresh.add(d);
                }
            }
        }
        show(fresh);
        shownSeq = Math.max(shownSeq, history.delivered()); // the lines not shown again count as shown
        fx.changed();
        if (submitAfterMerge) {
            submitAfterMerge = false;
            leaderKnown();
        }
    }

    /** Leader of the merged ring: records the absorbed piece's messages, numbered after its own, and shows them. */
    void appendMerged(List<ChatDeliver> appended) {
        deliverMerged(appended, Set.of());
    }

    // ---- history, for joins and catch-up ---------------------------------------------------------

    /** A newcomer's start: the leader's recent history counts as seen, not shown. */
    void inherit(List<ChatDeliver> leaderHistory) {
        List<ChatDeliver> next = history.startFrom(leaderHistory);
        shownSeq = Math.max(shownSeq, history.delivered());
        fx.changed();
        show(next);
    }

    /** Back in a ring that numbers otherwise ({@link RejoinCheck}), waiting for its leader's whole history. */
    boolean rebasing() {
        return rebasing;
    }

    /** Back after a removal: the position to ask the leader for history after ({@link RejoinCheck}). */
    long rejoinAfter() {
        rejoinAskedAgain = false;
        rejoinAsks = 0;
        long after = rejoinCheck.askAfter(history);
        rejoinHold = rejoinCheck.pending();
        rejoinHoldTicks = 0;
        return after;
    }

    /**
     * Answering a new leader's catch-up: the position to report, one before this node's last
     * delivery when it holds that message, which the leader then sends again to compare
     * ({@link RejoinCheck}, as after a rejoin). A member that missed a merge of its piece (it was
     * electing, or cut off) holds that piece's numbers, and a winner of the merged ring would
     * catch it up in the merged ones: it would show again, under their merged numbers, lines it
     * showed in its piece (seeds 155269, 197909). Another numbering, it takes the leader's whole
     * history once the leader's first view comes, and shows only what it has not shown.
     */
    long catchUpAfter() {
        rejoinAskedAgain = false;
        return rejoinCheck.askAfter(history);
    }

    /** Back after a removal: shows what was missed, as far as the leader's history reaches. */
    void catchUpAfterRejoin(List<ChatDeliver> leaderHistory) {
        if (!leaderHistory.isEmpty() && numberingChecked(leaderHistory.get(0), true)) {
            if (rebasing) {
                return; // another numbering: the leader's whole history comes instead
            }
            // the same numbering: the first was this node's own last message, asked for to
            // compare; the rest it missed while away. (Dropped with the first, the lines ordered
            // while this node was paused were shown only at the next leader change, or never:
            // the bench's stray deliveries after a SIGSTOP.)
            leaderHistory = leaderHistory.subList(1, leaderHistory.size());
        }
        if (!leaderHistory.isEmpty() && leaderHistory.get(0).seq() > history.delivered() + 1) {
            long missed = leaderHistory.get(0).seq() - history.delivered() - 1;
            fx.event(Kind.WARNING, missed + " messages were ordered while this node was away and are too old to show");
            show(history.skipTo(leaderHistory.get(0).seq() - 1));
        }
        leaderHistory.forEach(this::deliver);
    }

    /** Accepts one ordered message from a catch-up, showing what it lets through. */
    void deliver(ChatDeliver message) {
        show(history.accept(message));
    }

    void admittedWith(long nextMsgId) {
        outgoing.admittedWith(nextMsgId);
    }

    /** Leader: {@code joiner} was (re)admitted; its next line is the first it has not seen ordered. */
    void admitted(NodeAddress joiner) {
        resubmitted.remove(joiner);
        floor.remove(joiner);
        firstGapSince.remove(joiner);
    }

    Admission.Handover handover(JoinRequest request, FrameBudget budget) {
        long shown = unshown.isEmpty() ? history.delivered() : unshown.peekFirst().seq() - 1;
        return Admission.handover(request, history, shown, budget, fx.config.joinHistory());
    }

    long lastMsgId(NodeAddress sender) {
        return history.lastMsgId(sender);
    }

    long delivered() {
        return history.delivered();
    }

    /** Whether this node holds a message ordered in {@code term}. */
    boolean holdsOrderedIn(long term) {
        return history.holdsTerm(term);
    }

    List<ChatDeliver> after(long seq) {
        return history.after(seq);
    }

    /** The message this node holds at {@code seq}, or null (none there, or older than its oldest). */
    ChatDeliver at(long seq) {
        List<ChatDeliver> from = seq < 1 ? List.of() : history.after(seq - 1);
        return from.isEmpty() || from.get(0).seq() != seq ? null : from.get(0);
    }

    long shownSeq() {
        return shownSeq;
    }

    /** Lines typed here and not yet delivered back: in flight, and waiting for room in the window. */
    int unconfirmed() {
        return outgoing.size() + typed.size();
    }

    boolean drained() {
        return outgoing.isEmpty() && typed.size() == 0;
    }
}
