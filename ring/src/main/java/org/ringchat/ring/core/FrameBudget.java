package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.List;
import org.ringchat.protocol.Message.ChatDeliver;

/**
 * Keeps lists of ordered messages inside one frame. Sizes are estimated from above (every
 * character of text may take six bytes of JSON escape), so a list that fits the estimate fits
 * the frame.
 */
public final class FrameBudget {

    /** Room for an envelope and a message's fixed fields and addresses. */
    private static final int OVERHEAD_BYTES = 512;

    private final int budgetBytes;

    /** @param maxFrameBytes the frame limit; half of it is used for message lists */
    public FrameBudget(int maxFrameBytes) {
        this.budgetBytes = maxFrameBytes / 2;
    }

    static int estimate(ChatDeliver d) {
        return OVERHEAD_BYTES + 6 * (d.text().length() + d.sender().name().length());
    }

    /** The longest tail of {@code messages} that fits in one frame. */
    public List<ChatDeliver> tail(List<ChatDeliver> messages) {
        int used = 0;
        int from = messages.size();
        while (from > 0 && used + estimate(messages.get(from - 1)) <= budgetBytes) {
            used += estimate(messages.get(--from));
        }
        return messages.subList(from, messages.size());
    }

    /** {@code messages} cut, in order, into runs that each fit in one frame (at least one run). */
    public List<List<ChatDeliver>> chunks(List<ChatDeliver> messages) {
        List<List<ChatDeliver>> out = new ArrayList<>();
        List<ChatDeliver> run = new ArrayList<>();
        int used = 0;
        for (ChatDeliver d : messages) {
            int size = estimate(d);
            if (!run.isEmpty() && used + size > budgetBytes) {
                out.add(run);
                run = new ArrayList<>();
                used = 0;
            }
            run.add(d);
            used += size;
        }
        out.add(run);
        return out;
    }
}
