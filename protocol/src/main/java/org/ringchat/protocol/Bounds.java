package org.ringchat.protocol;

import java.text.Normalizer;
import java.util.List;

/**
 * The plausible range of every number and text a frame may carry. A message outside it is not
 * built, so a frame that carries one fails to decode and closes its connection: no single frame,
 * from a stranger or from a member, can push a counter towards overflow or put unprintable text
 * in front of the users.
 */
public final class Bounds {

    /**
     * The largest counter a frame may carry: terms, sequence numbers, message ids, ranks, view
     * versions (2^53, as Lamport times). A ring counting a million a second needs 285 years to
     * get there; a node that did would refuse to count further rather than wrap around.
     */
    public static final long MAX_COUNTER = LamportClock.MAX;

    /** Most members a view may list. A ring is a few hundred members at most; this is far beyond. */
    public static final int MAX_MEMBERS = 10_000;

    /** Longest name a frame may carry, in code points (Unicode characters, not Java chars). */
    public static final int MAX_NAME_LENGTH = 32;

    /** Most messages one frame may list (a history chunk, a catch-up reply). */
    public static final int MAX_ENTRIES = 100_000;

    /**
     * Most lost members a {@code JoinAccepted} may tell (a leader remembers at most as many, the
     * ring's {@code LostMembers.MAX_REMEMBERED}): 256 members of at most 32 characters' names take
     * under 80 KB of JSON, well inside the frame that the history leaves.
     */
    public static final int MAX_LOST_MEMBERS = 256;

    private Bounds() {
    }

    /** A counter: 0 to {@link #MAX_COUNTER}. */
    public static long counter(String what, long value) {
        if (value < 0 || value > MAX_COUNTER) {
            throw new IllegalArgumentException(what + " out of range: " + value);
        }
        return value;
    }

    /** A sequence number that may be -1 for "none yet". */
    public static long position(String what, long value) {
        if (value < -1 || value > MAX_COUNTER) {
            throw new IllegalArgumentException(what + " out of range: " + value);
        }
        return value;
    }

    /** A size: 0 to {@code max}. */
    public static <T> List<T> size(String what, List<T> list, int max) {
        if (list.size() > max) {
            throw new IllegalArgumentException(what + ": " + list.size() + " entries, at most " + max);
        }
        return list;
    }

    /** Text that is valid Unicode: every surrogate in a pair. */
    public static String text(String what, String text) {
        // one comparison a character until the first surrogate, if any: every chat line is checked
        // where its message is built, twice at the leader (a frequent frame of its loop in issue 10's profile)
        int n = text.length();
        int first = 0;
        while (first < n && !Character.isSurrogate(text.charAt(first))) {
            first++;
        }
        for (int i = first; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " is not valid Unicode (a lone surrogate at " + i + ")");
            }
        }
        return text;
    }

    /**
     * A name: valid Unicode, 1 to {@link #MAX_NAME_LENGTH} code points, in normal form C, and no
     * space, control or format character (the bidi controls are format characters), so that no
     * name a frame carries can hide, reorder or fake text on a screen. Which letters a name may
     * use beyond that is the leader's decision when it admits one: those tables change with each
     * Unicode version, and a member must not refuse a view because its JDK is older than the
     * leader's tables.
     */
    public static String name(String what, String name) {
        text(what, name);
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i += Character.charCount(name.codePointAt(i))) {
            if (isHidden(name.codePointAt(i))) {
                throw new IllegalArgumentException(what + " contains a space, control or format character"
                        + String.format(" (U+%04X)", name.codePointAt(i)));
            }
        }
        if (!Normalizer.isNormalized(name, Normalizer.Form.NFC)) {
            throw new IllegalArgumentException(what + " is not in Unicode normal form C (NFC)");
        }
        return name;
    }

    /** A space, a control or a format character (which include the bidi controls). */
    public static boolean isHidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }
}
