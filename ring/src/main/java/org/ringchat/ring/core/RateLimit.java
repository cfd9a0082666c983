package org.ringchat.ring.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source: each source may spend {@code burst} at once, and earns
 * {@code perSecond} back every second. At most {@code maxSources} are remembered; beyond, the
 * source heard from longest ago is forgotten (it starts again with a full bucket, which costs
 * an attacker nothing it could not get from a fresh source anyway).
 */
public final class RateLimit<K> {

    private final double burst;
    private final double perMs;
    private final int maxSources;
    private final LinkedHashMap<K, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimit(int burst, double perSecond, int maxSources) {
        if (burst < 1 || perSecond <= 0 || maxSources < 1) {
            throw new IllegalArgumentException("burst, rate and sources must be positive");
        }
        this.burst = burst;
        this.perMs = perSecond / 1000.0;
        this.maxSources = maxSources;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Bucket> eldest) {
                return size() > RateLimit.this.maxSources;
            }
        };
    }

    /** Spends one token of {@code source}'s at {@code now} (ms); false when it has none left. */
    public boolean allow(K source, long now) {
        Bucket b = buckets.get(source);
        if (b == null) {
            buckets.put(source, new Bucket(burst - 1, now));
            return true;
        }
        b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.at) * perMs);
        b.at = Math.max(b.at, now);
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** Sources remembered now. */
    public int sources() {
        return buckets.size();
    }
}
