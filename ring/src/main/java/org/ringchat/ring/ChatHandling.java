package org.ringchat.ring;

import java.util.ArrayList;
import java.util.List;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.ChatSubmit;
import org.ringchat.protocol.Message.NotMember;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat: members submit to the leader, the leader numbers and stamps each message and fans it out
 * to everyone (itself included), members deliver in number order exactly once. A member keeps
 * its messages until they come back, and submits them again to every new leader.
 */
final class ChatHandling {

    private static final Logger log = LoggerFactory.getLogger(ChatHandling.class);

    private final NodeContext ctx;
    private final Node node;
    /** Submissions that reached a leader that cannot order yet (catching up, or on probation). */
    private final List<Held> held = new ArrayList<>();
    /** This leader's orderings not shown yet: their fan-out has not left, or left only after a pause. */
    private final List<ChatDeliver> unshown = new ArrayList<>();

    private record Held(NodeAddress from, ChatSubmit submit) {
    }

    ChatHandling(NodeContext ctx, Node node) {
        this.ctx = ctx;
        this.node = node;
    }

    /** The user typed a line. */
    void send(String text) {
        ctx.outgoing.add(text);
        ctx.event(Kind.CHAT_SENT, "sent: " + text);
        if (canSubmit()) {
            ctx.outgoing.release(ctx.config.sendWindow()).forEach(this::submit);
        }
    }

    private boolean canSubmit() {
        return ctx.status == Status.MEMBER && ctx.membership != null;
    }

    /** A leader is (newly) known: everything unconfirmed goes to it, in order. */
    void resubmitAll() {
        if (!canSubmit()) {
            return;
        }
        ctx.outgoing.inFlight().forEach(this::submit);
        ctx.outgoing.release(ctx.config.sendWindow()).forEach(this::submit);
        if (ctx.isLeader()) {
            releaseHeld();
        }
    }

    private void submit(ChatSubmit submit) {
        if (ctx.isLeader()) {
            onChatSubmit(ctx.self, submit);
        } else {
            ctx.send(ctx.membership.view().leader(), submit);
        }
    }

    void onChatSubmit(NodeAddress from, ChatSubmit submit) {
        if (ctx.membership == null) {
            return;
        }
        if (!ctx.isLeader() || ctx.leaderOnProbation || node.failures().checkPaused()) {
            if (ctx.isLeader()) {
                held.add(new Held(from, submit)); // on probation: ordered once it knows it still leads
            }
            // otherwise the sender submits it again to whoever leads next
            return;
        }
        Member sender = ctx.membership.member(from).orElse(null);
        if (sender == null) {
            ctx.send(from, new NotMember(ctx.membership.view()));
            return;
        }
        if (submit.msgId() != ctx.history.lastMsgId(from) + 1) {
            // already ordered, or an earlier one was lost with a dropped connection: the sender
            // submits everything unconfirmed again when its link comes back, in order
            return;
        }
        String text = submit.text();
        if (text.length() > ctx.config.maxTextLength()) {
            // a peer configured differently: cut, rather than drop and leave its later lines waiting forever
            log.warn("[{}] cutting a {}-character line from {} to {}", ctx.who(), text.length(),
                    sender.display(), ctx.config.maxTextLength());
            text = text.substring(0, ctx.config.maxTextLength());
        }
        long stamp = ctx.clock.tick();
        ChatDeliver message = new ChatDeliver(ctx.history.delivered() + 1, ctx.membership.view().term(),
                sender, submit.msgId(), text, stamp);
        unshown.addAll(ctx.history.accept(message));
        ctx.sendAll(ctx.membership.others(), message);
        ctx.transport.afterFlush(this::showOrdered);
    }

    /**
     * Shows this leader's orderings once their fan-out has been handed to the sockets, so that a
     * leader stopped in between shows nothing the others may never see. If this node was paused
     * between ordering and flushing (SIGSTOP in the middle of a read batch), the fan-out left
     * only now, and the members may have elected another leader meanwhile and dropped it: the
     * messages wait until probation confirms that this node still leads, or are forgotten when it
     * finds it was removed (it then rejoins from the last message it showed).
     */
    private void showOrdered() {
        if (unshown.isEmpty() || node.failures().checkPaused() || ctx.leaderOnProbation) {
            return;
        }
        List<ChatDeliver> ordered = new ArrayList<>(unshown);
        unshown.clear();
        ctx.deliver(ordered);
        // our own lines among them make room in the send window
        releaseMore();
        node.onOwnMessagesMaybeConfirmed();
    }

    /** Shows and orders what waited for this leader to be ready. */
    void releaseHeld() {
        if (!ctx.isLeader() || ctx.leaderOnProbation) {
            return;
        }
        showOrdered();
        List<Held> waiting = new ArrayList<>(held);
        held.clear();
        for (Held h : waiting) {
            onChatSubmit(h.from(), h.submit());
        }
    }

    /** This node was removed: what it held or ordered but did not show is the new leader's business now. */
    void dropHeld() {
        held.clear();
        unshown.clear();
    }

    void onChatDeliver(NodeAddress from, ChatDeliver message) {
        if (ctx.membership == null || !from.equals(ctx.acceptFrom)) {
            return;
        }
        ctx.deliver(ctx.history.accept(message));
        releaseMore();
        node.onOwnMessagesMaybeConfirmed();
    }

    /**
     * Lost messages. A link that dropped and came back may have taken frames with it: our
     * submissions to the leader (submit everything unconfirmed again) or the leader's fan-out to
     * us (a gap that stays open: ask the leader to send again what follows our last delivery).
     */
    void onLeaderLinkDown() {
        resubmitAll();
    }

    private long gapSeen = -1;

    /** Runs every heartbeat: a gap open for two ticks in a row is asked for again. */
    void checkGap() {
        long first = ctx.history.firstWaiting();
        if (first >= 0 && first == gapSeen && ctx.status == Status.MEMBER && !ctx.isLeader()) {
            ctx.send(ctx.membership.view().leader(),
                    new org.ringchat.protocol.Message.SyncRequest(ctx.membership.view().term(), ctx.history.delivered()));
        }
        gapSeen = first;
    }

    /** Confirmations made room in the send window. */
    void releaseMore() {
        if (canSubmit()) {
            ctx.outgoing.release(ctx.config.sendWindow()).forEach(this::submit);
        }
    }
}
