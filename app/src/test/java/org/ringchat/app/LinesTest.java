package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingEvent.Kind;

class LinesTest {

    static final Member BOB = new Member("bob", new NodeAddress("127.0.0.1", 5001), 2);

    @Test
    void chatMessageShowsSenderStampAndText() {
        ChatMessage m = new ChatMessage(1, BOB, 1, "hello there", 17, 23, "general", 0);
        assertEquals("> bob(127.0.0.1:5001)[17]: hello there", Lines.chat(m));
    }

    @Test
    void shownEventsGetAStarOthersStayBare() {
        assertEquals("* bob(127.0.0.1:5001) joined", Lines.event(new RingEvent(Kind.JOINED, 4, "bob(127.0.0.1:5001) joined")));
        assertEquals("next x, previous y", Lines.event(new RingEvent(Kind.NEIGHBORS, 5, "next x, previous y")));
    }

    @Test
    void theLogStampsALineWithTheSecondInUtcItWasOrdered() {
        ChatMessage m = new ChatMessage(1, BOB, 1, "hi", 17, 23, "general", 1_764_490_323_999L);
        assertEquals("2025-11-30T08:12:03Z > bob(127.0.0.1:5001)[17]: hi", Lines.stamped(m));
        assertEquals("", Lines.stamp(0));
    }

    @Test
    void theChatLineMadeAsBytesIsTheChatLineEncoded() {
        Member odd = new Member("zoë", new NodeAddress("127.0.0.1", 5001), 2);
        Utf8Line line = new Utf8Line();
        for (ChatMessage m : new ChatMessage[] {
            new ChatMessage(1, BOB, 1, "hello there", 17, 23, "general", 0),
            new ChatMessage(1, BOB, 1, "", 0, 23, "general", 0),
            new ChatMessage(1, odd, 1, "ünï 🐦 \u202e\r\n\ud800x " + "y".repeat(300), 9_007_199_254_740_993L, 23, "ops\u0007", 0),
            new ChatMessage(1, BOB, 1, "tail é", 1234567890, 23, "general", 0)}) {
            byte[] display = Lines.visible(m.sender().display()).getBytes(StandardCharsets.UTF_8);
            Lines.chat(line.clear(), m, display);
            String expected = Lines.chat(m);
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(line.bytes(), line.length()), expected);
            assertEquals(expected, line.toString());
        }
        assertEquals("0 -5 9223372036854775807", new Utf8Line().append(0).ascii(' ').append(-5).ascii(' ')
                .append(Long.MAX_VALUE).toString());
    }

    @Test
    void logLineAndPrompt() {
        assertEquals("23: > bob(127.0.0.1:5001)[17]: hi", Lines.logged(23, "> bob(127.0.0.1:5001)[17]: hi"));
        assertEquals("> bob(127.0.0.1:5001): ", Lines.prompt(BOB.display()));
    }

    @Test
    void whatCouldActOnATerminalIsShownAsEscapes() {
        // an escape sequence that would clear the screen, a fake line after a newline, a bidi override
        ChatMessage m = new ChatMessage(1, BOB, 1, "\u001b[2J\r\n> alice(127.0.0.1:5000)[9]: fake \u202eevil", 17, 23, "general", 0);
        assertEquals("> bob(127.0.0.1:5001)[17]: \\x1b[2J\\x0d\\x0a> alice(127.0.0.1:5000)[9]: fake \\u202eevil",
                Lines.chat(m));
        // C1 controls, zero-width characters, a lone surrogate; emoji and accents stay as they are
        assertEquals("\\x9b\\u200b\\ud800 ünï 🐦", Lines.visible("\u009b\u200b\ud800 ünï 🐦"));
        assertEquals("* bob\\x07 joined", Lines.event(new RingEvent(Kind.JOINED, 4, "bob\u0007 joined")));
        // a high surrogate with no low one after it, at the end and before another character
        assertEquals("a\\ud83d", Lines.visible("a\ud83d"));
        assertEquals("\\ud83dx\\udc26", Lines.visible("\ud83dx\udc26"));
        // nothing to do: the same string back
        String plain = "just text, with a \\ backslash";
        assertEquals(plain, Lines.visible(plain));
    }
}
