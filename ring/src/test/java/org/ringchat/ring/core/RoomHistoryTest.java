package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.NodeAddress;

class RoomHistoryTest {

    private static final Member BOB = new Member("bob", new NodeAddress("127.0.0.1", 5001), 2);

    private static ChatDeliver d(long seq, String room) {
        return new ChatDeliver(seq, 1, BOB, seq, "m" + seq, seq, room, 0);
    }

    private static List<Long> seqs(List<ChatDeliver> messages) {
        return messages.stream().map(ChatDeliver::seq).toList();
    }

    @Test
    void keepsTheLastMessagesOfEachRoomInOrder() {
        RoomHistory h = new RoomHistory(3);
        for (int i = 1; i <= 10; i++) {
            h.add(d(i, i % 2 == 0 ? "even" : "odd"));
        }
        assertEquals(List.of(6L, 8L, 10L), seqs(h.last("even", 5)));
        assertEquals(List.of(7L, 9L), seqs(h.last("odd", 2)));
        assertEquals(List.of(), h.last("none", 3));
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), seqs(h.lastOfEach(3)));
    }

    @Test
    void aBacklogOverlappingDeliveriesIsKeptOnceInOrder() {
        RoomHistory h = new RoomHistory(10);
        h.add(d(5, "ops"));
        h.add(d(3, "ops"));
        h.add(d(5, "ops"));
        h.add(d(4, "ops"));
        assertEquals(List.of(3L, 4L, 5L), seqs(h.last("ops", 10)));
    }

    @Test
    void aSilencedLineIsNotKept() {
        RoomHistory h = new RoomHistory(10);
        h.add(d(1, "ops"));
        h.add(new ChatDeliver(2, 1, BOB, 2, "", 2, "ops", 0, true));
        assertEquals(List.of(1L), seqs(h.last("ops", 10)));
    }

    @Test
    void roomsKeptAreBoundedAndTheStalestGoesFirst() {
        RoomHistory h = new RoomHistory(2);
        for (int i = 1; i <= RoomHistory.MAX_ROOMS + 50; i++) {
            h.add(d(i, "r" + i));
        }
        assertEquals(RoomHistory.MAX_ROOMS, h.sizes().size());
        assertTrue(h.last("r1", 1).isEmpty(), "the stalest room is forgotten");
        assertEquals(List.of((long) RoomHistory.MAX_ROOMS + 50), seqs(h.last("r" + (RoomHistory.MAX_ROOMS + 50), 1)));
    }
}
