package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.Ping;
import org.ringchat.protocol.Message.Probe;
import org.ringchat.protocol.NodeAddress;

/**
 * Checking whether a peer is really gone. A check pings the peer, or asks witnesses to ping it
 * (a {@code Probe} each, in parallel), and ends in a {@link Verdict}: alive when a {@code Pong}, a
 * witness's "alive" or any frame from the peer itself comes back ({@link #onHeard}); dead when
 * every witness asked could not reach it (or those that did not answer in time), when the time is
 * up, or when a fresh connection to the peer is refused. A witness that does not answer proves
 * nothing about the peer (it may be hung itself): when no witness is left, this node pings the
 * peer itself.
 *
 * <p>One witness's "dead" does not decide while another may still vouch for the peer, and a frame
 * from the peer ends the check: a peer behind a lossy link is silent for as long as TCP backs off
 * (200, 400, 800 ms ... per lost segment), so a single ping of it through that link fails now and
 * then although the peer is alive, and it was removed for that (LinkFaultIT, 20 % loss).
 * Pure: messages go out through the {@link Outbox}, time comes in as arguments.
 */
public final class Suspicion {

    /** Why a check was made, which says what its verdict means to the caller. */
    public sealed interface Purpose {
    }

    /** This node found the peer silent for too long. */
    public record Silent() implements Purpose {
    }

    /** A member reported the peer lost to this leader ({@code connectionLost}: its connection closed). */
    public record Reported(NodeAddress reporter, boolean connectionLost) implements Purpose {
    }

    /** This node is the witness for {@code asker}'s probe {@code nonce}. */
    public record Witnessing(NodeAddress asker, long nonce) implements Purpose {
    }

    /** The connection to the peer dropped: connecting again tells a crash (refused) from a blip. */
    public record Reconnect() implements Purpose {
    }

    /** A leader back from a pause checks that its members still follow it. */
    public record Probation() implements Purpose {
    }

    /**
     * Another member's election says the leader is gone, while this member still hears it. Only
     * the leader's own {@code Pong} answers this check, since its term says whether it still
     * leads; any other frame of the leader's (a heartbeat of the term it may just have left) does not.
     */
    public record Summoned() implements Purpose {
    }

    /** How a check ended. */
    public record Verdict(NodeAddress peer, Purpose purpose, boolean alive) {
    }

    /** Where the pings and probes go. */
    public interface Outbox {
        void send(NodeAddress to, Message message);
    }

    /**
     * One open check; {@code witnesses} (those that have not answered yet) is empty for a ping of
     * our own. {@code deadSaid}: a witness answered that it could not reach the peer.
     */
    private static final class Check {
        final NodeAddress peer;
        final Purpose purpose;
        /** Every witness asked, for a check made again. */
        final List<NodeAddress> asked;
        final List<NodeAddress> witnesses;
        long deadline;
        boolean deadSaid;

        Check(NodeAddress peer, Purpose purpose, List<NodeAddress> witnesses, long deadline) {
            this.peer = peer;
            this.purpose = purpose;
            this.asked = List.copyOf(witnesses);
            this.witnesses = new ArrayList<>(witnesses);
            this.deadline = deadline;
        }

        boolean direct() {
            return witnesses.isEmpty() && !deadSaid;
        }
    }

    private final Outbox outbox;
    private final long probeTimeoutMs;
    private final long witnessTimeoutMs;
    private final Map<Long, Check> checks = new LinkedHashMap<>();
    private final Set<NodeAddress> verifying = new HashSet<>();
    private long nextNonce = 1;

    /**
     * @param probeTimeoutMs how long a peer has to answer a ping
     * @param witnessTimeoutMs how long a witness has to answer a probe (its own ping included)
     */
    public Suspicion(Outbox outbox, long probeTimeoutMs, long witnessTimeoutMs) {
        this.outbox = outbox;
        this.probeTimeoutMs = probeTimeoutMs;
        this.witnessTimeoutMs = witnessTimeoutMs;
    }

    /**
     * Starts a check of {@code peer}: through {@code witnesses}, all asked at once (the first
     * answer decides), or a ping of its own when there are none.
     */
    public void check(NodeAddress peer, Purpose purpose, List<NodeAddress> witnesses, long now) {
        long nonce = nextNonce++;
        if (witnesses.isEmpty()) {
            checks.put(nonce, new Check(peer, purpose, List.of(), now + probeTimeoutMs));
            outbox.send(peer, new Ping(nonce));
        } else {
            checks.put(nonce, new Check(peer, purpose, witnesses, now + witnessTimeoutMs));
            witnesses.forEach(w -> outbox.send(w, new Probe(peer, nonce)));
        }
    }

    /** A ping of our own. */
    public void ping(NodeAddress peer, Purpose purpose, long now) {
        check(peer, purpose, List.of(), now);
    }

    /** A Pong from {@code from}: the peer of that ping is alive. */
    public Optional<Verdict> onPong(NodeAddress from, long nonce) {
        return onPong(from, nonce, true);
    }

    /**
     * A Pong from {@code from}, which says whether it takes part in this node's ring
     * ({@code inRing}): it is in none (it was removed and is joining again, or has not joined
     * yet), or in one of an older term (a ring this node left behind, or another piece's). Such
     * a peer answers, but for this ring it is gone, and the verdict says so. Taken for alive, such
     * a member stayed in every view, and the elections passed to it died there for ever (seed
     * 20949: two members rejoining, with no leader to admit them, held a whole ring electing).
     */
    public Optional<Verdict> onPong(NodeAddress from, long nonce, boolean inRing) {
        Check c = checks.get(nonce);
        if (c == null || !c.direct() || !c.peer.equals(from)) {
            return Optional.empty();
        }
        checks.remove(nonce);
        return Optional.of(new Verdict(c.peer, c.purpose, inRing));
    }

