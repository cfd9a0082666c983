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

    /** 10^0 to 10^18. */
    private static final long[] POWERS_OF_TEN = new long[19];
    /** {@code 00 01 ... 99}, a pair of digits at {@code 2 * value}. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
        for (int v = 0; v < 100; v++) {
            DIGIT_PAIRS[2 * v] = (byte) ('0' + v / 10);
            DIGIT_PAIRS[2 * v + 1] = (byte) ('0' + v % 10);
        }
    }

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
        while (digits < POWERS_OF_TEN.length && n >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        room(digits);
        int i = length + digits;
        while (n >= 100) { // two digits a division (a line has two numbers: T and the stamp)
            int pair = (int) (n % 100) * 2;
            n /= 100;
            bytes[--i] = DIGIT_PAIRS[pair + 1];
            bytes[--i] = DIGIT_PAIRS[pair];
        }
        if (n >= 10) {
            bytes[--i] = DIGIT_PAIRS[(int) n * 2 + 1];
            bytes[--i] = DIGIT_PAIRS[(int) n * 2];
        } else {
            bytes[--i] = (byte) ('0' + n);
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
