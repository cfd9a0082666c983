package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded mutation fuzz of the decoder: valid frames of every message type, bytes flipped,
 * inserted, dropped or cut, numbers swapped for extremes, JSON tokens swapped for others. Every
 * input either decodes to an envelope within every bound, or fails the connection with a decoder
 * error; nothing else ever comes out (no NullPointerException, no ClassCastException, no frame
 * that builds a message outside its range). Bounded in time for CI; a failing input prints its
 * seed and iteration.
 */
@Timeout(120)
class DecoderFuzzTest {

    private static final int ITERATIONS = 30_000;
    private static final long SEED = 20261130L;
    private static final String[] TOKENS = {"null", "true", "-1", "9007199254740993", "1e309", "\"\"", "[]", "{}",
        "\"\\ud800\"", "\"\\u0000\"", "18446744073709551616", "0.5", "\"127.0.0.1:1\"", "\"[::1]:5\""};

    @Test
    void mutatedFramesDecodeWithinBoundsOrFailTheConnection() {
        List<byte[]> seeds = new ArrayList<>();
        WireFormat format = new WireFormat(WireFormat.DEFAULT_MAX_FRAME_BYTES);
        for (Message m : Samples.oneOfEachType()) {
            ByteBuf frame = format.encode(new Envelope(Samples.ALICE_ADDR, 7, m), ByteBufAllocator.DEFAULT);
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            frame.release();
            seeds.add(bytes);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int decoded = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try (InboundPipeline pipeline = new InboundPipeline(WireFormat.DEFAULT_MAX_FRAME_BYTES)) {
                pipeline.feed(input);
                Throwable failure = pipeline.failure();
                if (failure != null && !(failure instanceof DecoderException) && !(failure instanceof TooLongFrameException)) {
                    fail("seed " + SEED + ", iteration " + i + ": " + failure + " for "
                            + new String(input, StandardCharsets.UTF_8), failure);
                }
                for (Envelope e : pipeline.received()) {
                    decoded++;
                    // what decoded encodes again: every field within its bounds
                    format.encode(e, ByteBufAllocator.DEFAULT).release();
                }
            }
        }
        assertTrue(decoded > 1000, "the fuzz should keep many inputs decodable, not only break them: " + decoded);
    }

    private static byte[] mutate(byte[] frame, SplittableRandom r) {
        byte[] body = java.util.Arrays.copyOfRange(frame, WireFormat.LENGTH_BYTES, frame.length);
        String text = new String(body, StandardCharsets.UTF_8);
        int kind = r.nextInt(7);
        switch (kind) {
            case 0 -> body[r.nextInt(body.length)] ^= (byte) (1 << r.nextInt(8)); // a bit flipped
            case 1 -> { // a number swapped for another token
                int at = firstDigit(text, r);
                if (at >= 0) {
                    int end = at;
                    while (end < text.length() && Character.isDigit(text.charAt(end))) {
                        end++;
                    }
                    body = (text.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)] + text.substring(end))
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
            case 2 -> body = java.util.Arrays.copyOf(body, r.nextInt(body.length)); // cut short
            case 3 -> { // a byte dropped
                int at = r.nextInt(body.length);
                byte[] shorter = new byte[body.length - 1];
                System.arraycopy(body, 0, shorter, 0, at);
                System.arraycopy(body, at + 1, shorter, at, body.length - at - 1);
                body = shorter;
            }
            case 4 -> { // a value swapped for another token, after a colon
                int colon = text.indexOf(':', r.nextInt(text.length()));
                if (colon >= 0) {
                    int end = colon + 1;
                    while (end < text.length() && ",}]".indexOf(text.charAt(end)) < 0) {
                        end++;
                    }
                    body = (text.substring(0, colon + 1) + TOKENS[r.nextInt(TOKENS.length)] + text.substring(end))
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
            case 5 -> { // the type swapped for another
                String[] types = {"Hello", "ChatDeliver", "View", "Leave", "Election", "Nope"};
                body = text.replaceFirst("\"type\":\"[A-Za-z]+\"", "\"type\":\"" + types[r.nextInt(types.length)] + "\"")
                        .getBytes(StandardCharsets.UTF_8);
            }
            default -> { } // unchanged: still valid
        }
        int announced = r.nextInt(20) == 0 ? r.nextInt() : body.length; // sometimes a lying length
        byte[] out = new byte[WireFormat.LENGTH_BYTES + body.length];
        java.nio.ByteBuffer.wrap(out).putInt(announced).put(body);
        return out;
    }

    private static int firstDigit(String text, SplittableRandom r) {
        int from = r.nextInt(text.length());
        for (int i = from; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
