package org.ringchat.ring.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ringchat.protocol.Message.ChatSubmit;
import org.ringchat.protocol.Room;

/**
 * A member's own chat lines until the leader's fan-out brings them back. Lines typed while the
 * node cannot submit (not admitted yet, or no leader) wait unnumbered; once submitted they are
 * numbered 1, 2, 3, … and kept until confirmed, so that they can be submitted again to a new
 * leader, which recognises the ones already ordered by their numbers.
 */
public final class Outgoing {

    /** A line waiting for its number, and the room it goes to. */
    public record Line(String room, String text) {
    }

    private final ArrayDeque<Line> unsent = new ArrayDeque<>();
    private final ArrayDeque<ChatSubmit> inFlight = new ArrayDeque<>();
    private long nextMsgId = 1;

    public void add(String text) {
        add(Room.GENERAL, text);
    }

    public void add(String room, String text) {
        add(new Line(room, text));
    }

    public void add(Line line) {
        unsent.addLast(line);
    }

    /**
     * Numbers waiting lines and returns them, now in flight, in order, keeping at most
     * {@code window} in flight: the rest wait for confirmations, so a fast sender cannot bury
     * the leader (and everyone's queues) under more than the ring can order.
     */
    public List<ChatSubmit> release(int window) {
        List<ChatSubmit> out = new ArrayList<>();
        while (!unsent.isEmpty() && inFlight.size() < window) {
            Line line = unsent.pollFirst();
            ChatSubmit submit = new ChatSubmit(nextMsgId++, line.text(), line.room());
            inFlight.addLast(submit);
            out.add(submit);
        }
        return out;
    }

    /** Everything in flight, oldest first, for a new leader. */
    public List<ChatSubmit> inFlight() {
        return List.copyOf(inFlight);
    }

    /** The leader ordered our message {@code msgId}, so it and everything before it are done. */
    public void confirm(long msgId) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().msgId() <= msgId) {
            inFlight.pollFirst();
        }
    }

    /**
     * Admitted (again): ids below {@code firstFree} were already ordered from our address, so
     * what is in flight up to there is confirmed and numbering continues from there.
     */
    public void admittedWith(long firstFree) {
        confirm(firstFree - 1);
        nextMsgId = Math.max(nextMsgId, firstFree);
    }

    public int size() {
        return unsent.size() + inFlight.size();
    }

    public boolean isEmpty() {
        return unsent.isEmpty() && inFlight.isEmpty();
    }
}
