package org.ringchat.ring.core;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import org.ringchat.protocol.Bounds;

/**
 * What a member name is, and when two names clash. A name is 1 to 32 Unicode letters (any
 * script), decimal digits, {@code _}, {@code -} and {@code .}, where a letter may carry the
 * combining marks its script writes with it (Devanagari vowel signs, Thai tone marks); it is in
 * normal form C, and holds no space, control, format or bidi character, nor a pile of marks on one
 * letter (UTS #39's optional checks: at most four non-spacing marks in a row, none twice in a
 * row). Two names clash when
 * they are the same name whatever their case, or look alike (Unicode confusables, UTS #39).
 * The tables are ICU4J's, so every node of one ringchat version judges names alike, whatever its JDK.
 */
public final class Names {

    /** Most characters (code points) in a name. */
    public static final int MAX_LENGTH = Bounds.MAX_NAME_LENGTH;

    /** Most non-spacing marks in a row (UTS #39, 5.4): more only pile up on the screen. */
    static final int MAX_MARKS = 4;

    /** What to do about a bad name, for people. */
    public static final String RULE = "use 1-" + MAX_LENGTH + " letters, digits, '_', '-' or '.'";

    private static final Normalizer2 NFC = Normalizer2.getNFCInstance();
    private static final Normalizer2 NFD = Normalizer2.getNFDInstance();

    /**
     * The confusables' checker, built on first use: only a leader admitting a newcomer, a
     * moderator and a merge compare names ({@link Key}), while every node's start checks its own
     * name ({@link #normalize}, {@link #problem}). Building it reads ICU4J's confusables and
     * identifier tables and loads about 120 classes, some 30-40 ms in a fresh JVM, which a node's
     * start no longer waits for (a leader's first build is usually its failover rehearsal's, on
     * the warm-up thread). Thread-safe once built (ICU4J's documentation), so one serves every node.
     */
    private static final class Spoof {
        static final SpoofChecker CHECKER = new SpoofChecker.Builder().build();

        private Spoof() {
        }
    }

    /** How a name relates to another. */
    public enum Clash {
        /** Different names, and they do not look alike. */
        NONE,
        /** The same name, in the same or another case. */
        SAME,
        /** Different names that look alike. */
        LOOKALIKE
    }

    /**
     * A name and the forms it is compared in: its canonical case folding ({@code NFD(fold(NFD(name)))},
     * Unicode's canonical caseless match, D145), the UTS #39 skeleton of the name, and the skeleton
     * of its folding.
     */
    public record Key(String name, String folded, String skeleton, String foldedSkeleton) {

        public static Key of(String name) {
            String folded = NFD.normalize(UCharacter.foldCase(NFD.normalize(name), true));
            return new Key(name, folded, Spoof.CHECKER.getSkeleton(name), Spoof.CHECKER.getSkeleton(folded));
        }

        /**
         * {@link Clash#SAME} when the foldings are equal; {@link Clash#LOOKALIKE} when the
         * skeletons are, of the names (so {@code Iris} and {@code lris}, which folding would tell
         * apart) or of their foldings (so {@code ALICE} and {@code аlice} with a Cyrillic а).
         */
        public Clash clash(Key other) {
            if (folded.equals(other.folded)) {
                return Clash.SAME;
            }
            if (skeleton.equals(other.skeleton) || foldedSkeleton.equals(other.foldedSkeleton)) {
                return Clash.LOOKALIKE;
            }
            return Clash.NONE;
        }
    }

    private Names() {
    }

    /** What a user typed, in normal form C: the form a name travels and is compared in. */
    public static String normalize(String name) {
        return NFC.normalize(name);
    }

    /** Why {@code name} is not a valid member name, for people ("it contains a space (U+0020)"); null when it is one. */
    public static String problem(String name) {
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            return "it is empty";
        }
        if (length > MAX_LENGTH) {
            return "it has " + length + " characters, more than " + MAX_LENGTH;
        }
        int previous = -1;
        int marks = 0;
        for (int i = 0; i < name.length(); i += Character.charCount(name.codePointAt(i))) {
            int c = name.codePointAt(i);
            if (!allowed(c, previous)) {
                return "it contains " + describe(c);
            }
            // UTS #39, 5.4: no run of more than four non-spacing marks, nor the same one twice in a row
            marks = UCharacter.getType(c) == UCharacterCategory.NON_SPACING_MARK ? marks + 1 : 0;
            if (marks > MAX_MARKS) {
                return "it stacks more than " + MAX_MARKS + " combining marks on one letter";
            }
            if (marks > 1 && c == previous) {
                return "it repeats a combining mark" + String.format(" (U+%04X)", c);
            }
            previous = c;
        }
        if (!NFC.isNormalized(name)) {
            return "it is not in Unicode normal form C (NFC)";
        }
        return null;
    }

    /** The name as it may be shown in an error line: anything hidden is spelt {@code \}{@code uXXXX}. */
    public static String quote(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (c != ' ' && (Bounds.isHidden(c) || Character.getType(c) == Character.SURROGATE)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean allowed(int c, int previous) {
        if (c == '_' || c == '-' || c == '.' || UCharacter.isLetter(c) || UCharacter.isDigit(c)) {
            return true;
        }
        // a combining mark belongs to the letter or digit (or mark) before it
        return isMark(c) && previous >= 0 && (UCharacter.isLetterOrDigit(previous) || isMark(previous));
    }

    /** A non-spacing or spacing combining mark (not an enclosing one, which draws a frame around its letter). */
    private static boolean isMark(int c) {
        int type = UCharacter.getType(c);
        return type == UCharacterCategory.NON_SPACING_MARK || type == UCharacterCategory.COMBINING_SPACING_MARK;
    }

    private static String describe(int c) {
        String code = String.format("U+%04X", c);
        int type = UCharacter.getType(c);
        if (type == UCharacterCategory.SPACE_SEPARATOR || type == UCharacterCategory.LINE_SEPARATOR
                || type == UCharacterCategory.PARAGRAPH_SEPARATOR) {
            return "a space (" + code + ")";
        }
        if (type == UCharacterCategory.CONTROL) {
            return "a control character (" + code + ")";
        }
        if (type == UCharacterCategory.FORMAT) {
            return "an invisible format or bidi character (" + code + ")";
        }
        if (isMark(c)) {
            return "a combining mark with no letter before it (" + code + ")";
        }
        if (type == UCharacterCategory.SURROGATE || type == UCharacterCategory.UNASSIGNED
                || type == UCharacterCategory.PRIVATE_USE) {
            return "a character that is not a letter (" + code + ")";
        }
        return "'" + new String(Character.toChars(c)) + "' (" + code + ")";
    }
}
