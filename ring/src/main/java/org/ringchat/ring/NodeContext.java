package org.ringchat.ring;

import java.util.Collection;
import java.util.List;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.LamportClock;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.core.ChangRobertsElection;
import org.ringchat.ring.core.FailureDetector;
import org.ringchat.ring.core.FrameBudget;
import org.ringchat.ring.core.History;
import org.ringchat.ring.core.Membership;
import org.ringchat.ring.core.Outgoing;
import org.ringchat.ring.transport.NodeExecutor;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;
import org.ringchat.ring.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one node and the small verbs every part of it uses (send, stamp, report). Owned
 * by the node's event loop: every field is read and written on that thread only, except the
 * published {@link RingView} snapshot.
 */
final class NodeContext {

    private static final Logger log = LoggerFactory.getLogger(NodeContext.class);

    final RingConfig config;
    final RingListener listener;
    final NodeExecutor executor;
    final LamportClock clock = new LamportClock();
    final Outgoing outgoing = new Outgoing();
    final History history;
    final FailureDetector detector;
    final FrameBudget frameBudget;
    final Transport transport;

    /** Where this node listens (known once bound). */
    NodeAddress self;
    /** This node as admitted (rank 0 before the first admission). */
    Member me;
    /** Null until admitted, and again while rejoining after a removal. */
    Membership membership;
    ChangRobertsElection election;
    RingView.Status status = RingView.Status.JOINING;
    /** The only node whose ChatDeliver this node accepts: its leader, or a new leader catching it up. */
    NodeAddress acceptFrom;
    /** True while a leader that was paused checks that it still leads; it orders nothing meanwhile. */
    boolean leaderOnProbation;

    /** Steps that threw: tests assert there were none. */
    final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

    private volatile RingView snapshot;
    /** The last message shown to the user (a leader shows its own orderings a moment after it numbers them). */
    private long deliveredSeq;

    NodeContext(RingConfig config, RingListener listener, Transport transport, NodeExecutor executor) {
        this.config = config;
        this.listener = listener;
        this.executor = executor;
        this.transport = transport;
        this.history = new History(config.historyLimit());
        this.detector = new FailureDetector(config.suspectMs());
        this.frameBudget = new FrameBudget(config.maxFrameBytes());
        this.me = new Member(config.name(), config.address(), 0);
        publish();
    }

    long now() {
        return executor.nowMs();
    }

    String who() {
        return me != null ? me.display() : config.name() + "(" + self + ")";
    }

    Envelope stamp(Message message) {
        return new Envelope(self, clock.tick(), message);
    }

    void send(NodeAddress to, Message message) {
        Envelope envelope = stamp(message);
        if (log.isDebugEnabled()) {
            log.debug("[{}] → {} {} t={}", who(), to, envelope.type(), envelope.lamport());
        }
        transport.send(to, envelope);
    }

    void sendAll(Collection<NodeAddress> to, Message message) {
        transport.sendAll(to, stamp(message));
    }

    /** Tells the listener (and so the log and the user) that something happened. */
    void event(RingEvent.Kind kind, String text) {
        long t = clock.tick();
        switch (kind) {
            case SUSPECT, REPAIRED, REMOVED, WARNING -> log.warn("[{}] {}", who(), text);
            case ELECTION, CHAT_SENT -> log.debug("[{}] {}", who(), text);
            default -> log.info("[{}] {}", who(), text);
        }
        try {
            listener.onEvent(new RingEvent(kind, t, text));
        } catch (RuntimeException e) {
            log.error("[{}] the listener failed on an event", who(), e);
        }
    }

    /** Displays delivered messages and confirms our own. */
    void deliver(List<Message.ChatDeliver> messages) {
        for (Message.ChatDeliver d : messages) {
            if (d.sender().address().equals(self)) {
                outgoing.confirm(d.msgId());
            }
            try {
                listener.onChat(new ChatMessage(d.seq(), d.sender(), d.msgId(), d.text(), d.stamp(), clock.tick()));
            } catch (RuntimeException e) {
                log.error("[{}] the listener failed on message #{}", who(), d.seq(), e);
            }
            deliveredSeq = d.seq();
        }
        if (!messages.isEmpty()) {
            publish();
        }
    }

    String display(NodeAddress address) {
        if (membership != null) {
            return membership.member(address).map(Member::display).orElse(address.toString());
        }
        return address.toString();
    }

    Cancellable schedule(Runnable task, long delayMs) {
        return executor.schedule(delayMs, () -> guarded("timer", task));
    }

    /** Runs one step; a failure is logged with the node and what it was doing, and the node carries on. */
    void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | AssertionError e) {
            failures.incrementAndGet();
            log.error("[{}] handling {} failed", who(), what, e);
        }
    }

    boolean isLeader() {
        return status == RingView.Status.MEMBER && membership != null && membership.isLeader();
    }

    /** Counts messages as shown without showing them (a joiner's inherited history). */
    void markShown(long seq) {
        deliveredSeq = Math.max(deliveredSeq, seq);
        publish();
    }

    long shownSeq() {
        return deliveredSeq;
    }

    /** Publishes a fresh snapshot for other threads; call after every change of membership or status. */
    void publish() {
        if (membership == null) {
            snapshot = new RingView(me, status, null, 0, List.of(), me, me, deliveredSeq, outgoing.size());
            return;
        }
        var view = membership.view();
        Member leader = status == RingView.Status.MEMBER ? view.member(view.leader()).orElse(null) : null;
        snapshot = new RingView(me, status, leader, view.term(), view.members(),
                view.member(membership.next()).orElse(me), view.member(membership.previous()).orElse(me),
                deliveredSeq, outgoing.size());
    }

    /** The last published snapshot: one volatile read of one immutable record, safe from any thread. */
    RingView snapshot() {
        return snapshot;
    }
}
