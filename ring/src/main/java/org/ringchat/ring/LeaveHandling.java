package org.ringchat.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ringchat.protocol.Message.Leave;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;

/**
 * Leaving gracefully: wait (up to the leave timeout) until this node's own lines are ordered,
 * say goodbye to the leader and both neighbours, and wait for the leader's view without this node,
 * which is its confirmation. A leader, or a node not in a ring, does not wait for anyone.
 */
final class LeaveHandling {

    enum Phase {
        STAYING,
        /** Waiting for this node's own lines to be ordered. */
        DRAINING,
        /** Said goodbye; waiting for the leader's confirmation. */
        SAYING_GOODBYE,
        LEFT
    }

    private final NodeEffects fx;
    private final ViewHandling ring;
    private final ChatHandling chat;
    private final CompletableFuture<Void> left = new CompletableFuture<>();
    private Phase phase = Phase.STAYING;
    /** Whether it led when it began to leave. */
    private boolean ledWhenLeaving;
    private Cancellable leaveTimer;

    LeaveHandling(NodeEffects fx, ViewHandling ring, ChatHandling chat) {
        this.fx = fx;
        this.ring = ring;
        this.chat = chat;
    }

    /** Completes once this node has left (or the leave timed out). */
    CompletableFuture<Void> left() {
        return left;
    }

    boolean leaving() {
        return phase != Phase.STAYING;
    }

    /**
     * Leaving, and it followed a leader when it began to: if it comes to lead alone meanwhile,
     * the others may be paused, not gone, and what it ordered alone would be its own numbering.
     */
    boolean leavingAsMember() {
        return phase != Phase.STAYING && !ledWhenLeaving;
    }

    void leave() {
        if (phase != Phase.STAYING) {
            return;
        }
        ledWhenLeaving = ring.inRing() && ring.isLeader();
        phase = Phase.DRAINING;
        leaveTimer = fx.schedule("LeaveTimeoutTask", fx.config.leaveTimeoutMs(), this::confirmed);
        progress();
    }

    /** Our own lines may have been confirmed: a pending leave may go on. */
    void progress() {
        if (phase != Phase.DRAINING) {
            return;
        }
        // a member that came to lead alone waits for nothing: its own lines it no longer orders
        // (ChatHandling#submit)
        boolean alone = !ledWhenLeaving && ring.inRing() && ring.isLeader() && ring.others().isEmpty();
        if (!chat.drained() && ring.inRing() && !alone) {
            return;
        }
        if (alone && !chat.drained()) {
            int lost = chat.unconfirmed();
            fx.event(Kind.WARNING, (lost == 1 ? "1 line" : lost + " lines")
                    + " of yours not sent: every other member went silent before the ring ordered them");
        }
        phase = Phase.SAYING_GOODBYE;
        if (!sayGoodbye()) {
            // a leader (or a node not in a ring) does not wait: let the goodbye flush, then stop
            if (ring.inRing()) {
                fx.event(Kind.LEFT, ring.others().isEmpty() ? "left the ring; it is closed"
                        : "left the ring; the others elect a new leader");
            }
            fx.afterFlush(this::confirmed);
        }
    }

    /** Sends the goodbye; returns whether to wait for the leader's confirmation. */
    private boolean sayGoodbye() {
        if (!ring.inRing()) {
            return false;
        }
        if (ring.isLeader() || ring.status() != Status.MEMBER) {
            fx.sendAll(ring.others(), new Leave());
            return false;
        }
        List<NodeAddress> to = new ArrayList<>();
        for (NodeAddress peer : List.of(ring.leader(), ring.next(), ring.previous())) {
            if (!peer.equals(fx.self()) && !to.contains(peer)) {
                to.add(peer);
            }
        }
        fx.sendAll(to, new Leave());
        return true;
    }

    /**
     * Told that it is no longer a member ({@code NotMember}: the leader removed it, say while it
     * was paused before its goodbye went out): the ring has closed around it, which is what a
     * leaving node waits for. Without this it would stay on as a member of a ring that no longer
     * has it, until the leave timeout, and could stand in an election and order on its own.
     */
    void removed(View view) {
        if (phase != Phase.DRAINING && phase != Phase.SAYING_GOODBYE) {
            return;
        }
        fx.event(Kind.LEFT, "left the ring; it closed behind you (" + ViewHandling.members(view.size()) + ")");
        confirmed();
    }

    /** The ring closed around this leaving node (or the leave timeout passed). */
    void confirmed() {
        if (phase != Phase.DRAINING && phase != Phase.SAYING_GOODBYE) {
            return;
        }
        if (phase == Phase.DRAINING) {
            sayGoodbye(); // out of time: leave anyway
        }
        phase = Phase.LEFT;
        leaveTimer.cancel();
        fx.later("left", () -> left.complete(null));
    }
}
