package org.ringchat.app.bench;

import java.util.Arrays;

/**
 * The chat lines a benchmark sends: {@code b<id> } followed by {@code x}s up to the size asked
 * for, so that every member can tell which message it delivered without the text being shipped
 * back to the driver.
 */
final class BenchText {

    private BenchText() {
    }

    /** The text of message {@code id}: {@code size} characters, or just {@code b<id>} if that is longer. */
    static String of(long id, int size) {
        String head = "b" + id;
        if (head.length() >= size) {
            return head;
        }
        return head + " " + "x".repeat(size - head.length() - 1);
    }

    /**
     * {@link #of}'s text as ASCII bytes, written to {@code out} from index 0 (which must have room
     * for {@code max(size, 20)} bytes); its length.
     */
    static int of(long id, int size, byte[] out) {
        out[0] = 'b';
        int length = 1;
        for (char c : Long.toString(id).toCharArray()) {
            out[length++] = (byte) c;
        }
        if (length >= size) {
            return length;
        }
        out[length++] = ' ';
        Arrays.fill(out, length, size, (byte) 'x');
        return size;
    }

    /** The id in a text made by {@link #of}, or -1 when the text is not one. */
    static long id(String text) {
        return id(text, 0);
    }

    /** The id in the text made by {@link #of} that starts at index {@code from} of {@code line}, or -1 when it is not one. */
    static long id(CharSequence line, int from) {
        int length = line.length() - from;
        if (length < 2 || line.charAt(from) != 'b') {
            return -1;
        }
        long id = 0;
        int i = 1;
        for (; i < length && line.charAt(from + i) != ' '; i++) {
            char c = line.charAt(from + i);
            if (c < '0' || c > '9' || i > 18) {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return i == 1 ? -1 : id;
    }
}
