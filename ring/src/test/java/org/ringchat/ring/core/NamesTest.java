package org.ringchat.ring.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.ringchat.ring.core.Names.Clash;
import org.ringchat.ring.core.Names.Key;

/** {@link Names}: what a valid name is, and which names clash (the same whatever the case, or alike). */
class NamesTest {

    private static Clash clash(String a, String b) {
        Clash there = Key.of(a).clash(Key.of(b));
        assertEquals(there, Key.of(b).clash(Key.of(a)), "a clash goes both ways: " + a + " / " + b);
        return there;
    }

    @Test
    void lettersOfAnyScriptDigitsAndUnderscoreDashDotMakeAName() {
        for (String name : new String[] {
            "alice", "Bob_2", "carol-smith", "d.e", "_", ".", "-",
            "\u0437\u043e\u044f",                                 // зоя, Cyrillic
            "\u674e\u96f7",                                       // 李雷, Han
            "\u05d3\u05df",                                       // דן, Hebrew (right to left, with no bidi control)
            "\u0645\u0631\u064a\u0645",                            // مريم, Arabic
            "jos\u00e9",                                          // josé, composed
            "\u0939\u093f\u0928\u094d\u0926\u0940",               // हिन्दी: letters with their vowel signs and virama
            "\u0e2a\u0e21\u0e0a\u0e32\u0e22",                      // สมชาย, Thai
            "\u0661\u0662\u0663",                                 // ١٢٣, Arabic-Indic digits
            "\ud835\udc00",                                       // 𝐀, a letter outside the BMP
        }) {
            assertNull(Names.problem(name), name);
        }
    }

    @Test
    void theLengthIsOneTo32CodePoints() {
        assertEquals("it is empty", Names.problem(""));
        assertNull(Names.problem("a".repeat(32)));
        assertEquals("it has 33 characters, more than 32", Names.problem("a".repeat(33)));
        // 32 letters outside the BMP are 64 Java chars: still 32 characters
        assertNull(Names.problem("\ud835\udc00".repeat(32)));
        assertEquals("it has 33 characters, more than 32", Names.problem("\ud835\udc00".repeat(33)));
        // a letter and its mark are two characters
        assertEquals("it has 34 characters, more than 32", Names.problem("\u0939\u093f".repeat(17)));
    }

    @Test
    void spacesControlsFormatAndBidiCharactersAreRefused() {
        assertEquals("it contains a space (U+0020)", Names.problem("bo b"));
        assertEquals("it contains a space (U+00A0)", Names.problem("bo\u00a0b"));
        assertEquals("it contains a space (U+3000)", Names.problem("bo\u3000b"));
        assertEquals("it contains a space (U+2028)", Names.problem("bo\u2028b"));
        assertEquals("it contains a control character (U+0009)", Names.problem("bo\tb"));
        assertEquals("it contains a control character (U+001B)", Names.problem("\u001b[31mbob"));
        assertEquals("it contains a control character (U+0085)", Names.problem("bob\u0085"));
        // the bidi controls: overrides, embeddings, isolates, marks
        for (char bidi : new char[] {'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068',
            '\u2069', '\u200e', '\u200f', '\u061c'}) {
            assertEquals(String.format("it contains an invisible format or bidi character (U+%04X)", (int) bidi),
                    Names.problem("bob" + bidi + "evil"));
        }
        // zero-width characters and a byte-order mark
        assertEquals("it contains an invisible format or bidi character (U+200B)", Names.problem("bo\u200bb"));
        assertEquals("it contains an invisible format or bidi character (U+200D)", Names.problem("bo\u200db"));
        assertEquals("it contains an invisible format or bidi character (U+FEFF)", Names.problem("\ufeffbob"));
    }