    /**
     * A witness's answer to our probe: the first "alive" decides; "dead" decides once every
     * witness asked has said so (or, at the deadline, those that answered did).
     */
    public Optional<Verdict> onProbeResult(NodeAddress from, long nonce, boolean alive) {
        Check c = checks.get(nonce);
        if (c == null || !c.witnesses.contains(from)) {
            return Optional.empty();
        }
        if (!alive) {
            c.witnesses.remove(from);
            c.deadSaid = true;
            if (!c.witnesses.isEmpty()) {
                return Optional.empty(); // another witness may still reach it
            }
        }
        checks.remove(nonce);
        return Optional.of(new Verdict(c.peer, c.purpose, alive));
    }

    /**
     * A frame from {@code peer} itself (any frame: a hung node sends none): every open check of
     * it ends, alive, but a {@link Summoned} one. Its Pong may be stuck behind a lost segment
     * while its heartbeats get through.
     */
    public List<Verdict> onHeard(NodeAddress peer) {
        if (checks.isEmpty()) {
            return List.of(); // nearly always: this runs for every frame received
        }
        List<Verdict> out = new ArrayList<>();
        for (Iterator<Check> it = checks.values().iterator(); it.hasNext(); ) {
            Check c = it.next();
            if (c.peer.equals(peer) && !(c.purpose instanceof Summoned)) {
                it.remove();
                out.add(new Verdict(c.peer, c.purpose, true));
            }
        }
        return out;
    }

    /**
     * A fresh connection to {@code peer} failed. Refused ({@code refused}): nobody listens there,
     * and pings of it fail now. Unanswered: a ping sent on it is lost, and its check waits for its
     * deadline (an answer may still come on a connection the peer opens). Either way it drops out
     * as a witness of the probes it was asked, and a probe left without witnesses becomes a ping
     * of our own.
     */
    public List<Verdict> onConnectFailed(NodeAddress peer, boolean refused, long now) {
        List<Verdict> out = new ArrayList<>();
        List<Check> orphaned = new ArrayList<>();
        for (Iterator<Check> it = checks.values().iterator(); it.hasNext(); ) {
            Check c = it.next();
            if (c.direct() && c.peer.equals(peer)) {
                if (refused) {
                    it.remove();
                    out.add(new Verdict(c.peer, c.purpose, false));
                }
            } else if (!c.direct() && c.witnesses.remove(peer) && c.witnesses.isEmpty()) {
                it.remove();
                witnessesDone(c, out, orphaned);
            }
        }
        orphaned.forEach(c -> ping(c.peer, c.purpose, now));
        return out;
    }

    /** No witness of {@code c} is left to answer: dead if one said so, else our own ping. */
    private static void witnessesDone(Check c, List<Verdict> verdicts, List<Check> orphaned) {
        if (c.deadSaid) {
            verdicts.add(new Verdict(c.peer, c.purpose, false));
        } else {
            orphaned.add(c);
        }
    }

    /** Checks whose time is up: a silent peer is dead; silent witnesses are replaced by a ping of our own. */
    public List<Verdict> expire(long now) {
        List<Verdict> out = new ArrayList<>();
        List<Check> orphaned = new ArrayList<>();
        for (Iterator<Check> it = checks.values().iterator(); it.hasNext(); ) {
            Check c = it.next();
            if (c.deadline > now) {
                continue;
            }
            it.remove();
            if (c.direct()) {
                out.add(new Verdict(c.peer, c.purpose, false));
            } else {
                witnessesDone(c, out, orphaned);
            }
        }
        orphaned.forEach(c -> ping(c.peer, c.purpose, now));
        return out;
    }

    /**
     * This node was paused for {@code pausedMs}: the answers to its checks may be waiting unread,
     * so every deadline moves on by as much.
     */
    public void postpone(long pausedMs) {
        checks.values().forEach(c -> c.deadline += pausedMs);
    }

    /**
     * This node was paused for longer than peers wait before suspecting it: the answers waiting
     * unread speak of a time long gone (a witness that could not reach a peer then, which has
     * woken since), so every open check is made again, with a new nonce that the old answers do
     * not carry, and a new deadline.
     */
    public void renew(long now) {
        List<Check> open = new ArrayList<>(checks.values());
        checks.clear();
        open.forEach(c -> check(c.peer, c.purpose, c.asked, now));
    }

    /** When the next check times out, or {@link Long#MAX_VALUE} when none is open. */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Check c : checks.values()) {
            next = Math.min(next, c.deadline);
        }
        return next;
    }

    /** Marks {@code peer} as being verified; false if it already is (one verification at a time). */
    public boolean beginVerifying(NodeAddress peer) {
        return verifying.add(peer);
    }

    public void endVerifying(NodeAddress peer) {
        verifying.remove(peer);
    }

    public boolean isVerifying(NodeAddress peer) {
        return verifying.contains(peer);
    }

    /** Forgets every open check (this node left the ring it was checking for). */
    public void clear() {
        checks.clear();
        verifying.clear();
    }

    /**
     * The nonce the next check will carry. Nonces only grow: an answer carrying one below it
     * answers a check made before now.
     */
    public long nextNonce() {
        return nextNonce;
    }

    public int openChecks() {
        return checks.size();
    }
}
