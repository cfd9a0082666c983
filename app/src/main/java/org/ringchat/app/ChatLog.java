package org.ringchat.app;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ringchat.protocol.NodeAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-facing record {@code chat_<port>.log}: one line {@code T: text} per chat message and
 * ring event, T being the node's Lamport time. One file per node (address and port) per
 * directory: {@code chat_<port>.log}, unless that file belongs to a node on another address (its
 * first header names it) or is held by a running node, and then {@code chat_<IP>_<port>.log}.
 * Appends; each run starts with a {@link #header} line, and the node's clock starts at the last T
 * of the file ({@link #lastLamport()}), so T never goes backwards within the file, across runs
 * too. The file is locked while the node runs. Written by one thread; not thread-safe.
 */
final class ChatLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ChatLog.class);
    /** The header: {@code T: ringchat <version>: <name>(<address>) started <UTC time>}. */
    static final Pattern HEADER = Pattern.compile("\\d+: ringchat \\S+: .*\\((\\S+)\\) started \\S+");
    /** How much of the file's end is read to find its last T. */
    private static final int TAIL_BYTES = 64 * 1024;
    /**
     * What is written waits in a buffer of this size until {@link #flush()} (the printer's, after
     * each batch) or until it is full. Too small and a batch of lines costs several writes; the
     * printer's batches are at most {@link Printer#MAX_BATCH} lines of about 150-300 bytes.
     */
    static final int BUFFER_BYTES = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    /** The bytes written since the last flush: {@code buffer[0..buffered)}. */
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int buffered;
    /** Where {@code T: } is made, a line at a time. */
    private final Utf8Line lamportPrefix = new Utf8Line();
    private long lastLamport;

    private ChatLog(Path path, FileChannel channel, FileLock lock, long lastLamport) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.lastLamport = lastLamport;
    }

    /** Opens (creating or appending to) the chat log of the node at {@code address} in {@code dir}. */
    static ChatLog open(Path dir, NodeAddress address) throws IOException {
        ChatLog shared = tryOpen(dir.resolve(fileName(address.port())), address);
        return shared != null ? shared : tryOpen(dir.resolve(fileName(address)), address);
    }

    /** The log at {@code path} if it is this node's (or nobody's yet), locked; null if it is another node's. */
    private static ChatLog tryOpen(Path path, NodeAddress address) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLock(channel);
            String owner = lock == null ? null : owner(channel);
            if (lock == null || owner != null && !owner.equals(address.toString())) {
                if (lock != null) {
                    lock.release();
                }
                channel.close();
                return null;
            }
            long last = lastLamport(channel);
            channel.position(channel.size());
            return new ChatLog(path, channel, lock, last);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held in this process already
        }
    }

    /** {@code chat_<port>.log}: the usual name, which scripts rely on. */
    static String fileName(int port) {
        return "chat_" + port + ".log";
    }

    /** {@code chat_<IP>_<port>.log}: for a second node on the same port, on another address. */
    static String fileName(NodeAddress address) {
        return "chat_" + address.host().replaceAll("[^A-Za-z0-9.]", "-") + "_" + address.port() + ".log";
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

    /** The address the file's first header names, or null (a new file, or one from before headers). */
    private static String owner(FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(head, 0);
        String first = new String(head.array(), 0, head.position(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        Matcher m = HEADER.matcher(first);
        return m.matches() ? m.group(1) : null;
    }

    /** The last T in the file, 0 if there is none. */
    private static long lastLamport(FileChannel channel) throws IOException {
        long size = channel.size();
        int n = (int) Math.min(size, TAIL_BYTES);
        ByteBuffer tail = ByteBuffer.allocate(n);
        channel.read(tail, size - n);
        return lastLamport(new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8));
    }

    /** The T of the last {@code T: text} line of {@code text}, 0 if there is none. */
    static long lastLamport(String text) {
        long last = 0;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0 && colon <= 16 && line.substring(0, colon).chars().allMatch(Character::isDigit)) {
                last = Math.max(last, Long.parseLong(line.substring(0, colon))); // at most 2^53: 16 digits
            }
        }
        return last;
    }

    Path path() {
        return path;
    }

    /** The last T written to the file, before this run or in it; this run's clock starts there. */
    long lastLamport() {
        return lastLamport;
    }

    /** Starts a run: {@code T: ringchat <version>: <name>(<address>) started <UTC time>}, T being the last T. */
    String header(String version, String display, Instant start) {
        return append(lastLamport, "ringchat " + version + ": " + display + " started "
                + start.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Writes {@code T: line} and returns it; call {@link #flush()} after a batch. */
    String append(long lamport, String line) {
        append(lamport, "", line);
        return Lines.logged(lamport, line);
    }

    /**
     * Writes {@code T: } {@code prefix} {@code line} as one line; call {@link #flush()} after a
     * batch.
     */
    void append(long lamport, String prefix, String line) {
        lamport(lamport);
        write(prefix.getBytes(StandardCharsets.UTF_8));
        write(line.getBytes(StandardCharsets.UTF_8));
        write(Utf8Line.LINE_END);
    }

    /**
     * Writes {@code T: } {@code stamp} {@code line} as one line, the stamp and the line already
     * UTF-8 (the printer's way, a chat line at a time); call {@link #flush()} after a batch.
     */
    void append(long lamport, byte[] stamp, Utf8Line line) {
        lamport(lamport);
        write(stamp, 0, stamp.length);
        write(line.bytes(), 0, line.length());
        write(Utf8Line.LINE_END);
    }

    /** Writes {@code T: }, with a warning when T went backwards. */
    private void lamport(long lamport) {
        if (lamport < lastLamport) {
            log.warn("Lamport time went backwards in {}: {} after {}", path, lamport, lastLamport);
        }
        lastLamport = Math.max(lastLamport, lamport);
        lamportPrefix.clear().append(lamport).ascii(": ");
        write(lamportPrefix.bytes(), 0, lamportPrefix.length());
    }

    private void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    private void write(byte[] bytes, int offset, int length) {
        if (length > buffer.length - buffered) {
            flush();
            if (length > buffer.length) {
                writeOut(ByteBuffer.wrap(bytes, offset, length));
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, buffered, length);
        buffered += length;
    }

    /**
     * Writes what is buffered to the file. When the file cannot take it, what was buffered is
     * dropped (the printer reports the failure once and goes on; those lines are not written).
     */
    void flush() {
        int length = buffered;
        buffered = 0;
        if (length > 0) {
            writeOut(ByteBuffer.wrap(buffer, 0, length));
        }
    }

    private void writeOut(ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        }
    }
}
