package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
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

    @Test
    void thePromptIsAskedForAfreshAtEachLineSoThatARenameShows() throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        AtomicReference<String> name = new AtomicReference<>("N0");
        try (Terminal terminal = new DumbTerminal(new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8)), screen)) {
            Input input = Input.of(LineReaderBuilder.builder().terminal(terminal).build(), () -> "> " + name.get() + ": ");
            assertEquals("one", input.readLine());
            name.set("N0-2"); // a merge renamed this node
            assertEquals("two", input.readLine());
        }
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertEquals(true, shown.indexOf("> N0: ") >= 0 && shown.indexOf("> N0-2: ") > shown.indexOf("> N0: "), shown);
    }
}
