package org.ringchat.app;

import java.nio.charset.StandardCharsets;

/**
 * A line of output made directly as UTF-8 bytes, reused from one line to the next: the printer
 * makes each chat line once, into one of these, and hands the same bytes to the chat log and to
 * stdout, without a {@code String}, a {@code Writer} or a charset encoder a line. Not thread-safe.
 */
final class Utf8Line {

    /** The line end of the log and the screen, as {@code println} and {@code BufferedWriter.newLine} write it. */
    static final byte[] LINE_END = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    private byte[] bytes = new byte[256];
    private int length;

    Utf8Line clear() {
        length = 0;
        return this;
    }

    /** The bytes so far are {@code bytes()[0..length())}. */
    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** {@code c}, which must be ASCII. */
    Utf8Line ascii(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** {@code s}, which must be ASCII. */
    Utf8Line ascii(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    Utf8Line append(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    /** {@code n} in decimal, as {@link Long#toString(long)} writes it. */
    Utf8Line append(long n) {
        if (n < 0) {
            return ascii(Long.toString(n)); // never on the printer's path: T and stamps are not negative
        }
        int digits = 1;
        for (long rest = n / 10; rest != 0; rest /= 10) {
            digits++;
        }
        room(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        length += digits;
        return this;
    }

    /**
     * {@link Lines#visible}{@code (text)}, encoded: printable ASCII, most of every line, byte by
     * byte; from the first character that is not, the rest through {@link Lines#visible} and
     * {@link String#getBytes} (which is the same: the characters before it are no surrogates).
     */
    Utf8Line visible(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                return append(Lines.visible(text.substring(i)).getBytes(StandardCharsets.UTF_8));
            }
            bytes[length++] = (byte) c;
        }
        return this;
    }

    private void room(int more) {
        if (bytes.length - length < more) {
            byte[] larger = new byte[Math.max(bytes.length * 2, length + more)];
            System.arraycopy(bytes, 0, larger, 0, length);
            bytes = larger;
        }
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
