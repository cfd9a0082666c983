package org.ringchat.protocol;

/**
 * Room names: 1 to {@link #MAX_LENGTH} Unicode letters, digits, {@code _}, {@code -} and
 * {@code .}, compared as written (a room is what its first user typed). Every node starts in
 * {@link #GENERAL}.
 */
public final class Room {

    /** The room every node starts in, and returns to with {@code //leave}. */
    public static final String GENERAL = "general";

    /** Longest room name, in characters. */
    public static final int MAX_LENGTH = 32;

    private Room() {
    }

    /** Checked on every line that crosses the wire, so by hand rather than by a regular expression. */
    public static boolean valid(String room) {
        if (room == null || room.isEmpty() || room.length() > 2 * MAX_LENGTH) {
            return false;
        }
        if (room.equals(GENERAL)) {
            return true;
        }
        int count = 0;
        for (int i = 0; i < room.length(); i += Character.charCount(room.codePointAt(i))) {
            int c = room.codePointAt(i);
            if (!(Character.isLetter(c) || Character.isDigit(c) || Character.getType(c) == Character.LETTER_NUMBER
                    || Character.getType(c) == Character.OTHER_NUMBER || c == '_' || c == '.' || c == '-')) {
                return false;
            }
            count++;
        }
        return count <= MAX_LENGTH;
    }

    /** {@code room} if it is a valid room name; otherwise an exception that says what a room name is. */
    public static String check(String room) {
        if (!valid(room)) {
            throw new IllegalArgumentException("a room name has 1 to " + MAX_LENGTH
                    + " letters, digits, '_', '-' or '.': " + room);
        }
        return room;
    }
}
