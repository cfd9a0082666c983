package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ringchat.protocol.Message.ChatAck;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.ChatSubmit;

/**
 * The chat frame (protocol 6): several chat messages from one sender in one binary frame body, so
 * that a leader's fan-out and a busy sender's submits cost one frame per flush, not one JSON
 * frame per line. Only {@link ChatSubmit}, {@link ChatDeliver} and {@link ChatAck} travel this
 * way; every other message stays one JSON envelope per frame. A body is a chat frame when its
 * first byte is {@link #MARKER} (a JSON body starts with {@code '{'} or white space).
 *
 * <pre>
 * body   := MARKER count:int32 from:str entry{count}
 * entry  := type:u8 t:varint fields
 * 1 ChatSubmit   msgId:varint text:str room:str
 * 2 ChatDeliver  seq:varint term:varint senderName:str senderAddress:str senderRank:varint msgId:varint
 *                text:str stamp:varint room:str wallClockMs:varint silenced:u8 (0 or 1)
 * 3 ChatAck      term:varint seq:varint
 * str    := length:varint UTF-8 bytes
 * varint := unsigned LEB128, at most 9 bytes (63 bits)
 * </pre>
 *
 * Each entry decodes to an {@link Envelope} of its own, with its own Lamport time {@code t}, as if
 * it had come in a frame of its own: the node cannot tell the difference. Every number and text is
 * checked as the JSON form's is (the records' constructors); a count out of range, an unknown
 * entry type, a length past the body's end or bytes left after the last entry close the connection.
 */
public final class ChatBatch {

    /** First byte of a chat frame's body. */
    public static final byte MARKER = 0x01;

    /**
     * Largest chat frame body a sender builds, 64 KiB (or the frame limit, if lower); a longer
     * batch goes out as several frames. Large enough that a frame carries hundreds of lines; small
     * enough that a frame written ahead of a heartbeat delays it by microseconds, not milliseconds.
     */
    public static final int MAX_BATCH_BYTES = 64 * 1024;

    private static final int SUBMIT = 1;
    private static final int DELIVER = 2;
    private static final int ACK = 3;
    /** Bytes of the fixed part of a body: the marker and the count. */
    private static final int HEADER_BYTES = 1 + 4;
    /** The fewest bytes an entry takes (type, t, two one-byte numbers): bounds the count. */
    private static final int MIN_ENTRY_BYTES = 4;
    private static final int MAX_VARINT_BYTES = 9;

    private ChatBatch() {
    }

    /** Whether {@code message} travels in chat frames. */
    public static boolean batchable(Message message) {
        return message instanceof ChatDeliver || message instanceof ChatSubmit || message instanceof ChatAck;
    }

    /** Whether a frame body is a chat frame. */
    public static boolean isChatFrame(ByteBuf body) {
        return body.isReadable() && body.getByte(body.readerIndex()) == MARKER;
    }

    /** Appends one entry (its type, Lamport time and fields) for a batchable envelope. */
    public static void writeEntry(Envelope envelope, ByteBuf out) {
        Message m = envelope.message();
        if (m instanceof ChatDeliver d) {
            out.writeByte(DELIVER);
            writeVarint(out, envelope.lamport());
            writeVarint(out, d.seq());
            writeVarint(out, d.term());
            writeString(out, d.sender().name());
            writeString(out, d.sender().address().toString());
            writeVarint(out, d.sender().rank());
            writeVarint(out, d.msgId());
            writeString(out, d.text());
            writeVarint(out, d.stamp());
            writeString(out, d.room());
            writeVarint(out, d.wallClockMs());
            out.writeByte(d.silenced() ? 1 : 0);
        } else if (m instanceof ChatSubmit s) {
            out.writeByte(SUBMIT);
            writeVarint(out, envelope.lamport());
            writeVarint(out, s.msgId());
            writeString(out, s.text());
            writeString(out, s.room());
        } else if (m instanceof ChatAck a) {
            out.writeByte(ACK);
            writeVarint(out, envelope.lamport());
            writeVarint(out, a.term());
            writeVarint(out, a.seq());
        } else {
            throw new IllegalArgumentException(envelope.type() + " does not travel in a chat frame");
        }
    }

