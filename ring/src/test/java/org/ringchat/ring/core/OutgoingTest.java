package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message.ChatSubmit;

/** {@link Outgoing}: a member's own lines, numbered when released, kept until the leader's fan-out confirms them. */
class OutgoingTest {

    private final Outgoing outgoing = new Outgoing();

    private static ChatSubmit s(long msgId, String text) {
        return new ChatSubmit(msgId, text);
    }

    @Test
    void linesWaitUnnumberedUntilReleased() {
        assertTrue(outgoing.isEmpty());
        outgoing.add("a");
        outgoing.add("b");
        // typed, not yet submitted: counted, nothing in flight
        assertEquals(2, outgoing.size());
        assertFalse(outgoing.isEmpty());
        assertEquals(List.of(), outgoing.inFlight());
        // released: numbered 1, 2 in the order typed
        assertEquals(List.of(s(1, "a"), s(2, "b")), outgoing.release(10));
        assertEquals(List.of(s(1, "a"), s(2, "b")), outgoing.inFlight());
        assertEquals(2, outgoing.size());
    }

    @Test
    void releaseKeepsAtMostAWindowInFlight() {
        for (String t : List.of("a", "b", "c", "d")) {
            outgoing.add(t);
        }
        // a window of two
        assertEquals(List.of(s(1, "a"), s(2, "b")), outgoing.release(2));
        // the window is full: nothing more
        assertEquals(List.of(), outgoing.release(2));
        assertEquals(4, outgoing.size());
        // #1 is confirmed: one more goes
        outgoing.confirm(1);
        assertEquals(List.of(s(3, "c")), outgoing.release(2));
        assertEquals(List.of(s(2, "b"), s(3, "c")), outgoing.inFlight());
    }

    @Test
    void confirmIsCumulative() {
        for (String t : List.of("a", "b", "c", "d")) {
            outgoing.add(t);
        }
        outgoing.release(4);
        // the fan-out brings back #3: #1 and #2 before it are done too
        outgoing.confirm(3);
        assertEquals(List.of(s(4, "d")), outgoing.inFlight());
        assertEquals(1, outgoing.size());
        // an old confirmation changes nothing
        outgoing.confirm(2);
        assertEquals(List.of(s(4, "d")), outgoing.inFlight());
        outgoing.confirm(4);
        assertTrue(outgoing.isEmpty());
    }

    @Test
    void numberingGoesOnAfterConfirmations() {
        outgoing.add("a");
        outgoing.release(1);
        outgoing.confirm(1);
        outgoing.add("b");
        assertEquals(List.of(s(2, "b")), outgoing.release(1));
    }

    @Test
    void inFlightIsASnapshot() {
        outgoing.add("a");
        outgoing.release(1);
        List<ChatSubmit> snapshot = outgoing.inFlight();
        outgoing.confirm(1);
        // the copy handed to the caller is not changed by later confirmations, nor changeable
        assertEquals(List.of(s(1, "a")), snapshot);
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(s(2, "b")));
    }

    @Test
    void admittedAgainConfirmsWhatTheRingAlreadyOrderedAndKeepsTheRest() {
        for (String t : List.of("a", "b", "c")) {
            outgoing.add(t);
        }
        outgoing.release(3);
        // removed and admitted again: the ring had ordered #1 and #2 from this address
        outgoing.admittedWith(3);
        assertEquals(List.of(s(3, "c")), outgoing.inFlight());
        // numbering goes on after what is in flight
        outgoing.add("d");
        assertEquals(List.of(s(4, "d")), outgoing.release(10));
    }

    @Test
    void aNewcomerAtAnAddressUsedBeforeNumbersFromTheFirstFreeId() {
        // typed before being admitted
        outgoing.add("hello");
        // an earlier process at this address had ids up to #10 ordered
        outgoing.admittedWith(11);
        assertEquals(List.of(s(11, "hello")), outgoing.release(5));
    }

    @Test
    void admittedWithALowerFirstFreeNeverNumbersBackwards() {
        outgoing.add("a");
        outgoing.add("b");
        outgoing.release(2);
        // the ring has none of ours ordered: #1 and #2 stay in flight, the next is #3
        outgoing.admittedWith(1);
        assertEquals(List.of(s(1, "a"), s(2, "b")), outgoing.inFlight());
        outgoing.add("c");
        assertEquals(List.of(s(3, "c")), outgoing.release(3));
    }
}
