package org.ringchat.ring;

import org.ringchat.ring.transport.NodeExecutor.Cancellable;

import java.util.concurrent.CompletableFuture;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.protocol.WireFormat;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's insides: it owns the state ({@link NodeContext}), hands each received message to the
 * part that handles it, and runs the node's life (start, heartbeat timer, leave, stop). Runs
 * entirely on the node's event loop.
 */
final class Node implements TransportListener {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeContext ctx;
    private final MembershipHandling membership;
    private final ChatHandling chat;
    private final FailureHandling failures;
    private final LeaderChange leaderChange;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private Cancellable ticker;
    private CompletableFuture<Void> leaving;
    private Cancellable leaveTimer;
    private boolean goodbyeSent;

    Node(NodeContext ctx) {
        this.ctx = ctx;
        this.membership = new MembershipHandling(ctx, this);
        this.chat = new ChatHandling(ctx, this);
        this.failures = new FailureHandling(ctx, this);
        this.leaderChange = new LeaderChange(ctx, this);
    }

    MembershipHandling membership() {
        return membership;
    }

    ChatHandling chat() {
        return chat;
    }

    FailureHandling failures() {
        return failures;
    }

    LeaderChange leaderChange() {
        return leaderChange;
    }

    CompletableFuture<Void> stopped() {
        return stopped;
    }

    long handlerFailures() {
        return ctx.failures.get();
    }

    // ---- life -------------------------------------------------------------------------------

    /** Binds, then starts a ring or joins one. Completes when admitted. */
    CompletableFuture<Void> start() {
        ctx.transport.bind(ctx.config.address(), this,
                () -> ctx.stamp(new Message.Hello(ProtocolVersion.CURRENT, ctx.config.name())))
                .whenCompleteAsync((bound, error) -> {
            if (error != null) {
                fail(error);
                return;
            }
            ctx.self = bound;
            ctx.me = new org.ringchat.protocol.Member(ctx.config.name(), bound, 0);
            ticker = ctx.schedule(this::heartbeat, ctx.config.heartbeatMs());
            if (ctx.config.startsRing()) {
                membership.startRing();
            } else {
                membership.join(ctx.config.joinVia());
            }
        }, ctx.executor::execute);
        return membership.admitted();
    }

    /** Stops the node for good with an error (could not join, refused, …). */
    void fail(Throwable error) {
        membership.admitted().completeExceptionally(error);
        shutdown().whenComplete((v, e) -> stopped.completeExceptionally(error));
    }

    void send(String text) {
        guarded("send", () -> chat.send(text));
    }

    /**
     * Leaves gracefully: waits (up to the leave timeout) for this node's messages to be ordered,
     * says goodbye, waits for the ring to close around it, and stops.
     */
    CompletableFuture<Void> leave() {
        ctx.executor.execute(() -> {
            if (leaving != null) {
                return;
            }
            membership.admitted().completeExceptionally(new JoinException("left before being admitted"));
            leaving = new CompletableFuture<>();
            leaving.whenComplete((v, e) -> shutdown().whenComplete((x, y) -> stopped.complete(null)));
            leaveTimer = ctx.schedule(this::leaveConfirmed, ctx.config.leaveTimeoutMs());
            onOwnMessagesMaybeConfirmed();
        });
        return stopped;
    }

    boolean leaving() {
        return leaving != null;
    }

    /** Called whenever our own messages may have been confirmed: a pending leave may proceed. */
    void onOwnMessagesMaybeConfirmed() {
        if (leaving == null || goodbyeSent) {
            return;
        }
        boolean drained = ctx.outgoing.isEmpty() || ctx.membership == null;
        if (!drained) {
            return;
        }
        goodbyeSent = true;
        if (!membership.sayGoodbye()) {
            // a leader (or a node not in a ring) does not wait: let the goodbye flush, then stop
            if (ctx.membership != null) {
                ctx.event(RingEvent.Kind.LEFT, ctx.membership.others().isEmpty() ? "left the ring; it is closed"
                        : "left the ring; the others elect a new leader");
            }
            ctx.transport.afterFlush(this::leaveConfirmed);
        }
    }

