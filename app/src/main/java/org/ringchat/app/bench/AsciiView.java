package org.ringchat.app.bench;

import java.util.Objects;

/**
 * Bytes seen as characters without decoding them, each byte the character of its value (ASCII as
 * it is, a byte of a multi-byte UTF-8 character as a character above U+007F, never one of
 * ASCII's): a line of a child's stdout, which the bench parses as it reads it, every line of every
 * node, without making a {@code String} of each. Reused from line to line; not thread-safe.
 */
final class AsciiView implements CharSequence {

    private byte[] bytes = new byte[0];
    private int from;
    private int length;

    /** Now {@code bytes[from..to)}. */
    AsciiView of(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.from = from;
        this.length = to - from;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return (char) (bytes[from + Objects.checkIndex(index, length)] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        Objects.checkFromToIndex(start, end, length);
        return new AsciiView().of(bytes, from + start, from + end);
    }

    @Override
    public String toString() {
        return new String(bytes, from, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