    /** A chat frame being filled: its length prefix and header written, entries appended one by one. */
    public static final class Builder {
        private final ByteBuf buf;
        private final NodeAddress from;
        private final int start;
        private final int limit;
        private int count;

        /**
         * Opens a frame from {@code from} in a new buffer; {@code maxFrameBytes} is the frame limit
         * (the body stays within it and within {@link #MAX_BATCH_BYTES}).
         */
        public Builder(ByteBufAllocator alloc, NodeAddress from, int maxFrameBytes) {
            this.buf = alloc.buffer(4096);
            this.from = from;
            this.start = buf.writerIndex();
            this.limit = Math.min(MAX_BATCH_BYTES, maxFrameBytes);
            buf.writeInt(0).writeByte(MARKER).writeInt(0);
            writeString(buf, from.toString());
        }

        /** Whether an entry of {@code entryBytes} still fits; an empty frame takes any entry that fits a frame at all. */
        public boolean fits(int entryBytes) {
            return bodyBytes() + entryBytes <= limit;
        }

        /**
         * Appends an encoded entry (copied from {@code entry}'s readable bytes, which stay unread).
         *
         * @throws TooLongFrameException if even alone it would not fit a frame
         */
        public void add(ByteBuf entry) {
            if (count == 0 && !fits(entry.readableBytes())) {
                throw new TooLongFrameException("a chat entry of " + entry.readableBytes() + " bytes exceeds the "
                        + limit + "-byte frame limit");
            }
            buf.writeBytes(entry, entry.readerIndex(), entry.readableBytes());
            count++;
        }

        /** Who the frame's entries are from. */
        public NodeAddress from() {
            return from;
        }

        public int count() {
            return count;
        }

        private int bodyBytes() {
            return buf.writerIndex() - start - WireFormat.LENGTH_BYTES;
        }

        /** The whole frame, prefix included; the caller owns it. */
        public ByteBuf finish() {
            buf.setInt(start, bodyBytes());
            buf.setInt(start + WireFormat.LENGTH_BYTES + 1, count);
            return buf;
        }

        /** Gives the buffer back unsent. */
        public void discard() {
            buf.release();
        }
    }

    /**
     * Reads chat frames of one connection. It remembers the last sender address and the last
     * member it decoded, so that the hundreds of entries of a frame from one leader about one
     * sender are not parsed and checked again each time. One per connection, used on its thread.
     */
    public static final class Reader {
        private byte[] fromBytes;
        private NodeAddress from;
        private byte[] senderBytes;
        private Member sender;

        /** Decodes a chat frame's body (marker included) into its envelopes, appended to {@code out}, in order. */
        public void decode(ByteBuf body, List<Object> out) {
            try {
                body.skipBytes(1);
                int count = body.readInt();
                if (count < 1 || count > Bounds.MAX_ENTRIES || (long) count * MIN_ENTRY_BYTES > body.readableBytes()) {
                    throw new CorruptedFrameException("bad chat frame: " + count + " entries in "
                            + body.readableBytes() + " bytes");
                }
                NodeAddress sentBy = from(body);
                for (int i = 0; i < count; i++) {
                    out.add(entry(body, sentBy));
                }
                if (body.isReadable()) {
                    throw new CorruptedFrameException("bad chat frame: " + body.readableBytes() + " bytes after its last entry");
                }
            } catch (IndexOutOfBoundsException e) {
                throw new CorruptedFrameException("bad chat frame: truncated", e);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CorruptedFrameException("bad chat frame: " + e.getMessage(), e);
            }
        }

