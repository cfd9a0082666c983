package org.ringchat.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
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

    /**
     * Terminal mode: JLine with a prompt; Ctrl-D and Ctrl-C end the input. A bracketed paste of
     * several lines comes back as one entry; it is handed on line by line ({@link #lineByLine}).
     * The prompt is asked for afresh at each line: a merge may rename this node.
     */
    static Input of(LineReader reader, Supplier<String> prompt) {
        return lineByLine(() -> {
            try {
                return reader.readLine(prompt.get());
            } catch (EndOfFileException | UserInterruptException e) {
                return null;
            }
        });
    }

    /**
     * {@code input} with every entry that holds several lines (a paste) handed on as its lines,
     * in order, the empty ones left out, so that each is sent as its own message.
     */
    static Input lineByLine(Input input) {
        Deque<String> pending = new ArrayDeque<>();
        return () -> {
            while (pending.isEmpty()) {
                String entry = input.readLine();
                if (entry == null) {
                    return null;
                }
                if (entry.indexOf('\n') < 0 && entry.indexOf('\r') < 0) {
                    return entry;
                }
                for (String line : entry.split("\\R")) {
                    if (!line.isEmpty()) {
                        pending.add(line);
                    }
                }
            }
            return pending.poll();
        };
    }
}