    @Test
    void punctuationSymbolsAndStrayMarksAreRefused() {
        assertEquals("it contains '!' (U+0021)", Names.problem("bob!"));
        assertEquals("it contains '@' (U+0040)", Names.problem("bob@home"));
        assertEquals("it contains '\ud83d\udc26' (U+1F426)", Names.problem("bird\ud83d\udc26"));
        assertEquals("it contains '\u2160' (U+2160)", Names.problem("henry\u2160"));   // Ⅰ, a Roman numeral, is no digit
        assertEquals("it contains a character that is not a letter (U+E000)", Names.problem("bob\ue000"));
        assertEquals("it contains a character that is not a letter (U+D800)", Names.problem("bob\ud800"));
        // a combining mark belongs to a letter: not first, not after '_', '-' or '.'
        assertEquals("it contains a combining mark with no letter before it (U+0301)", Names.problem("\u0301bob"));
        assertEquals("it contains a combining mark with no letter before it (U+0301)", Names.problem("bob_\u0301"));
        // at most four non-spacing marks on one letter, and not the same one twice (UTS #39, 5.4)
        assertNull(Names.problem("q\u0300\u0301\u0302\u0303"));
        assertEquals("it stacks more than 4 combining marks on one letter", Names.problem("q\u0300\u0301\u0302\u0303\u0304"));
        assertEquals("it repeats a combining mark (U+0308)", Names.problem("q\u0308\u0308"));
        // an enclosing mark draws a frame around the letter: refused anywhere
        assertEquals("it contains '\u20dd' (U+20DD)", Names.problem("bob\u20dd"));
    }

    @Test
    void aNameMustBeInNfcAndNormalizeMakesItSo() {
        String decomposed = "jose\u0301";   // e + combining acute
        assertEquals("it is not in Unicode normal form C (NFC)", Names.problem(decomposed));
        assertEquals("jos\u00e9", Names.normalize(decomposed));
        assertNull(Names.problem(Names.normalize(decomposed)));
        // a compatibility form is left as it is: NFC is not NFKC
        assertEquals("\ufb01", Names.normalize("\ufb01"));
    }

    @Test
    void theSameNameInAnyCaseIsTheSameName() {
        assertEquals(Clash.SAME, clash("alice", "alice"));
        assertEquals(Clash.SAME, clash("alice", "ALICE"));
        assertEquals(Clash.SAME, clash("Alice", "aLiCe"));
        // full Unicode case folding, not ASCII nor a locale's lower case
        assertEquals(Clash.SAME, clash("stra\u00dfe", "STRASSE"));                           // straße
        assertEquals(Clash.SAME, clash("\u03c3\u03bf\u03c6\u03b9\u03b1", "\u03a3\u039f\u03a6\u0399\u0391")); // σοφια, ΣΟΦΙΑ
        assertEquals(Clash.SAME, clash("\u043f\u0451\u0442\u0440", "\u041f\u0401\u0422\u0420"));             // пётр, ПЁТР
        assertEquals(Clash.SAME, clash("\u01c6", "\u01c5"));                                    // ǆ, ǅ (title case)
        assertEquals(Clash.NONE, clash("alice", "alicia"));
        assertEquals(Clash.NONE, clash("bob", "bob2"));
    }

    @Test
    void namesThatLookAlikeClashAsSpoofCheckerSays() {
        // Latin a and Cyrillic а, Latin o and Greek ο
        assertEquals(Clash.LOOKALIKE, clash("alice", "\u0430lice"));
        assertEquals(Clash.LOOKALIKE, clash("bob", "b\u03bfb"));
        // and in another case: ALICE and аlice
        assertEquals(Clash.LOOKALIKE, clash("ALICE", "\u0430lice"));
        assertEquals(Clash.LOOKALIKE, clash("\u0391LICE", "alice"));
        // l, 1 and capital I look alike; so do rn and m, and 0 and O
        assertEquals(Clash.LOOKALIKE, clash("carol", "caro1"));
        assertEquals(Clash.LOOKALIKE, clash("Iris", "lris"));
        assertEquals(Clash.LOOKALIKE, clash("modern", "rnodern"));
        assertEquals(Clash.LOOKALIKE, clash("B0B", "BOB"));
        // Latin small alpha, dotless i
        assertEquals(Clash.LOOKALIKE, clash("alice", "\u0251lice"));
        assertEquals(Clash.LOOKALIKE, clash("kir", "k\u0131r"));
        // names SpoofChecker tells apart: a lower-case i and l, a digit zero and a lower-case o
        assertEquals(Clash.NONE, clash("iris", "lris"));
        assertEquals(Clash.NONE, clash("b0b", "bob"));
        assertEquals(Clash.NONE, clash("alice", "alice_"));
        assertEquals(Clash.NONE, clash("\u0437\u043e\u044f", "zoya"));
    }

    @Test
    void aBadNameIsQuotedWithWhatIsHiddenSpeltOut() {
        assertEquals("bob\\u202Eevil", Names.quote("bob\u202eevil"));
        assertEquals("bo b", Names.quote("bo b"));
        assertEquals("bob\\u001B[31m", Names.quote("bob\u001b[31m"));
        assertEquals("\u674e\u96f7", Names.quote("\u674e\u96f7"));
    }
}
