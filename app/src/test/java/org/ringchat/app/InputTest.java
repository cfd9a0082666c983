package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputTest {

    @Test
    void aPasteOfSeveralLinesIsHandedOnLineByLineInOrderWithoutTheEmptyOnes() {
        Iterator<String> typed = List.of("before", "one\ntwo\r\n\r\nthree\n", "\n", "after").iterator();
        Input input = Input.lineByLine(() -> typed.hasNext() ? typed.next() : null);

        List<String> lines = new ArrayList<>();
        for (String line; (line = input.readLine()) != null; ) {
            lines.add(line);
        }

        assertEquals(List.of("before", "one", "two", "three", "after"), lines);
    }

    @Test
    void anEmptyLineTypedAloneStaysAsItIs() {
        Iterator<String> typed = List.of("", "x").iterator();
        Input input = Input.lineByLine(() -> typed.hasNext() ? typed.next() : null);
        assertEquals("", input.readLine());
        assertEquals("x", input.readLine());
        assertEquals(null, input.readLine());
    }
}
