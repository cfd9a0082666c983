package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void aSourceSpendsItsBurstThenEarnsAtTheRate() {
        RateLimit<String> limit = new RateLimit<>(3, 2, 10);
        assertTrue(limit.allow("a", 0));
        assertTrue(limit.allow("a", 0));
        assertTrue(limit.allow("a", 0));
        assertFalse(limit.allow("a", 0), "the burst is spent");
        assertFalse(limit.allow("a", 499), "half a second earns one token: not yet");
        assertTrue(limit.allow("a", 500));
        assertFalse(limit.allow("a", 500));
        assertTrue(limit.allow("a", 10_000), "a long silence refills the bucket");
        assertTrue(limit.allow("a", 10_000));
        assertTrue(limit.allow("a", 10_000));
        assertFalse(limit.allow("a", 10_000), "never beyond the burst");
    }

    @Test
    void sourcesAreCountedApart() {
        RateLimit<String> limit = new RateLimit<>(1, 1, 10);
        assertTrue(limit.allow("a", 0));
        assertFalse(limit.allow("a", 0));
        assertTrue(limit.allow("b", 0), "another source has its own bucket");
    }

    @Test
    void atMostMaxSourcesAreRemembered() {
        RateLimit<Integer> limit = new RateLimit<>(1, 1, 100);
        for (int i = 0; i < 10_000; i++) {
            limit.allow(i, 0);
        }
        assertEquals(100, limit.sources());
        assertFalse(limit.allow(9_999, 0), "the most recent sources are still counted");
    }

    @Test
    void timeGoingBackwardsEarnsNothing() {
        RateLimit<String> limit = new RateLimit<>(1, 1, 10);
        assertTrue(limit.allow("a", 5_000));
        assertFalse(limit.allow("a", 0));
    }
}