        private NodeAddress from(ByteBuf body) {
            int length = length(body);
            if (fromBytes == null || !same(body, length, fromBytes)) {
                byte[] bytes = new byte[length];
                body.getBytes(body.readerIndex(), bytes);
                from = NodeAddress.parse(new String(bytes, StandardCharsets.UTF_8));
                fromBytes = bytes;
            }
            body.skipBytes(length);
            return from;
        }

        private Envelope entry(ByteBuf body, NodeAddress sentBy) {
            int type = body.readUnsignedByte();
            long t = readVarint(body);
            Message m = switch (type) {
                case SUBMIT -> new ChatSubmit(readVarint(body), readString(body), readRoom(body));
                case DELIVER -> deliver(body);
                case ACK -> new ChatAck(readVarint(body), readVarint(body));
                default -> throw new CorruptedFrameException("bad chat frame: entry type " + type);
            };
            return new Envelope(sentBy, t, m);
        }

        private ChatDeliver deliver(ByteBuf body) {
            long seq = readVarint(body);
            long term = readVarint(body);
            Member who = sender(body);
            long msgId = readVarint(body);
            String text = readString(body);
            long stamp = readVarint(body);
            String room = readRoom(body);
            long wallClockMs = readVarint(body);
            int silenced = body.readUnsignedByte();
            if (silenced > 1) {
                throw new CorruptedFrameException("bad chat frame: silenced flag " + silenced);
            }
            return new ChatDeliver(seq, term, who, msgId, text, stamp, room, wallClockMs, silenced == 1);
        }

        /**
         * The sender of a delivery: the same bytes as the last one's give the same member, without
         * decoding its name and address again (a leader's frame names one sender hundreds of times).
         */
        private Member sender(ByteBuf body) {
            int at = body.readerIndex();
            if (senderBytes != null && body.readableBytes() >= senderBytes.length && sameAt(body, at, senderBytes)) {
                body.skipBytes(senderBytes.length);
                return sender;
            }
            String name = readString(body);
            String address = readString(body);
            long rank = readVarint(body);
            int length = body.readerIndex() - at;
            Member m = new Member(name, NodeAddress.parse(address), rank);
            senderBytes = new byte[length];
            body.getBytes(at, senderBytes);
            sender = m;
            return m;
        }
    }

    private static final byte[] GENERAL = Room.GENERAL.getBytes(StandardCharsets.US_ASCII);

    /** A room's name: {@link Room#GENERAL}, the room of nearly every line, without a new string each time. */
    private static String readRoom(ByteBuf in) {
        int at = in.readerIndex();
        if (in.readableBytes() > GENERAL.length && in.getByte(at) == GENERAL.length && sameAt(in, at + 1, GENERAL)) {
            in.skipBytes(1 + GENERAL.length);
            return Room.GENERAL;
        }
        return readString(in);
    }

    private static boolean same(ByteBuf body, int length, byte[] bytes) {
        return bytes.length == length && sameAt(body, body.readerIndex(), bytes);
    }

    private static boolean sameAt(ByteBuf body, int at, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (body.getByte(at + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    static void writeVarint(ByteBuf out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative number in a chat frame: " + value);
        }
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readVarint(ByteBuf in) {
        long value = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new CorruptedFrameException("bad chat frame: a number longer than " + MAX_VARINT_BYTES + " bytes");
    }

    private static void writeString(ByteBuf out, String s) {
        // String.getBytes copies a Latin-1 string that is ASCII at once (a vectorised check), where
        // the ByteBuf's own UTF-8 writer goes character by character (the top frame of a sending
        // member's loop in issue 10's profile)
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static int length(ByteBuf in) {
        long length = readVarint(in);
        if (length > in.readableBytes()) {
            throw new CorruptedFrameException("bad chat frame: a text of " + length + " bytes in "
                    + in.readableBytes());
        }
        return (int) length;
    }

    private static String readString(ByteBuf in) {
        int length = length(in);
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }
}
