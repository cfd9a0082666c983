package org.ringchat.app;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The screen on a thread of its own. The printer hands it each batch's lines as one block of
 * UTF-8 ({@link #flush}) and goes on, so a screen that takes nothing (a pipe whose reader stopped
 * reading, a terminal held with Ctrl-S) holds up neither the chat log nor the node, and makes
 * neither of them hold lines without bound.
 *
 * <p>At most {@link #MAX_PENDING_BYTES} wait for the screen. A batch that would take more is not
 * shown; when the screen shows the next batch it first says how many lines it did not show (the
 * chat log has every one). The thread reading the user's input waits while more than a quarter of
 * that waits ({@link #behind}): a node's own lines stop coming before any line is dropped, and
 * what is dropped is what the other members said while nobody read this node's output.
 */
final class DetachedScreen implements Screen {

    private static final Logger log = LoggerFactory.getLogger(DetachedScreen.class);

    /**
     * Bytes of output that may wait for a screen that does not take them: about 120,000 chat
     * lines of 100 characters, more than two seconds of the fastest flood a ring delivers on the
     * development machine (issue 10's pipe workload, 48,000 lines a second at N=10). Beyond it a
     * batch is not shown. Input waits at a quarter of it.
     */
    static final int MAX_PENDING_BYTES = 16 * 1024 * 1024;
    /** How long {@link #close} waits for the screen to take what waits, before leaving it. */
    static final long CLOSE_WAIT_MS = 5_000;

    /** Where the lines go, on the screen's thread. */
    interface Sink {
        /** Shows {@code bytes[0..length)}, whole lines of UTF-8, and makes them visible. */
        void write(byte[] bytes, int length);
    }

    /** A batch of lines; {@code droppedBefore}: the lines not shown just before it. */
    private record Block(byte[] bytes, int length, long droppedBefore) {
    }

    private static final Block STOP = new Block(new byte[0], 0, 0);

    private final Sink sink;
    private final LongFunction<String> notShown;
    private final int maxPending;
    private final BlockingQueue<Block> blocks = new LinkedBlockingQueue<>();
    /** Bytes handed to the screen's thread and not written yet. */
    private final AtomicLong pending = new AtomicLong();
    private final Thread thread;
    /** The screen's thread's: whether a write failed (reported once). */
    private boolean failed;

    /** The printer thread's: the batch being made, its lines, and the lines dropped since the last block handed over. */
    private byte[] batch = new byte[8192];
    private int length;
    private int lines;
    private long dropped;

    /**
     * @param notShown the line (without its end) that says how many lines were not shown
     * @param threadName the name of the screen's thread
     */
    DetachedScreen(Sink sink, LongFunction<String> notShown, String threadName) {
        this(sink, notShown, MAX_PENDING_BYTES, threadName);
    }

    DetachedScreen(Sink sink, LongFunction<String> notShown, int maxPending, String threadName) {
        this.sink = sink;
        this.notShown = notShown;
        this.maxPending = maxPending;
        thread = new Thread(this::writeAll, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The words of the line that says {@code count} lines were not shown. */
    static String notShownText(long count) {
        return count + (count == 1 ? " line" : " lines")
                + " not shown: the output was not read fast enough (the chat log has them)";
    }

    @Override
    public void show(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        append(bytes, bytes.length);
    }

    @Override
    public void show(Utf8Line line) {
        append(line.bytes(), line.length());
    }

    /** {@code bytes[0..n)} and a line end. */
    private void append(byte[] bytes, int n) {
        int end = length + n + Utf8Line.LINE_END.length;
        if (end > batch.length) {
            batch = Arrays.copyOf(batch, Math.max(end, 2 * batch.length));
        }
        System.arraycopy(bytes, 0, batch, length, n);
        System.arraycopy(Utf8Line.LINE_END, 0, batch, length + n, Utf8Line.LINE_END.length);
        length = end;
        lines++;
    }

    /** Hands the batch to the screen's thread, or drops it when too much waits already. Never blocks. */
    @Override
    public void flush() {
        if (length == 0) {
            return;
        }
        if (pending.get() + length > maxPending) {
            dropped += lines;
        } else {
            pending.addAndGet(length);
            blocks.add(new Block(batch, length, dropped));
            dropped = 0;
            batch = new byte[Math.max(8192, length)];
        }
        length = 0;
        lines = 0;
    }

    /** Whether the screen is far behind: more than a quarter of what may wait is waiting. */
    @Override
    public boolean behind() {
        return pending.get() > maxPending / 4;
    }

    /** Bytes waiting for the screen. */
    long pending() {
        return pending.get();
    }

    /**
     * Hands over what is left (and says what was not shown), and waits at most {@link
     * #CLOSE_WAIT_MS} for the screen to take it. The printer thread's, once.
     */
    @Override
    public void close() {
        flush();
        if (dropped > 0) {
            blocks.add(new Block(new byte[0], 0, dropped));
            dropped = 0;
        }
        blocks.add(STOP);
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeAll() {
        try {
            for (Block b = blocks.take(); b != STOP; b = blocks.take()) {
                if (b.droppedBefore() > 0) {
                    byte[] notice = (notShown.apply(b.droppedBefore()) + System.lineSeparator())
                            .getBytes(StandardCharsets.UTF_8);
                    write(notice, notice.length);
                }
                if (b.length() > 0) {
                    write(b.bytes(), b.length());
                }
                pending.addAndGet(-b.length());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The screen's thread never dies: a screen that cannot take lines is reported once, in one
     * line when it is closed (a pipe whose reader ended, as {@code | head} does).
     */
    private void write(byte[] bytes, int n) {
        try {
            sink.write(bytes, n);
        } catch (UncheckedIOException e) {
            if (!failed) {
                failed = true;
                log.warn("cannot show lines on the screen ({}); lines that cannot be shown are skipped",
                        e.getCause().getMessage());
            }
        } catch (RuntimeException e) {
            if (!failed) {
                failed = true;
                log.error("cannot show a line on the screen; lines that cannot be shown are skipped", e);
            }
        }
    }
}
