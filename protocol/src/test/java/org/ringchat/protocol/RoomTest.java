package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoomTest {

    @Test
    void roomsAreLettersDigitsAndUnderscoreDotDashUpTo32() {
        for (String room : new String[] {"general", "ops", "café", "ops-2.b", "_", "x".repeat(32), "١٢٣", "Ⅻ", "房间",
            "\uD835\uDD38".repeat(32)}) {
            assertTrue(Room.valid(room), room);
            assertEquals(room, Room.check(room));
        }
        for (String room : new String[] {null, "", "a b", "#ops", "x".repeat(33), "\u202eops", "ops\n", "a/b", "e\u0301",
            "\uD835\uDD38".repeat(33)}) {
            assertFalse(Room.valid(room), String.valueOf(room));
        }
        assertThrows(IllegalArgumentException.class, () -> Room.check("a b"));
    }
}