    /** The ring closed around this leaving node (or the leave timeout passed). */
    void leaveConfirmed() {
        if (leaving != null && !leaving.isDone()) {
            if (!goodbyeSent && ctx.membership != null) {
                goodbyeSent = true;
                membership.sayGoodbye();
            }
            if (leaveTimer != null) {
                leaveTimer.cancel();
            }
            ctx.executor.execute(() -> leaving.complete(null));
        }
    }

    /** Closes every socket without a goodbye: what a crash looks like to the others. */
    CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            ctx.executor.execute(() -> {
                if (ctx.status == Status.STOPPED) {
                    done.complete(null);
                    return;
                }
                if (ticker != null) {
                    ticker.cancel();
                }
                ctx.status = Status.STOPPED;
                ctx.publish();
                ctx.transport.close().whenComplete((v, e) -> done.complete(null));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.complete(null); // the node's thread is gone already
        }
        return done;
    }

    /** Runs every {@code heartbeatMs}, scheduled afresh each time so that a late run is seen as late. */
    private void heartbeat() {
        if (ctx.status == Status.STOPPED) {
            return;
        }
        ticker = ctx.schedule(this::heartbeat, ctx.config.heartbeatMs());
        failures.tick();
    }

    // ---- dispatch ---------------------------------------------------------------------------

    @Override
    public void onEnvelope(Envelope envelope) {
        if (ctx.status == Status.STOPPED) {
            return;
        }
        ctx.clock.receive(envelope.lamport());
        NodeAddress from = envelope.from();
        if (ctx.membership != null) {
            ctx.detector.heard(from, ctx.now());
        }
        dispatch(from, envelope.message());
    }

    void dispatch(NodeAddress from, Message message) {
        guarded(message.getClass().getSimpleName(), () -> route(from, message));
    }

    private void route(NodeAddress from, Message message) {
        if (message instanceof Message.ChatDeliver m) {
            chat.onChatDeliver(from, m);
        } else if (message instanceof Message.ChatSubmit m) {
            chat.onChatSubmit(from, m);
        } else if (message instanceof Message.Heartbeat m) {
            failures.onHeartbeat(from, m);
        } else if (message instanceof Message.Hello) {
            return; // the transport checked it
        } else if (message instanceof Message.JoinRequest m) {
            membership.onJoinRequest(from, m);
        } else if (message instanceof Message.JoinAccepted m) {
            membership.onJoinAccepted(from, m);
        } else if (message instanceof Message.JoinRejected m) {
            membership.onJoinRejected(from, m);
        } else if (message instanceof Message.MembershipUpdate m) {
            membership.onMembershipUpdate(from, m);
        } else if (message instanceof Message.NotMember m) {
            membership.onNotMember(from, m);
        } else if (message instanceof Message.Leave) {
            membership.onLeave(from);
        } else if (message instanceof Message.Suspect m) {
            failures.onSuspect(from, m);
        } else if (message instanceof Message.Probe m) {
            failures.onProbe(from, m);
        } else if (message instanceof Message.ProbeResult m) {
            failures.onProbeResult(from, m);
        } else if (message instanceof Message.Ping m) {
            failures.onPing(from, m);
        } else if (message instanceof Message.Pong m) {
            failures.onPong(from, m);
        } else if (message instanceof Message.Election m) {
            leaderChange.onElection(from, m);
        } else if (message instanceof Message.Elected m) {
            leaderChange.onElected(from, m);
        } else if (message instanceof Message.SyncRequest m) {
            leaderChange.onSyncRequest(from, m);
        } else if (message instanceof Message.SyncReply m) {
            leaderChange.onSyncReply(from, m);
        } else {
            throw new IllegalStateException("no handler for " + message.getClass().getSimpleName());
        }
    }

    @Override
    public void onLinkDown(NodeAddress peer, boolean connectFailed) {
        if (ctx.status == Status.STOPPED) {
            return;
        }
        guarded("link down", () -> {
            membership.onLinkDown(peer, connectFailed);
            failures.onLinkDown(peer, connectFailed);
            if (!connectFailed && ctx.status == Status.MEMBER && ctx.membership != null
                    && peer.equals(ctx.membership.view().leader()) && !ctx.isLeader()) {
                chat.onLeaderLinkDown();
            }
        });
    }

    private void guarded(String what, Runnable step) {
        ctx.guarded(what, step);
    }
}
