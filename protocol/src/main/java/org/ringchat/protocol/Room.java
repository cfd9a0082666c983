package org.ringchat.protocol;

import java.util.regex.Pattern;

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

    private static final Pattern VALID = Pattern.compile("[\\p{L}\\p{N}_.\\-]{1," + MAX_LENGTH + "}");

    private Room() {
    }

    public static boolean valid(String room) {
        return room != null && VALID.matcher(room).matches();
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
