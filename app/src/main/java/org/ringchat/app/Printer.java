package org.ringchat.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Room;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingListener;
import org.ringchat.ring.RingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes output. The node's listener calls only enqueue (never block the
 * node's thread); the printer thread writes each entry, in order, to the chat log (every chat
 * message and event), to stderr with {@code -v}, and to the screen (chat messages, shown events
 * and the console's own notices; in the program a {@link DetachedScreen}, which takes each batch
 * and shows it on a thread of its own, so that a screen nobody reads holds up neither the log nor
 * the node). Entries wait in the queue until {@link #start} names the log,
 * which is known only once the node has bound its port. The log and the screen are flushed after
 * a batch (what the queue held, at most {@link #MAX_BATCH} entries), but at most once per {@link
 * #FLUSH_INTERVAL_MS}: a line that comes when the printer has not flushed for that long is
 * flushed at once, and during a flood the lines wait at most that long. They are flushed too
 * when the printer stops.
 */
final class Printer implements RingListener {

    private static final Logger log = LoggerFactory.getLogger(Printer.class);

    /**
     * What to print: {@code line} on the screen, {@code logged} in the log. {@code lamport < 0}:
     * not for the log. A chat message and a ring event are queued as they are ({@code chat},
     * {@code history}: whether it is a line of a room's past; {@code event}) and formatted by the
     * printer thread, not the node's.
     */
    private record Entry(long lamport, String line, String logged, boolean shown, ChatMessage chat, boolean history,
            RingEvent event) {
        static final Entry STOP = new Entry(-1, null, null, false);

        Entry(long lamport, String line, boolean shown) {
            this(lamport, line, line, shown);
        }

        Entry(long lamport, String line, String logged, boolean shown) {
            this(lamport, line, logged, shown, null, false, null);
        }
    }

    /**
     * At most this many entries are written between two flushes of the log and the screen, so a
     * line never waits long in a buffer while a flood goes on (a batch of this size is written in
     * a few milliseconds). Too small and a flood costs a write per few lines again.
     */
    static final int MAX_BATCH = 1000;
    /**
     * The printer flushes the log and the screen at most this often: what it wrote since the last
     * flush waits at most this long. A line after a quiet spell goes out at once. Too long and a
     * reader of the screen sees a flood in jerks; too short and a flood of lines, each soon after
     * the last, costs a write (and the reader a wake-up) per few lines.
     */
    static final long FLUSH_INTERVAL_MS = 5;

    /**
     * The thread reading the user's input waits ({@link #awaitRoom}) while more entries than this
     * wait to be printed, or while the screen is behind ({@link Screen#behind}): a node whose
     * output is read slower than its input comes (a full pipe, a slow terminal) stops taking input
     * instead of queueing its own lines' output without bound.
     * At about 200 bytes an entry, a few MB; enough for a paste or a flood to go on while the
     * printer writes the batch before.
     */
    static final int MAX_BACKLOG = 10_000;
    /** How often a waiting input thread looks again whether the backlog went down. */
    static final long BACKLOG_RECHECK_MS = 1;

    /**
     * Entries waiting for the printer thread. The node's thread hands each line over with one
     * compare-and-set, and wakes the printer only when it sleeps with nothing to print
     * ({@link #idle}), not a lock per line.
     */
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    /** Entries queued so far, and of those taken by the printer thread: the backlog is the difference. */
    private final AtomicLong queued = new AtomicLong();
    private volatile long taken;
    /** Set by the printer thread while it parks with nothing to print: whoever queues an entry then unparks it. */
    private volatile boolean idle;
    /** Whether the printer thread runs: set before it starts, cleared when it ends. */
    private volatile boolean printing;
    private final Screen screen;
    private final PrintStream mirror;
    private ChatLog chatLog;
    private volatile Thread thread;
    private boolean closed;
    /** Set by the printer thread when an outlet failed once: reported then, not again. */
    private boolean logFailed;
    private boolean screenFailed;

    /** Shows the time a line was ordered before it, on the screen. */
    private final boolean showTime;
    private final ZoneId zone = ZoneId.systemDefault();
    /** The room this node is in: only its lines are shown. Moved by the node's thread, with the room's history. */
    private volatile String room;
    /** With {@code --json}: every line on the screen is a JSON object (the log keeps its own form). */
    private final JsonLines json;
    /**
     * The printer thread's: where a chat line is made, as UTF-8, once for the log and the screen;
     * and the last sender's display, made visible and encoded.
     */
    private final Utf8Line chatLine = new Utf8Line();
    /** The printer thread's: where an event's line is made. */
    private final Utf8Line eventLine = new Utf8Line();
    private static final byte[] NO_STAMP = new byte[0];
    private Member lastSender;
    private byte[] lastDisplay;
    /** The printer thread's: the last second a logged chat line was ordered in, and its stamp. */
    private long lastSecond = Long.MIN_VALUE;
    private byte[] lastStamp = new byte[0];

    /**
     * @param mirror where to copy the chat log's lines ({@code -v}), or null
     * @param showTime whether the screen shows when each line was ordered ({@code HH:MM})
     * @param room the room the node starts in
     */
    Printer(Screen screen, PrintStream mirror, boolean showTime, String room, JsonLines json) {
        this.screen = screen;
        this.mirror = mirror;
        this.showTime = showTime;
        this.room = room;
        this.json = json;
    }

    Printer(Screen screen, PrintStream mirror, boolean showTime, String room) {
        this(screen, mirror, showTime, room, null);
    }

    Printer(Screen screen, PrintStream mirror) {
        this(screen, mirror, false, Room.GENERAL);
    }

    /** A line of this node's room: on the screen and in the log. Other rooms' lines are kept by the node, not shown. */
    @Override
    public void onChat(ChatMessage message) {
        if (message.room().equals(room)) {
            enqueue(chat(message));
        }
    }

    /** Joined the ring or moved to a room: its recent past first, between two lines that say so (logged too). */
    @Override
    public void onHistory(String room, List<ChatMessage> messages) {
        this.room = room;
        history(room, messages, true);
    }

    /**
     * {@code //history}: the room's recent past again, on the screen only (the node's clock in
     * those messages may be older than what the log already holds).
     */
    void replay(String room, List<ChatMessage> messages) {
        history(room, messages, false);
    }

    private void history(String room, List<ChatMessage> messages, boolean logged) {
        if (messages.isEmpty()) {
            return;
        }
        long lamport = logged ? messages.get(0).lamport() : -1;
        enqueue(noticeEntry(lamport, "history: last " + messages.size() + " messages of " + room));
        messages.forEach(m -> enqueue(chat(m, true, logged)));
        enqueue(noticeEntry(lamport, "end of history"));
    }

    private Entry chat(ChatMessage message) {
        return chat(message, false, true);
    }

    private Entry chat(ChatMessage message, boolean history, boolean logged) {
        return new Entry(logged ? message.lamport() : -1, null, null, true, message, history, null);
    }

    /** A chat entry's line on the screen, formatted on the printer thread. */
    private String line(Entry e) {
        if (e.chat() == null) {
            return e.line();
        }
        return json != null ? json.chat(e.chat(), e.history())
                : showTime ? Lines.timed(e.chat(), zone) : Lines.chat(e.chat());
    }

    private Entry noticeEntry(long lamport, String text) {
        return new Entry(lamport, json != null ? json.notice(text) : Lines.notice(text), Lines.notice(text), true);
    }

    /** An event: in the log; on the screen if people see its kind (with {@code --json}, every one). */
    @Override
    public void onEvent(RingEvent event) {
        enqueue(new Entry(event.lamport(), null, null, json != null || event.kind().shown(), null, false, event));
    }

    /** A line of the console's own ({@code * text}): on the screen only. */
    void notice(String text) {
        enqueue(new Entry(-1, json != null ? json.notice(text) : Lines.notice(text), true));
    }

    /** Something the user asked for that failed or was refused ({@code * text}; {@code error} with {@code --json}). */
    void error(String text) {
        enqueue(new Entry(-1, json != null ? json.error(text) : Lines.notice(text), true));
    }

    /** The answer to {@code //status}: {@code text} on a screen, the view's fields with {@code --json}. */
    void status(String text, RingView view, String room) {
        enqueue(new Entry(-1, json != null ? json.status(JsonLines.statusFields(view, room)) : Lines.notice(text), true));
    }

    /**
     * Waits while more than {@link #MAX_BACKLOG} entries wait for the running printer, or its
     * screen is behind; returns at once when it is not running. For the thread reading input,
     * never the node's.
     */
    void awaitRoom() throws InterruptedException {
        while (printing && (queued.get() - taken > MAX_BACKLOG || screen.behind())) {
            TimeUnit.MILLISECONDS.sleep(BACKLOG_RECHECK_MS);
        }
    }

    /** Queues an entry for the printer thread, waking it if it sleeps with nothing to print. Any thread; never blocks. */
    private void enqueue(Entry e) {
        queue.add(e);
        queued.incrementAndGet();
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The printer thread's: moves up to {@code max} entries to {@code batch}, waiting (parked)
     * while there is none.
     */
    private void take(List<Entry> batch, int max) throws InterruptedException {
        while (queue.isEmpty()) {
            idle = true;
            if (queue.isEmpty()) { // looked at again once idle is set: an entry queued meanwhile unparks, or is seen here
                LockSupport.park(this);
            }
            idle = false;
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        drain(batch, max);
    }

    /** The printer thread's: moves up to {@code max} entries to {@code batch}, those queued already. */
    private void drain(List<Entry> batch, int max) {
        int before = batch.size();
        for (Entry e; batch.size() < max && (e = queue.poll()) != null; ) {
            batch.add(e);
        }
        taken += batch.size() - before;
    }

    /** Starts printing, with the log that every chat message and event goes to. */
    synchronized void start(ChatLog chatLog, String threadName) {
        if (thread != null || closed) {
            return;
        }
        this.chatLog = chatLog;
        printing = true;
        thread = new Thread(this::printAll, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Prints what is queued, stops the thread and closes the log. Idempotent, any thread. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread == null) {
            return;
        }
        enqueue(Entry.STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void printAll() {
        List<Entry> batch = new ArrayList<>();
        long interval = TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS);
        long flushed = System.nanoTime() - interval;
        try {
            while (true) {
                take(batch, MAX_BATCH);
                while (true) {
                    drain(batch, MAX_BATCH);
                    boolean full = batch.size() == MAX_BATCH;
                    if (!printBatch(batch)) {
                        flush();
                        return;
                    }
                    long wait = flushed + interval - System.nanoTime();
                    if (full || wait <= 0) {
                        break;
                    }
                    // flushed a moment ago: what comes meanwhile goes out with this, without a wake-up per line
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                flush();
                flushed = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            printing = false;
            try {
                chatLog.close();
            } catch (IOException e) {
                log.warn("cannot close {}", chatLog.path(), e);
            }
            try {
                screen.close(); // last: it may wait for a screen nobody reads
            } catch (RuntimeException failure) {
                screenFailed(failure);
            }
        }
    }

    /** Prints the batch's entries in order and empties it; false when it held {@link Entry#STOP}. */
    private boolean printBatch(List<Entry> batch) {
        try {
            for (Entry e : batch) {
                if (e == Entry.STOP) {
                    return false;
                }
                print(e);
            }
            return true;
        } finally {
            batch.clear();
        }
    }

    /**
     * Writes one entry. The output thread never dies: a line the log or the screen cannot take
     * (a full disk, a closed terminal) is reported once per outlet, and the others go on.
     */
    private void print(Entry e) {
        if (e.chat() != null) {
            printChat(e);
            return;
        }
        if (e.event() != null) {
            printEvent(e);
            return;
        }
        if (e.lamport() >= 0) {
            try {
                chatLog.append(e.lamport(), "", e.logged());
                if (mirror != null) {
                    mirror.println(Lines.logged(e.lamport(), e.logged()));
                }
            } catch (RuntimeException failure) {
                logFailed(failure);
            }
        }
        if (e.shown()) {
            show(e.line());
        }
    }

    /** A chat message: its line made once, as UTF-8, for the log and (in the plain form) the screen. */
    private void printChat(Entry e) {
        ChatMessage message = e.chat();
        if (message.sender() != lastSender && !message.sender().equals(lastSender)) {
            lastSender = message.sender();
            lastDisplay = Lines.visible(lastSender.display()).getBytes(StandardCharsets.UTF_8);
        }
        Lines.chat(chatLine.clear(), message, lastDisplay);
        if (e.lamport() >= 0) {
            log(e.lamport(), stamp(message.wallClockMs()), chatLine);
        }
        if (json != null || showTime) {
            show(line(e));
            return;
        }
        show(chatLine);
    }

    /**
     * A ring event (one a line sent, {@code sent: text}, at a sender): its line made once, as
     * UTF-8, for the log and, when people see it and without {@code --json}, the screen.
     */
    private void printEvent(Entry e) {
        Lines.event(eventLine.clear(), e.event());
        if (e.lamport() >= 0) {
            log(e.lamport(), NO_STAMP, eventLine);
        }
        if (!e.shown()) {
            return;
        }
        if (json != null) {
            show(json.event(e.event()));
            return;
        }
        show(eventLine);
    }

    /** {@code line}, after its wall-clock {@code stamp} (UTF-8, maybe empty), in the log at {@code lamport}, and in the mirror. */
    private void log(long lamport, byte[] stamp, Utf8Line line) {
        try {
            chatLog.append(lamport, stamp, line);
            if (mirror != null) {
                mirror.println(Lines.logged(lamport, new String(stamp, StandardCharsets.UTF_8) + line));
            }
        } catch (RuntimeException failure) {
            logFailed(failure);
        }
    }

    /** A line made as UTF-8, on the screen as it is. */
    private void show(Utf8Line line) {
        try {
            screen.show(line);
        } catch (RuntimeException failure) {
            screenFailed(failure);
        }
    }

    private void show(String line) {
        try {
            screen.show(line);
        } catch (RuntimeException failure) {
            screenFailed(failure);
        }
    }

    /** {@link Lines#stamp} as UTF-8, kept while the second stays the same. */
    private byte[] stamp(long wallClockMs) {
        long second = Math.floorDiv(wallClockMs, 1000);
        if (wallClockMs <= 0 || second != lastSecond) {
            lastSecond = wallClockMs <= 0 ? Long.MIN_VALUE : second;
            lastStamp = Lines.stamp(wallClockMs).getBytes(StandardCharsets.UTF_8);
        }
        return lastStamp;
    }

    /** After a batch: what it wrote reaches the log file and the screen. */
    private void flush() {
        try {
            chatLog.flush();
        } catch (RuntimeException failure) {
            logFailed(failure);
        }
        try {
            screen.flush();
        } catch (RuntimeException failure) {
            screenFailed(failure);
        }
    }

    private void screenFailed(RuntimeException failure) {
        if (!screenFailed) {
            screenFailed = true;
            log.error("cannot show a line on the screen; lines that cannot be shown are skipped", failure);
        }
    }

    private void logFailed(RuntimeException failure) {
        if (!logFailed) {
            logFailed = true;
            log.error("cannot write {}; lines that cannot be written are skipped", chatLog.path(), failure);
        }
    }
}
