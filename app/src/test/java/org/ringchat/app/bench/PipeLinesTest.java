package org.ringchat.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How the pipe workload finds the chat lines in a node's stdout and in its {@code chat_<port>.log}. */
class PipeLinesTest {

    @Test
    void aChatLineOfStdoutGivesItsText() {
        String line = "> pipe3(127.0.0.1:40123)[17]: b42 xxxx";
        assertEquals("b42 xxxx", line.substring(PipeWorkload.chatText(line, 0)));
        // the text may hold anything, spaces and brackets included
        String odd = "> a(127.0.0.1:1)[1]: x]: (y) [2]: z";
        assertEquals("x]: (y) [2]: z", odd.substring(PipeWorkload.chatText(odd, 0)));
        // read as bytes, without decoding: a name of several bytes a character, the same place
        byte[] utf8 = "> zoë(127.0.0.1:1)[3]: b7 xx".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(utf8.length - "b7 xx".length(), PipeWorkload.chatText(new AsciiView().of(utf8, 0, utf8.length), 0));
    }

    @Test
    void noticesEventsAndOtherRoomsAreNotChat() {
        for (String line : new String[] {"* pipe2(127.0.0.1:40125) joined", "* started a new ring at 127.0.0.1:1; you",
                "> pipe3(127.0.0.1:40123)[17] #ops: hi", "> (127.0.0.1:1)[1]: no name", "> a()[1]: no address",
                "> a(127.0.0.1:1)[]: no time", "> a(127.0.0.1:1)[1x]: bad time", "> a(127.0.0.1:1)[1]:", ">", ""}) {
            assertEquals(-1, PipeWorkload.chatText(line, 0), line);
            byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(-1, PipeWorkload.chatText(new AsciiView().of(bytes, 0, bytes.length), 0), line);
        }
    }

    @Test
    void aChatLineOfTheLogGivesItsTextWithOrWithoutItsTime() {
        String stamped = "1234: 2026-11-30T08:12:03Z > pipe3(127.0.0.1:40123)[17]: b42 xx";
        assertEquals("b42 xx", stamped.substring(PipeWorkload.loggedChatText(stamped)));
        String bare = "7: > pipe3(127.0.0.1:40123)[17]: b43 xx";
        assertEquals("b43 xx", bare.substring(PipeWorkload.loggedChatText(bare)));
        for (String line : new String[] {"7: * pipe2(127.0.0.1:40125) joined", "7: ringchat 1.0: a(127.0.0.1:1) started x",
                "x: > a(127.0.0.1:1)[1]: hi", ": > a(127.0.0.1:1)[1]: hi", "> a(127.0.0.1:1)[1]: not logged"}) {
            assertEquals(-1, PipeWorkload.loggedChatText(line), line);
        }
    }
}
