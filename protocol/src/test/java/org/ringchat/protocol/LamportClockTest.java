package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class LamportClockTest {

    @Test
    void newClockStartsAtZeroAndEachTickAddsOne() {
        LamportClock clock = new LamportClock();
        assertEquals(0, clock.time());

        // three local events
        assertEquals(1, clock.tick());
        assertEquals(2, clock.tick());
        assertEquals(3, clock.tick());
        assertEquals(3, clock.time());
    }

    @Test
    void clockCanStartFromAGivenTime() {
        // a node restoring its clock resumes from there
        LamportClock clock = new LamportClock(41);
        assertEquals(41, clock.time());
        assertEquals(42, clock.tick());
    }

    @Test
    void receivingALaterStampJumpsPastIt() {
        LamportClock clock = new LamportClock(5);

        // a message stamped after our time: max(5, 20) + 1
        assertEquals(21, clock.receive(20));
        assertEquals(21, clock.time());
    }

    @Test
    void receivingAnEqualStampStillMovesForward() {
        LamportClock clock = new LamportClock(7);

        // same time on both sides: max(7, 7) + 1
        assertEquals(8, clock.receive(7));
    }

    @Test
    void receivingAnEarlierStampCountsAsOneLocalStep() {
        LamportClock clock = new LamportClock(30);

        // an older message does not pull the clock back: max(30, 3) + 1
        assertEquals(31, clock.receive(3));
        assertEquals(32, clock.receive(0));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 20240601})
    void clockNeverGoesBackwardsOverRandomEvents(long seed) {
        Random random = new Random(seed);
        LamportClock clock = new LamportClock();
        long expected = 0;

        for (int i = 0; i < 10_000; i++) {
            long before = clock.time();
            long now;
            if (random.nextBoolean()) {
                // a local event or a send
                now = clock.tick();
                expected = expected + 1;
            } else {
                // a receive stamped somewhere around our time: earlier, equal or later
                long stamp = Math.max(0, before + random.nextInt(41) - 20);
                now = clock.receive(stamp);
                expected = Math.max(expected, stamp) + 1;
                assertTrue(now > stamp, "time " + now + " not after received " + stamp);
            }

            // strictly increasing, and exactly what Lamport's rules give
            assertTrue(now > before, "step " + i + ": " + before + " -> " + now);
            assertEquals(expected, now);
            assertEquals(now, clock.time());
        }
    }

    @Test
    void negativeStartIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LamportClock(-1));
        assertThrows(IllegalArgumentException.class, () -> new LamportClock(Long.MIN_VALUE));
    }
}
