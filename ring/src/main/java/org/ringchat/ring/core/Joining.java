package org.ringchat.ring.core;

import java.util.ArrayDeque;
import java.util.Deque;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;

/**
 * The joiner's side of admission: whom it asked, until when it waits, and, when it joins again
 * after being removed from the ring, which members it tries in turn (the leader it knew first).
 */
public final class Joining {

    public enum Phase {
        /** In a ring, or never asked. */
        IDLE,
        /** Asking to be admitted for the first time. */
        JOINING,
        /** Removed from the ring (it hung, or was cut off), asking to be admitted again. */
        REJOINING
    }

    private final long timeoutMs;
    private final Deque<NodeAddress> alternatives = new ArrayDeque<>();
    private Phase phase = Phase.IDLE;
    private NodeAddress target;
    private long deadline;

    /** @param timeoutMs how long to wait for an answer from one member */
    public Joining(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** A first join through {@code contact}. */
    public void join(NodeAddress contact, long now) {
        phase = Phase.JOINING;
        alternatives.clear();
        ask(contact, now);
    }

    /** Removed from {@code view}'s ring: join again, through its leader first; returns whom to ask. */
    public NodeAddress rejoin(View view, NodeAddress self, long now) {
        return rejoin(view, view.leader(), self, now);
    }

    /**
     * Removed from {@code view}'s ring: join again through {@code first}, then through the view's
     * leader and its other members in turn; returns whom to ask.
     */
    public NodeAddress rejoin(View view, NodeAddress first, NodeAddress self, long now) {
        phase = Phase.REJOINING;
        alternatives.clear();
        if (!view.leader().equals(first) && !view.leader().equals(self)) {
            alternatives.add(view.leader());
        }
        for (Member m : view.members()) {
            NodeAddress a = m.address();
            if (!a.equals(view.leader()) && !a.equals(first) && !a.equals(self)) {
                alternatives.add(a);
            }
        }
        ask(first, now);
        return target;
    }

    private void ask(NodeAddress contact, long now) {
        target = contact;
        deadline = now + timeoutMs;
    }

    /**
     * Asking {@code target} failed (no answer, nobody listening, refused). Returns the next member
     * to ask, or null when there is none: a first join gives up at once, a rejoin when it has tried
     * every member it knew.
     */
    public NodeAddress failed(long now, boolean refused) {
        if (phase == Phase.JOINING || refused) {
            alternatives.clear();
        }
        NodeAddress next = alternatives.pollFirst();
        if (next == null) {
            phase = Phase.IDLE;
            return null;
        }
        ask(next, now);
        return next;
    }

    /** In the ring now. */
    public void admitted() {
        phase = Phase.IDLE;
        alternatives.clear();
        target = null;
    }

    /** True when the member asked has not answered in time. */
    public boolean expired(long now) {
        return phase != Phase.IDLE && now >= deadline;
    }

    public long deadline() {
        return deadline;
    }

    public NodeAddress target() {
        return target;
    }

    public Phase phase() {
        return phase;
    }

    public boolean active() {
        return phase != Phase.IDLE;
    }
}
