package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;

/** What the simulation counts as a node having heard of an address, and the sets that never did. */
class HeardOfTest {

    private static final NodeAddress A = new NodeAddress("127.1.0.1", 5000);
    private static final NodeAddress B = new NodeAddress("127.1.0.2", 5000);
    private static final NodeAddress C = new NodeAddress("127.1.0.3", 5000);
    private static final NodeAddress D = new NodeAddress("127.1.0.4", 5000);

    @Test
    void aNodeHearsOfItselfItsContactTheSenderAndEveryAddressInAFramesView() {
        HeardOf heard = new HeardOf(A, B);
        assertTrue(heard.heard(A));
        assertTrue(heard.heard(B));
        assertFalse(heard.heard(C));
        View view = new View(2, 5, B, List.of(new Member("b", B, 1), new Member("d", D, 4)), 5);
        heard.read(new Envelope(C, 1, new Message.NotMember(view)));
        assertTrue(heard.heard(C), "the sender");
        assertTrue(heard.heard(D), "a member of the view the frame carries");
    }

    @Test
    void aHeartbeatTellsOnlyItsSender() {
        HeardOf heard = new HeardOf(A, null);
        heard.read(new Envelope(C, 1, new Message.Heartbeat(2, 5)));
        assertTrue(heard.heard(C));
        assertFalse(heard.heard(B));
    }

    @Test
    void setsAreJoinedByHearingEitherWay() {
        // 1 heard of 2, 3 heard of 2 (so 1, 2, 3 are one set); 4 heard of nobody and nobody of 4
        Map<Integer, Set<Integer>> heard = Map.of(1, Set.of(2), 2, Set.of(), 3, Set.of(2), 4, Set.of());
        List<List<Integer>> sets = Components.of(List.of(1, 2, 3, 4), (a, b) -> heard.get(a).contains(b));
        assertEquals(2, sets.size(), sets.toString());
        assertEquals(Set.of(1, 2, 3), Set.copyOf(sets.get(0)));
        assertEquals(List.of(4), sets.get(1));
        assertEquals(1, Components.of(List.of(1, 2), (a, b) -> a == 1 && b == 2).size());
    }
}
