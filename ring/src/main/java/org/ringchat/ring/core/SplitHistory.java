package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.NodeAddress;

/**
 * History across a merge ({@code docs/partitions.md}): given what each piece of a split ring
 * ordered after a point both still hold, what the merged ring's history is and what each side
 * must be shown.
 *
 * <p>Up to the <em>common point</em> both pieces hold the same messages (one ring numbered
 * them); after it each numbered its own. The absorbing piece's messages keep their numbers; the
 * absorbed piece's follow them, numbered on from the absorbing piece's last, in their own order.
 * A line ordered on both sides (a live sender's line the old leader ordered just before the
 * split, which its sender, never seeing it come back, submitted again on its own side) is the
 * same sender address and message id: it keeps the absorbing side's place and is shown to
 * nobody twice. So each side is shown the other's messages, each once, in the other's order.
 */
public final class SplitHistory {

    /**
     * The outcome of a merge of two histories.
     *
     * @param commonSeq the last number both pieces agree on
     * @param absorbingOwn the absorbing piece's messages after it, with their numbers
     * @param appended the absorbed piece's messages after it that the absorbing piece lacks,
     *     numbered on from the absorbing piece's last: what the absorbing side is shown
     * @param showToAbsorbed the absorbing piece's messages after it that the absorbed side has
     *     not shown (not ordered there as well): what the absorbed side is shown
     * @param alreadyOrdered the absorbed piece's copies of lines the absorbing piece ordered too
     */
    public record Outcome(long commonSeq, List<ChatDeliver> absorbingOwn, List<ChatDeliver> appended,
            List<ChatDeliver> showToAbsorbed, List<ChatDeliver> alreadyOrdered) {

        /** The merged history after {@link #commonSeq}, numbered without a gap: the absorbing piece's, then the appended. */
        public List<ChatDeliver> merged() {
            List<ChatDeliver> out = new ArrayList<>(absorbingOwn);
            out.addAll(appended);
            return out;
        }

        /** The last number of the merged history; the merged ring orders from the one after. */
        public long lastSeq() {
            return commonSeq + absorbingOwn.size() + appended.size();
        }
    }

    private SplitHistory() {
    }

    /**
     * Merges the messages each piece holds after {@code base} (numbers {@code base + 1} on,
     * without a gap; {@code base} at or before the split), the absorbing piece's first.
     */
    public static Outcome merge(long base, List<ChatDeliver> absorbing, List<ChatDeliver> absorbed) {
        checkRun("absorbing", base, absorbing);
        checkRun("absorbed", base, absorbed);
        int common = 0;
        while (common < absorbing.size() && common < absorbed.size()
                && absorbing.get(common).equals(absorbed.get(common))) {
            common++;
        }
        return merge(base, absorbing, absorbed, common);
    }

    /**
     * Merges two histories that share no number: the absorbing piece's messages after
     * {@code base} (numbers {@code base + 1} on), and the absorbed piece's, whose oldest lies
     * past the absorbing piece's last, so that every one of them was ordered after the split
     * (numbered on without a gap from wherever they start). Nothing is common after
     * {@code base}; the absorbed piece's messages follow the absorbing piece's last, except the
     * lines ordered on both sides.
     */
    public static Outcome mergeParted(long base, List<ChatDeliver> absorbing, List<ChatDeliver> absorbed) {
        checkRun("absorbing", base, absorbing);
        if (!absorbed.isEmpty()) {
            checkRun("absorbed", absorbed.get(0).seq() - 1, absorbed);
        }
        return merge(base, absorbing, absorbed, 0);
    }

    private static Outcome merge(long base, List<ChatDeliver> absorbing, List<ChatDeliver> absorbed, int common) {
        List<ChatDeliver> mine = absorbing.subList(common, absorbing.size());
        List<ChatDeliver> theirs = absorbed.subList(common, absorbed.size());
        Map<Key, ChatDeliver> mineByKey = new HashMap<>();
        mine.forEach(d -> mineByKey.put(Key.of(d), d));
        Map<Key, ChatDeliver> theirsByKey = new HashMap<>();
        theirs.forEach(d -> theirsByKey.put(Key.of(d), d));

        long seq = base + absorbing.size();
        List<ChatDeliver> appended = new ArrayList<>();
        List<ChatDeliver> alreadyOrdered = new ArrayList<>();
        for (ChatDeliver d : theirs) {
            ChatDeliver twin = mineByKey.get(Key.of(d));
            if (twin != null && sameLine(twin, d)) {
                alreadyOrdered.add(d);
            } else {
                appended.add(renumber(d, ++seq));
            }
        }
        List<ChatDeliver> showToAbsorbed = new ArrayList<>();
        for (ChatDeliver d : mine) {
            ChatDeliver twin = theirsByKey.get(Key.of(d));
            if (twin == null || !sameLine(d, twin)) {
                showToAbsorbed.add(d);
            }
        }
        return new Outcome(base + common, List.copyOf(mine), List.copyOf(appended), List.copyOf(showToAbsorbed),
                List.copyOf(alreadyOrdered));
    }

    /**
     * The lines of {@code room} that a member in it shows, in order (a silenced line only holds
     * its sender's place and is shown by nobody): what follows its
     * {@code * while split from <names>: N messages} line, N being their number.
     */
    public static List<ChatDeliver> shownIn(List<ChatDeliver> messages, String room) {
        return messages.stream().filter(d -> !d.silenced() && d.room().equals(room)).toList();
    }

    /** A sender's line is known by its sender's address and its id, which the sender never reuses. */
    public record Key(NodeAddress sender, long msgId) {
        public static Key of(ChatDeliver d) {
            return new Key(d.sender().address(), d.msgId());
        }
    }

    /**
     * The same line ordered twice: same sender and id, and the same text unless one side
     * silenced it. Another text under the same id is a restarted sender that reused ids, two
     * lines, both kept.
     */
    private static boolean sameLine(ChatDeliver a, ChatDeliver b) {
        return a.silenced() || b.silenced() || a.text().equals(b.text());
    }

    private static ChatDeliver renumber(ChatDeliver d, long seq) {
        return new ChatDeliver(seq, d.term(), d.sender(), d.msgId(), d.text(), d.stamp(), d.room(), d.wallClockMs(),
                d.silenced());
    }

    private static void checkRun(String side, long base, List<ChatDeliver> run) {
        for (int i = 0; i < run.size(); i++) {
            if (run.get(i).seq() != base + 1 + i) {
                throw new IllegalArgumentException("the " + side + " piece's messages must be numbered " + (base + 1)
                        + " on without a gap; found " + run.get(i).seq() + " at position " + i);
            }
        }
    }
}
