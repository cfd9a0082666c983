package org.ringchat.app.bench;

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

    /** The id in a text made by {@link #of}, or -1 when the text is not one. */
    static long id(String text) {
        if (text.length() < 2 || text.charAt(0) != 'b') {
            return -1;
        }
        long id = 0;
        int i = 1;
        for (; i < text.length() && text.charAt(i) != ' '; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || i > 18) {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return i == 1 ? -1 : id;
    }
}
