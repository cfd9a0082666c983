package org.ringchat.app;

import java.io.PrintStream;
import org.jline.reader.LineReader;

/** Where the lines people see go. Used only by the {@link Printer}'s thread. */
interface Screen {

    void show(String line);

    /** Pipe mode: one line per message on stdout, flushed per line. */
    static Screen of(PrintStream out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }

    /** Terminal mode: above the prompt, never garbling what the user is typing. */
    static Screen of(LineReader reader) {
        return reader::printAbove;
    }
}
