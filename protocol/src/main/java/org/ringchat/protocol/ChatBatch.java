package org.ringchat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
        new Entry().encode(envelope).writeTo(out);
    }

    /**
     * One chat entry, encoded into an array of its own that the next entry reuses. Written byte
     * by byte into an array, then copied into a frame in one go: a ByteBuf's own writes check its
     * reference count and capacity at every byte (issue 10's profile of the leader). Used on one
     * thread.
     */
    public static final class Entry {
        private byte[] bytes = new byte[256];
        private int length;

        /** Encodes {@code envelope}'s entry, replacing the last one; returns this. */
        public Entry encode(Envelope envelope) {
            length = 0;
            Message m = envelope.message();
            if (m instanceof ChatDeliver d) {
                writeByte(DELIVER);
                writeVarint(envelope.lamport());
                writeVarint(d.seq());
                writeVarint(d.term());
                writeString(d.sender().name());
                writeString(d.sender().address().toString());
                writeVarint(d.sender().rank());
                writeVarint(d.msgId());
                writeString(d.text());
                writeVarint(d.stamp());
                writeString(d.room());
                writeVarint(d.wallClockMs());
                writeByte(d.silenced() ? 1 : 0);
            } else if (m instanceof ChatSubmit s) {
                writeByte(SUBMIT);
                writeVarint(envelope.lamport());
                writeVarint(s.msgId());
                writeString(s.text());
                writeString(s.room());
            } else if (m instanceof ChatAck a) {
                writeByte(ACK);
                writeVarint(envelope.lamport());
                writeVarint(a.term());
                writeVarint(a.seq());
            } else {
                throw new IllegalArgumentException(envelope.type() + " does not travel in a chat frame");
            }
            return this;
        }

        /** Bytes of the entry. */
        public int length() {
            return length;
        }

        /** Appends the entry to {@code out}. */
        public void writeTo(ByteBuf out) {
            out.writeBytes(bytes, 0, length);
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
            }
        }

        private void writeByte(int b) {
            room(1);
            bytes[length++] = (byte) b;
        }

        private void writeVarint(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative number in a chat frame: " + value);
            }
            room(MAX_VARINT_BYTES);
            while ((value & ~0x7FL) != 0) {
                bytes[length++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[length++] = (byte) value;
        }

        private void writeString(String s) {
            // String.getBytes copies a Latin-1 string that is ASCII at once (a vectorised check)
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeVarint(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
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
            byte[] address = from.toString().getBytes(StandardCharsets.UTF_8);
            writeVarint(buf, address.length);
            buf.writeBytes(address);
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

        /**
         * Appends an encoded entry.
         *
         * @throws TooLongFrameException if even alone it would not fit a frame
         */
        public void add(Entry entry) {
            if (count == 0 && !fits(entry.length())) {
                throw new TooLongFrameException("a chat entry of " + entry.length() + " bytes exceeds the "
                        + limit + "-byte frame limit");
            }
            entry.writeTo(buf);
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
     * The envelopes of one chat frame, in order, all from the frame's sender: the pipeline hands
     * them on together, so that a frame of hundreds of lines costs one pass through the handlers
     * after the decoder and one step of the node, not one per line (issue 10).
     */
    public record Frame(List<Envelope> envelopes) {
        /**
         * Keeps a copy, as a fixed-size list over an array of its own: one list class whatever the
         * frame's size, and no JDK code on the way whose type guesses other callers in the JVM
         * shape. {@code List.copyOf} gives one class up to two entries and another beyond, and
         * {@code Collections.unmodifiableList} tests the class of its argument, a test compiled
         * for the lists the rest of the JVM passes it: either made the node's compiled receive
         * path be thrown away and compiled again in the middle of a workload (issue 10; JFR
         * showed both). Entries cannot be added or removed; the frame goes from the decoder to
         * the node's thread and nowhere else.
         */
        public Frame {
            Envelope[] copy = envelopes.toArray(new Envelope[0]);
            if (copy.length == 0) {
                throw new IllegalArgumentException("a chat frame has at least one entry");
            }
            for (Envelope envelope : copy) {
                Objects.requireNonNull(envelope, "a chat frame's entry");
            }
            envelopes = Arrays.asList(copy);
        }

        /** Who sent every envelope of the frame. */
        public NodeAddress from() {
            return envelopes.get(0).from();
        }
    }

    /**
     * Reads chat frames of one connection. It copies a frame's body into an array of its own and
     * parses that (the JIT compiles array reads into a small loop, where the ByteBuf's checked
     * reads through the buffer classes a connection sees made a large unit that it compiled again
     * each time a new buffer class came by: issue 10's profile). It remembers the last sender
     * address and the last member it decoded, so that the hundreds of entries of a frame from one
     * leader about one sender are not parsed and checked again each time. One per connection,
     * used on its thread.
     */
    public static final class Reader {
        /** Bodies up to this size are read into the reader's own array, kept; larger ones into one of their own. */
        private static final int KEPT_BYTES = MAX_BATCH_BYTES;
        private byte[] kept = new byte[4096];
        private byte[] in;
        private int pos;
        private int end;
        private byte[] fromBytes;
        private NodeAddress from;
        private byte[] senderBytes;
        private Member sender;

        /** Decodes a chat frame's body (marker included) into its envelopes, appended to {@code out}, in order. */
        public void decode(ByteBuf body, List<Object> out) {
            out.addAll(decode(body).envelopes());
        }

        /** Decodes a chat frame's body (marker included) into its envelopes, in order; the body is read to its end. */
        public Frame decode(ByteBuf body) {
            load(body);
            try {
                pos = 1; // the marker
                int count = readInt();
                if (count < 1 || count > Bounds.MAX_ENTRIES || (long) count * MIN_ENTRY_BYTES > end - pos) {
                    throw new CorruptedFrameException("bad chat frame: " + count + " entries in " + (end - pos) + " bytes");
                }
                NodeAddress sentBy = from();
                Envelope[] envelopes = new Envelope[count];
                for (int i = 0; i < count; i++) {
                    envelopes[i] = entry(sentBy);
                }
                if (pos != end) {
                    throw new CorruptedFrameException("bad chat frame: " + (end - pos) + " bytes after its last entry");
                }
                return new Frame(Arrays.asList(envelopes));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CorruptedFrameException("bad chat frame: " + e.getMessage(), e);
            } finally {
                in = null;
            }
        }

        private void load(ByteBuf body) {
            int n = body.readableBytes();
            if (n > kept.length && n <= KEPT_BYTES) {
                kept = new byte[Math.min(KEPT_BYTES, Math.max(n, 2 * kept.length))];
            }
            in = n <= kept.length ? kept : new byte[n];
            body.readBytes(in, 0, n);
            end = n;
        }

        private int readInt() {
            need(4);
            int v = (in[pos] & 0xFF) << 24 | (in[pos + 1] & 0xFF) << 16 | (in[pos + 2] & 0xFF) << 8 | in[pos + 3] & 0xFF;
            pos += 4;
            return v;
        }

        private int readByte() {
            need(1);
            return in[pos++] & 0xFF;
        }

        private void need(int bytes) {
            if (end - pos < bytes) {
                throw new CorruptedFrameException("bad chat frame: truncated");
            }
        }

        private long readVarint() {
            long value = 0;
            for (int i = 0; i < MAX_VARINT_BYTES; i++) {
                int b = readByte();
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new CorruptedFrameException("bad chat frame: a number longer than " + MAX_VARINT_BYTES + " bytes");
        }

        private int length() {
            long length = readVarint();
            if (length > end - pos) {
                throw new CorruptedFrameException("bad chat frame: a text of " + length + " bytes in " + (end - pos));
            }
            return (int) length;
        }

        private String readString() {
            int length = length();
            String s = new String(in, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        /** A room's name: {@link Room#GENERAL}, the room of nearly every line, without a new string each time. */
        private String readRoom() {
            if (end - pos > GENERAL.length && in[pos] == GENERAL.length
                    && Arrays.equals(in, pos + 1, pos + 1 + GENERAL.length, GENERAL, 0, GENERAL.length)) {
                pos += 1 + GENERAL.length;
                return Room.GENERAL;
            }
            return readString();
        }

        private boolean sameAt(int at, byte[] bytes) {
            return end - at >= bytes.length && Arrays.equals(in, at, at + bytes.length, bytes, 0, bytes.length);
        }

        private NodeAddress from() {
            int length = length();
            if (fromBytes == null || fromBytes.length != length || !sameAt(pos, fromBytes)) {
                from = NodeAddress.parse(new String(in, pos, length, StandardCharsets.UTF_8));
                fromBytes = Arrays.copyOfRange(in, pos, pos + length);
            }
            pos += length;
            return from;
        }

        private Envelope entry(NodeAddress sentBy) {
            int type = readByte();
            long t = readVarint();
            Message m = switch (type) {
                case SUBMIT -> new ChatSubmit(readVarint(), readString(), readRoom());
                case DELIVER -> deliver();
                case ACK -> new ChatAck(readVarint(), readVarint());
                default -> throw new CorruptedFrameException("bad chat frame: entry type " + type);
            };
            return new Envelope(sentBy, t, m);
        }

        private ChatDeliver deliver() {
            long seq = readVarint();
            long term = readVarint();
            Member who = sender();
            long msgId = readVarint();
            String text = readString();
            long stamp = readVarint();
            String room = readRoom();
            long wallClockMs = readVarint();
            int silenced = readByte();
            if (silenced > 1) {
                throw new CorruptedFrameException("bad chat frame: silenced flag " + silenced);
            }
            return new ChatDeliver(seq, term, who, msgId, text, stamp, room, wallClockMs, silenced == 1);
        }

        /**
         * The sender of a delivery: the same bytes as the last one's give the same member, without
         * decoding its name and address again (a leader's frame names one sender hundreds of times).
         */
        private Member sender() {
            int at = pos;
            if (senderBytes != null && sameAt(at, senderBytes)) {
                pos += senderBytes.length;
                return sender;
            }
            String name = readString();
            String address = readString();
            long rank = readVarint();
            Member m = new Member(name, NodeAddress.parse(address), rank);
            senderBytes = Arrays.copyOfRange(in, at, pos);
            sender = m;
            return m;
        }
    }

    private static final byte[] GENERAL = Room.GENERAL.getBytes(StandardCharsets.US_ASCII);

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
}
