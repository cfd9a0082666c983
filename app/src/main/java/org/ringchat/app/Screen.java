package org.ringchat.app;

import java.io.PrintStream;
import org.jline.reader.LineReader;

/** Where the lines people see go. Used only by the {@link Printer}'s thread. */
interface Screen {

    void show(String line);

    /** {@link #show(String)} for a line made as UTF-8 bytes (the printer's chat lines, in pipe mode). */
    default void show(Utf8Line line) {
        show(line.toString());
    }

    /** Makes what was shown so far visible; the printer calls it after every batch. */
    default void flush() {
    }

    /**
     * Pipe mode: one line per message on {@code out}, which should be buffered; the printer
     * flushes it after each batch of lines, not after each line, so that a flood costs one write
     * per batch rather than one per line. {@code out} must encode UTF-8: chat lines made as
     * UTF-8 bytes are written to it as they are.
     */
    static Screen of(PrintStream out) {
        return new Screen() {
            @Override
            public void show(String line) {
                out.println(line);
            }

            @Override
            public void show(Utf8Line line) {
                out.write(line.bytes(), 0, line.length()); // as println would encode it, without encoding it
                out.write(Utf8Line.LINE_END, 0, Utf8Line.LINE_END.length);
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
    }

    /** Terminal mode: above the prompt, never garbling what the user is typing. */
    static Screen of(LineReader reader) {
        return reader::printAbove;
    }
}
