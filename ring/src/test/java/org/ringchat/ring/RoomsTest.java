package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.Room;

/**
 * Rooms on a live ring: a line goes to its sender's room, in the ring's one order; every member
 * keeps every room's history; room membership is in the leader's views, and survives a leader
 * crash; a joiner hears the recent past of its room before anything live.
 */
@Timeout(120)
class RoomsTest {

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static List<String> textsIn(TestNode n, String room) {
        return n.chats.stream().filter(m -> m.room().equals(room)).map(ChatMessage::text).toList();
    }

    @Test
    void linesGoToTheSendersRoomAndEveryMemberKnowsWhoIsWhere() {
        List<TestNode> ring = cluster.ring(3);
        TestNode n0 = ring.get(0);
        TestNode n1 = ring.get(1);
        TestNode n2 = ring.get(2);
        n1.node.joinRoom("games");
        cluster.awaitUntil(() -> ring.forEach(n -> assertEquals("games", n.view().room(n1.address()), n::toString)));
        cluster.send(n1, "in games");
        cluster.send(n0, "in general");
        cluster.awaitUntil(() -> ring.forEach(n -> {
            assertEquals(List.of("in games"), textsIn(n, "games"), n::toString);
            assertEquals(List.of("in general"), textsIn(n, Room.GENERAL), n::toString);
        }));
        // the wall clock the leader stamped is now-ish, and the same everywhere
        long wall = n2.chats.stream().filter(m -> m.text().equals("in games")).findFirst().orElseThrow().wallClockMs();
        assertTrue(Math.abs(System.currentTimeMillis() - wall) < 60_000, "wall clock " + wall);
        ring.forEach(n -> assertEquals(wall, n.chats.stream().filter(m -> m.text().equals("in games")).findFirst()
                .orElseThrow().wallClockMs()));
        // back to general
        n1.node.joinRoom(Room.GENERAL);
        cluster.awaitUntil(() -> ring.forEach(n -> assertEquals(Room.GENERAL, n.view().room(n1.address()), n::toString)));
    }

    @Test
    void roomsSurviveALeaderCrash() {
        List<TestNode> ring = cluster.ring(4);
        ring.get(2).node.joinRoom("ops");
        ring.get(3).node.joinRoom("ops");
        cluster.awaitUntil(() -> ring.forEach(n -> assertEquals("ops", n.view().room(ring.get(3).address()), n::toString)));
        cluster.crash(ring.get(0));
        List<TestNode> survivors = ring.subList(1, 4);
        cluster.awaitOneRing(survivors);
        cluster.awaitUntil(() -> survivors.forEach(n -> {
            assertEquals("ops", n.view().room(ring.get(2).address()), n::toString);
            assertEquals("ops", n.view().room(ring.get(3).address()), n::toString);
            assertEquals(Room.GENERAL, n.view().room(ring.get(1).address()), n::toString);
        }));
        cluster.send(ring.get(3), "after the crash");
        cluster.awaitUntil(() -> survivors.forEach(n -> assertEquals(List.of("after the crash"), textsIn(n, "ops"))));
    }

    @Test
    void aJoinerHearsTheLastMessagesOfItsRoomFirst() {
        TestNode alice = cluster.startLeader("alice");
        TestNode bob = cluster.join("bob", alice);
        cluster.awaitOneRing(List.of(alice, bob));
        bob.node.joinRoom("ops");
        for (int i = 1; i <= 15; i++) {
            cluster.send(bob, "ops " + i);
            cluster.send(alice, "general " + i);
        }
        cluster.awaitUntil(() -> assertEquals(15, textsIn(alice, "ops").size()));
        TestNode carol = cluster.start(Cluster.config("carol").joinVia(bob.address()).room("ops").historyShown(10).build());
        cluster.awaitOneRing(List.of(alice, bob, carol));
        cluster.awaitUntil(() -> assertTrue(carol.histories.size() >= 1));
        TestNode.History first = carol.histories.get(0);
        assertEquals("ops", first.room());
        assertEquals(List.of("ops 6", "ops 7", "ops 8", "ops 9", "ops 10", "ops 11", "ops 12", "ops 13", "ops 14", "ops 15"),
                first.messages().stream().map(ChatMessage::text).toList());
        // carol's room is known to all
        cluster.awaitUntil(() -> List.of(alice, bob, carol).forEach(n -> assertEquals("ops", n.view().room(carol.address()))));
        // moving to general shows its past, as this node keeps it
        carol.node.joinRoom(Room.GENERAL);
        cluster.awaitUntil(() -> assertEquals(2, carol.histories.size()));
        assertEquals(Room.GENERAL, carol.histories.get(1).room());
        assertEquals("general 15", carol.histories.get(1).messages().get(9).text());
    }
}
