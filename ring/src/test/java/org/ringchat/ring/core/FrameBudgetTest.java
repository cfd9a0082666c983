package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.SyncReply;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.WireFormat;

class FrameBudgetTest {

    private static final int MAX_FRAME = 64 * 1024;
    private static final Member SENDER = new Member("bob", new NodeAddress("127.0.0.1", 5001), 2);

    /** Worst case for JSON: control characters are escaped as six bytes each. */
    private static List<ChatDeliver> messages(int count, int textLength) {
        List<ChatDeliver> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(new ChatDeliver(i, 1, SENDER, i, "\u0001".repeat(textLength), i));
        }
        return out;
    }

    @Test
    void everyChunkEncodesWithinTheFrameLimitAndNothingIsLeftOut() {
        List<ChatDeliver> all = messages(200, 2000);
        List<List<ChatDeliver>> chunks = new FrameBudget(MAX_FRAME).chunks(all);
        assertTrue(chunks.size() > 1);
        List<ChatDeliver> joined = new ArrayList<>();
        WireFormat format = new WireFormat(MAX_FRAME);
        for (List<ChatDeliver> chunk : chunks) {
            // throws if the frame is over the limit
            format.encode(new Envelope(SENDER.address(), 1, new SyncReply(1, 200, chunk)), ByteBufAllocator.DEFAULT).release();
            joined.addAll(chunk);
        }
        assertEquals(all, joined);
    }

    @Test
    void tailKeepsTheNewestMessagesThatFit() {
        List<ChatDeliver> all = messages(200, 2000);
        List<ChatDeliver> tail = new FrameBudget(MAX_FRAME).tail(all);
        assertTrue(!tail.isEmpty() && tail.size() < all.size());
        assertEquals(all.get(all.size() - 1), tail.get(tail.size() - 1));
        assertEquals(all.subList(all.size() - tail.size(), all.size()), tail);
    }

    @Test
    void emptyInputGivesOneEmptyChunk() {
        assertEquals(List.of(List.of()), new FrameBudget(MAX_FRAME).chunks(List.of()));
        assertEquals(List.of(), new FrameBudget(MAX_FRAME).tail(List.of()));
    }
}
