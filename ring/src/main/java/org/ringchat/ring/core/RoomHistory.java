package org.ringchat.ring.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringchat.protocol.Message.ChatDeliver;

/**
 * The latest messages of every room, as this member saw them delivered: at most
 * {@code perRoom} per room, oldest first. Every member keeps every room's, so that whoever leads
 * can hand a joiner the recent past of each room, and a member moving to a room can show it.
 */
public final class RoomHistory {

    /**
     * Rooms whose history is kept at most: beyond, the room whose last message is the oldest is
     * forgotten. Room names come from the wire: without this, lines each in a new room would make
     * every member keep {@code perRoom} messages for each.
     */
    public static final int MAX_ROOMS = 256;

    private final int perRoom;
    private final Map<String, Deque<ChatDeliver>> rooms = new TreeMap<>();

    public RoomHistory(int perRoom) {
        this.perRoom = perRoom;
    }

    /**
     * A delivered message; one already kept (a joiner's backlog overlapping its deliveries) is not
     * kept twice, and a silenced one (no text, shown to nobody) not at all.
     */
    public void add(ChatDeliver d) {
        if (d.silenced()) {
            return;
        }
        Deque<ChatDeliver> room = rooms.computeIfAbsent(d.room(), r -> new ArrayDeque<>());
        if (!room.isEmpty() && room.peekLast().seq() >= d.seq()) {
            if (room.stream().anyMatch(k -> k.seq() == d.seq())) {
                return;
            }
            List<ChatDeliver> sorted = new ArrayList<>(room);
            sorted.add(d);
            sorted.sort(Comparator.comparingLong(ChatDeliver::seq));
            room.clear();
            room.addAll(sorted);
        } else {
            room.addLast(d);
        }
        while (room.size() > perRoom) {
            room.pollFirst();
        }
        while (rooms.size() > MAX_ROOMS) {
            String stalest = null;
            long oldest = Long.MAX_VALUE;
            for (Map.Entry<String, Deque<ChatDeliver>> e : rooms.entrySet()) {
                long last = e.getValue().peekLast().seq();
                if (last < oldest) {
                    oldest = last;
                    stalest = e.getKey();
                }
            }
            rooms.remove(stalest);
        }
    }

    /** The last {@code n} messages of {@code room}, oldest first. */
    public List<ChatDeliver> last(String room, int n) {
        Deque<ChatDeliver> kept = rooms.get(room);
        if (kept == null || n <= 0) {
            return List.of();
        }
        List<ChatDeliver> all = new ArrayList<>(kept);
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /** The last {@code n} of every room, in the ring's order: a joiner's backlog. */
    public List<ChatDeliver> lastOfEach(int n) {
        List<ChatDeliver> out = new ArrayList<>();
        for (String room : rooms.keySet()) {
            out.addAll(last(room, n));
        }
        out.sort(Comparator.comparingLong(ChatDeliver::seq));
        return out;
    }

    /** The rooms that have messages, and how many each keeps. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new TreeMap<>();
        rooms.forEach((r, q) -> out.put(r, q.size()));
        return out;
    }
}
