package org.ringchat.ring.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.WireFormat;

/**
 * A switched LAN for {@link SimNetwork} (opt-in; without it the network keeps its seeded
 * 0.1-5 ms latencies and infinite bandwidth). Every directed path has a fixed latency drawn once
 * from [{@code minLatencyUs}, {@code maxLatencyUs}] (the switch, the two stacks, no jitter), and
 * every host one full-duplex link of {@code bitsPerSecond}: a frame waits in its host's egress
 * queue behind every frame the host sent before it, to any peer, then takes its serialization
 * time on the sender's link, the path's latency, and its serialization time again on the
 * receiver's link, behind whatever else arrives there (store and forward, one FIFO queue per
 * link direction). So a leader's fan-out queues up on its uplink exactly as on a real NIC.
 *
 * <p>A frame's size is its real encoding ({@link WireFormat}, the 4-byte prefix included) plus
 * {@link #SEGMENT_OVERHEAD_BYTES} for every TCP segment of at most {@link #MSS_BYTES} it needs.
 * Each frame is its own segment(s): a real stack often packs several small frames of one flush
 * into one segment, so the model is pessimistic for small frames (heartbeats, acks).
 *
 * @param bandwidth false: latency only, as if every link were infinitely fast (a ring is formed
 *     so; see {@code ScaleStudy})
 */
record Lan(long minLatencyUs, long maxLatencyUs, long bitsPerSecond, boolean bandwidth) {

    /** Payload bytes of one TCP segment on Ethernet with TCP timestamps (1500 - 20 - 32). */
    static final int MSS_BYTES = 1448;
    /**
     * Bytes on the wire per segment beyond its payload: Ethernet preamble, header, FCS and
     * inter-frame gap (8 + 14 + 4 + 12) and IPv4 and TCP headers with timestamps (20 + 32).
     */
    static final int SEGMENT_OVERHEAD_BYTES = 90;

    /** 0.1-0.2 ms one way through one switch, 1 Gbit/s per host. */
    static final Lan GIGABIT_SWITCH = new Lan(100, 200, 1_000_000_000L, true);

    private static final WireFormat FORMAT = new WireFormat(Integer.MAX_VALUE);

    Lan {
        if (minLatencyUs < 1 || maxLatencyUs < minLatencyUs || bitsPerSecond < 1) {
            throw new IllegalArgumentException("bad LAN model " + minLatencyUs + "-" + maxLatencyUs + " us, " + bitsPerSecond + " bit/s");
        }
    }

    Lan withBandwidth(boolean on) {
        return new Lan(minLatencyUs, maxLatencyUs, bitsPerSecond, on);
    }

    /** The frame's bytes as {@code NettyTransport} writes them: prefix and JSON body. */
    static int frameBytes(Envelope frame) {
        ByteBuf buf = FORMAT.encode(frame, UnpooledByteBufAllocator.DEFAULT);
        try {
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }

    /** A frame of {@code frameBytes} on the wire, with its segments' headers. */
    static long wireBytes(long frameBytes) {
        long segments = Math.max(1, (frameBytes + MSS_BYTES - 1) / MSS_BYTES);
        return frameBytes + segments * SEGMENT_OVERHEAD_BYTES;
    }

    /** Nanoseconds {@code wireBytes} take on one link. */
    long serializationNs(long wireBytes) {
        return wireBytes * 8 * 1_000_000_000L / bitsPerSecond;
    }
}
