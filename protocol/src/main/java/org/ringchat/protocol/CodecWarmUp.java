package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ringchat.protocol.Message.ChatAck;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.ChatSubmit;

/**
 * Encodes and decodes, once per JVM, an example of every message a leader change or a join sends,
 * so that the first real one does not pay for Jackson building its serializer and deserializer,
 * for loading the classes and for the interpreter. A member never encodes a {@code SyncReply}
 * (whose entries are JSON {@code ChatDeliver}s, which chat frames never use) nor a
 * {@code MembershipUpdate} until the leader's crash makes it answer the new leader or lead: in a
 * fresh JVM the first of each took 70–90 ms (C1 only, load 8), on the critical path of a failover.
 * Everything here is thread-safe and touches no node: call it from a thread of its own.
 */
public final class CodecWarmUp {

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private CodecWarmUp() {
    }

    /** Whether {@link #run} has been called in this JVM. */
    public static boolean started() {
        return DONE.get();
    }

    /** Runs once per JVM (later calls return at once); blocks its caller for a few hundred ms of CPU at most. */
    public static void run() {
        if (DONE.compareAndSet(false, true)) {
            exercise();
        }
    }

    /** Every example through the codec and back; throws if one does not come back equal. */
    static void exercise() {
        NodeAddress a = new NodeAddress("127.0.0.1", 1);
        NodeAddress b = new NodeAddress("127.0.0.1", 2);
        Member first = new Member("warm-up-a", a, 1);
        Member second = new Member("warm-up-b", b, 2);
        View view = new View(2, 3, a, List.of(first, second), 3);
        ChatDeliver deliver = new ChatDeliver(1, 2, second, 1, "warm-up", 1, Room.GENERAL, 1);
        Candidate candidate = new Candidate(1, a);
        List<Message> json = List.of(
                new Message.Ping(1), new Message.Pong(1, 2, 3),
                new Message.Suspect(b, true), new Message.Probe(b, 1), new Message.ProbeResult(b, 1, false),
                new Message.Election(candidate, 2), new Message.Elected(candidate, 2),
                new Message.SyncRequest(2, 0), new Message.SyncReply(2, 1, List.of(deliver)),
                new Message.MembershipUpdate(view, List.of(new Departure(second, Departure.Reason.CRASHED))),
                new Message.MembershipChange(2, 2, view.digest(), 2, 3, a, 3, List.of(second), List.of()),
                new Message.NotMember(view), new Message.Heartbeat(2, 3),
                new Message.JoinRequest("warm-up-b", b, 0), new Message.JoinAccepted(second, view, 1, List.of(deliver)),
                new Message.JoinRejected("warm-up"), new Message.Leave());
        WireFormat format = new WireFormat(WireFormat.DEFAULT_MAX_FRAME_BYTES);
        for (Message m : json) {
            ByteBuf frame = format.encode(new Envelope(a, 1, m), UnpooledByteBufAllocator.DEFAULT);
            try {
                frame.skipBytes(WireFormat.LENGTH_BYTES);
                if (!WireFormat.decodeBody(frame).message().equals(m)) {
                    throw new IllegalStateException(m.getClass().getSimpleName() + " did not survive the codec");
                }
            } finally {
                frame.release();
            }
        }
        ChatBatch.Builder batch = new ChatBatch.Builder(UnpooledByteBufAllocator.DEFAULT, a, WireFormat.DEFAULT_MAX_FRAME_BYTES);
        for (Message m : List.of(deliver, new ChatSubmit(1, "warm-up"), new ChatAck(2, 1))) {
            ByteBuf entry = Unpooled.buffer();
            try {
                ChatBatch.writeEntry(new Envelope(a, 1, m), entry);
                batch.add(entry);
            } finally {
                entry.release();
            }
        }
        ByteBuf frame = batch.finish();
        try {
            frame.skipBytes(WireFormat.LENGTH_BYTES);
            List<Object> decoded = new ArrayList<>();
            new ChatBatch.Reader().decode(frame, decoded);
            if (decoded.size() != 3) {
                throw new IllegalStateException("the chat frame did not survive the codec: " + decoded);
            }
        } finally {
            frame.release();
        }
    }
}
