package org.ringchat.ring;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.LamportClock;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.core.Suspicion;
import org.ringchat.ring.transport.NodeExecutor;
import org.ringchat.ring.transport.NodeExecutor.Cancellable;
import org.ringchat.ring.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * What every part of a node does to the world: send (stamped with the Lamport clock), report an
 * event to the listener, read the time, set a timer. It holds no state of any mechanism, only the
 * node's identity on the wire, its clock and its outlets. Used on the node's thread only.
 */
final class NodeEffects implements Suspicion.Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(NodeEffects.class);

    private final Logger log;

    final RingConfig config;
    private final RingListener listener;
    private final NodeExecutor executor;
    private final Transport transport;
    private final LamportClock clock;
    /** Steps that threw: tests assert there were none. Read from any thread. */
    private final AtomicLong failures = new AtomicLong();
    private NodeAddress self;
    private String who;
    private Runnable publisher = () -> { };
    private boolean changed;
    /** Inside {@link #publishingOnce}: steps leave publishing to it. */
    private boolean publishingHeld;
    /** A shown event held back ({@link #hold}), or null. */
    private RingEvent.Kind heldKind;
    private String heldText;

    NodeEffects(RingConfig config, RingListener listener, Transport transport, NodeExecutor executor) {
        this.config = config;
        this.listener = listener;
        this.transport = transport;
        this.executor = executor;
        this.log = executor.logs() ? LOG : NOPLogger.NOP_LOGGER;
        this.clock = new LamportClock(config.initialLamport());
        this.self = config.address();
        this.who = config.name() + "(" + self + ")";
    }

    /** Where this node listens, once bound. */
    void bound(NodeAddress address) {
        self = address;
        who = config.name() + "(" + address + ")";
    }

    NodeAddress self() {
        return self;
    }

    /** {@code Name(IP:port)}, for log lines. */
    String who() {
        return who;
    }

    long now() {
        return executor.nowMs();
    }

    /** A frame stamped {@code t} arrived. */
    void received(long lamport) {
        clock.receive(lamport);
    }

    /** A local event: the clock ticks; returns the new time. */
    long tick() {
        return clock.tick();
    }

    Envelope stamp(Message message) {
        return new Envelope(self, clock.tick(), message);
    }

    @Override
    public void send(NodeAddress to, Message message) {
        Envelope envelope = stamp(message);
        if (log.isDebugEnabled()) {
            log.debug("[{}] → {} {} t={}", who, to, envelope.type(), envelope.lamport());
        }
        transport.send(to, envelope);
    }

    void sendAll(Collection<NodeAddress> to, Message message) {
        transport.sendAll(to, stamp(message));
    }

    /**
     * Holds a {@link RingEvent.Kind#shown() shown} event back: it is told with {@link #tellHeld},
     * or just before the next shown event, or never if {@link #dropHeld} comes first. For a line
     * that may prove a false alarm (a member behind a lossy link taking its leader for gone on its
     * side only): the user sees it once it proves true. One at a time; a second replaces the first.
     */
    void hold(RingEvent.Kind kind, String text) {
        log.info("[{}] {} (told once the others take part)", who, text);
        heldKind = kind;
        heldText = text;
    }

    /** Tells the held event, if any. */
    void tellHeld() {
        if (heldKind != null) {
            RingEvent.Kind kind = heldKind;
            heldKind = null;
            event(kind, heldText);
        }
    }

    /** Forgets the held event: it proved false. True if there was one (the user was told nothing). */
    boolean dropHeld() {
        boolean was = heldKind != null;
        heldKind = null;
        heldText = null;
        return was;
    }

    /** Tells the listener (and so the log and the user) that something happened. */
    void event(RingEvent.Kind kind, String text) {
        if (kind.shown()) {
            tellHeld(); // in the order it happened
        }
        long t = clock.tick();
        switch (kind) {
            case SUSPECT, REPAIRED, REMOVED, WARNING -> log.warn("[{}] {}", who, text);
            case ELECTION, CHAT_SENT -> log.debug("[{}] {}", who, text);
            default -> log.info("[{}] {}", who, text);
        }
        try {
            listener.onEvent(new RingEvent(kind, t, text));
        } catch (RuntimeException e) {
            log.error("[{}] the listener failed on an event", who, e);
        }
    }

    /** A peer misbehaved: a WARN line in the diagnostic log, not an event of the ring. */
    void warnAboutPeer(String text) {
        log.warn("[{}] {}", who, text);
    }

    /** Opens the link to {@code peer} now if there is none (see {@link Transport#connect}). */
    void connect(NodeAddress peer) {
        transport.connect(peer);
    }

    /** Keeps spare links to {@code peers} and to no others (see {@link Transport#standby}). */
    void standby(List<NodeAddress> peers) {
        transport.standby(peers);
    }

    /** Closes the link to {@code peer} without telling the node: the next send opens a fresh one. */
    void disconnect(NodeAddress peer) {
        transport.disconnect(peer);
    }

    /** A line for the diagnostic log only, not an event of the ring. */
    void note(String text) {
        log.info("[{}] {}", who, text);
    }

    /** Shows one ordered message to the listener. */
    void show(Message.ChatDeliver d) {
        try {
            listener.onChat(message(d, clock.tick()));
        } catch (RuntimeException e) {
            log.error("[{}] the listener failed on message #{}", who, d.seq(), e);
        }
    }

    /** Shows the recent past of {@code room} (joining the ring or the room), before what comes live. */
    void history(String room, List<Message.ChatDeliver> messages) {
        long now = clock.time();
        try {
            listener.onHistory(room, messages.stream().map(d -> message(d, now)).toList());
        } catch (RuntimeException e) {
            log.error("[{}] the listener failed on the history of {}", who, room, e);
        }
    }

    private static ChatMessage message(Message.ChatDeliver d, long lamport) {
        return new ChatMessage(d.seq(), d.sender(), d.msgId(), d.text(), d.stamp(), lamport, d.room(), d.wallClockMs());
    }

    /** The Lamport clock now, without ticking it. */
    long lamport() {
        return clock.time();
    }

    long wallClockMs() {
        return executor.wallClockMs();
    }

    /** Runs {@code task} in {@code delayMs}, guarded like every other step, under {@code name} for the log. */
    Cancellable schedule(String name, long delayMs, Runnable task) {
        return executor.schedule(delayMs, () -> guarded(name, task));
    }

    /** Runs {@code task} later on this node's thread, after what is running now. */
    void later(String name, Runnable task) {
        executor.execute(guardedTask(name, task));
    }

    /**
     * {@code task} guarded under {@code name}, for {@link #later(Runnable)}: made once by a caller
     * that runs it at every turn (a lambda a call was an object a turn, issue 10).
     */
    Runnable guardedTask(String name, Runnable task) {
        return () -> guarded(name, task);
    }

    /** Runs a {@link #guardedTask} later on this node's thread, after what is running now. */
    void later(Runnable guardedTask) {
        executor.execute(guardedTask);
    }

    /** Runs {@code action} once what was sent so far has left for the sockets. */
    void afterFlush(Runnable action) {
        transport.afterFlush(action);
    }

    /**
     * Runs one step; a failure is logged with the node and what it was doing, and the node carries
     * on. If the step changed what the node's snapshot shows, a new snapshot is published.
     */
    void guarded(String what, Runnable step) {
        guardedStep(what, step);
    }

    /**
     * {@link #guarded(String, Runnable)} for a message of class {@code kind}: its name is looked up
     * only if the step fails, not for every message (issue 10: a reflective call per chat line,
     * and the first lookup of each class made the JIT recompile the whole receive path).
     */
    void guarded(Class<?> kind, Runnable step) {
        guardedStep(kind, step);
    }

    private void guardedStep(Object what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | AssertionError e) {
            failures.incrementAndGet();
            log.error("[{}] handling {} failed", who, what instanceof Class<?> kind ? kind.getSimpleName() : what, e);
        }
        if (changed && !publishingHeld) {
            changed = false;
            publisher.run();
        }
    }

    /**
     * Runs {@code steps} (each {@link #guarded} by itself) and publishes a changed snapshot once
     * after them all rather than after each: a chat frame of hundreds of messages made a
     * snapshot per message (issue 10).
     */
    void publishingOnce(Runnable steps) {
        if (publishingHeld) {
            steps.run();
            return;
        }
        publishingHeld = true;
        try {
            steps.run();
        } finally {
            publishingHeld = false;
        }
        if (changed) {
            changed = false;
            publisher.run();
        }
    }

    /** Something the snapshot shows changed (status, view, neighbours, deliveries): publish after this step. */
    void changed() {
        changed = true;
    }

    /** Publishes at once: another thread is about to be told something (a future completes). */
    void publishNow() {
        changed = false;
        publisher.run();
    }

    void publishWith(Runnable publisher) {
        this.publisher = publisher;
    }

    long failures() {
        return failures.get();
    }
}
