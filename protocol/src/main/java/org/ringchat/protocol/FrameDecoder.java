package org.ringchat.protocol;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/** Cuts the byte stream into frame bodies; a frame announced larger than the limit fails the channel. */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    public FrameDecoder(int maxFrameBytes) {
        super(maxFrameBytes + WireFormat.LENGTH_BYTES, 0, WireFormat.LENGTH_BYTES, 0,
                WireFormat.LENGTH_BYTES, true);
    }
}
