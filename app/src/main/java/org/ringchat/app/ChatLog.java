package org.ringchat.app;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-facing record {@code chat_<port>.log}: one line {@code T: text} per chat message and
 * ring event, T being the node's Lamport time. Appends; written by one thread, in the order the
 * node emitted, so T never goes backwards within one run. Not thread-safe.
 */
final class ChatLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ChatLog.class);

    private final Path path;
    private final BufferedWriter out;
    private long lastLamport = -1;

    private ChatLog(Path path, BufferedWriter out) {
        this.path = path;
        this.out = out;
    }

    /** Opens (creating or appending to) {@code chat_<port>.log} in {@code dir}. */
    static ChatLog open(Path dir, int port) throws IOException {
        Path path = dir.resolve(fileName(port));
        return new ChatLog(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    static String fileName(int port) {
        return "chat_" + port + ".log";
    }

    /**
     * The diagnostics file that goes with a chat log: {@code chat_<port>.log} has
     * {@code ringchat_<port>.diag.log} next to it.
     */
    static Path diagnostics(Path chatLog) {
        String name = chatLog.getFileName().toString();
        String stem = name.substring("chat_".length(), name.length() - ".log".length());
        return chatLog.resolveSibling("ringchat_" + stem + ".diag.log");
    }

    Path path() {
        return path;
    }

    /** Writes {@code T: line} and returns it; call {@link #flush()} after a batch. */
    String append(long lamport, String line) {
        if (lamport < lastLamport) {
            log.warn("Lamport time went backwards in {}: {} after {}", path, lamport, lastLamport);
        }
        lastLamport = Math.max(lastLamport, lamport);
        String text = Lines.logged(lamport, line);
        try {
            out.write(text);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text;
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
