package org.ringchat.protocol;

import java.util.Objects;

/**
 * A member the sender's ring lost to a crash or a hang, which it still probes in case a partition
 * took it ({@code docs/partitions.md}): told to a joiner, so that the joiner probes it too once
 * it leads. {@code agoMs}: how long before the frame was written it was lost (clocks are not
 * compared, only durations); {@code atSeq}: the sender's delivered position then.
 */
public record LostMember(Member member, Departure.Reason reason, long agoMs, long atSeq) {

    public LostMember {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(reason, "reason");
        Bounds.counter("agoMs", agoMs);
        Bounds.counter("atSeq", atSeq);
    }
}
