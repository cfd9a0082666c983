package org.ringchat.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;
import org.jline.reader.LineReader;

/** Where the lines people see go. Used only by the {@link Printer}'s thread, but for {@link #behind}. */
interface Screen {

    void show(String line);

    /** {@link #show(String)} for a line made as UTF-8 bytes (the printer's chat lines, in pipe mode). */
    default void show(Utf8Line line) {
        show(line.toString());
    }

    /** Makes what was shown so far visible; the printer calls it after every batch. */
    default void flush() {
    }

    /** Whether lines wait for this screen so long that the user's input should wait too. Any thread. */
    default boolean behind() {
        return false;
    }

    /** Makes what was shown visible, once the printer is done. */
    default void close() {
        flush();
    }

    /**
     * Pipe mode: one line per message on {@code out}, written and flushed a batch at a time by a
     * thread of its own ({@link DetachedScreen}), so that a flood costs one write per batch rather
     * than one per line, and a stdout nobody reads holds up neither the chat log nor the node.
     *
     * @param notShown the line that says how many lines were not shown, the output not being read
     */
    static Screen detached(OutputStream out, LongFunction<String> notShown, String threadName) {
        return new DetachedScreen((bytes, length) -> {
            try {
                out.write(bytes, 0, length);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, notShown, threadName);
    }

    /**
     * Terminal mode on a thread of its own ({@link DetachedScreen}): each line above the prompt,
     * never garbling what the user is typing; a terminal held with Ctrl-S holds up nothing else.
     */
    static Screen detached(LineReader reader, LongFunction<String> notShown, String threadName) {
        return new DetachedScreen((bytes, length) -> new String(bytes, 0, length, StandardCharsets.UTF_8).lines()
                .forEach(reader::printAbove), notShown, threadName);
    }
}
