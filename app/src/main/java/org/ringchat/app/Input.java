package org.ringchat.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/** Where the user's lines come from. */
interface Input {

    /** The next line, or null when the user is done (end of input, Ctrl-D, Ctrl-C). */
    String readLine();

    /** Pipe mode: lines from stdin, no prompt. */
    static Input of(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return () -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Terminal mode: JLine with a prompt; Ctrl-D and Ctrl-C end the input. */
    static Input of(LineReader reader, String prompt) {
        return () -> {
            try {
                return reader.readLine(prompt);
            } catch (EndOfFileException | UserInterruptException e) {
                return null;
            }
        };
    }
}
