package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ChatMessage;

class DetachedScreenTest {

    @TempDir
    Path dir;

    /** A screen whose reader does not read until {@link #read} opens: it takes everything once it does. */
    private static final class StuckSink implements DetachedScreen.Sink {
        final CountDownLatch read = new CountDownLatch(1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public void write(byte[] bytes, int length) {
            try {
                read.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (out) {
                out.write(bytes, 0, length);
            }
            writes.incrementAndGet();
        }

        List<String> lines() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8).lines().toList();
            }
        }
    }

    private static void batch(Screen screen, int from, int to) {
        for (int i = from; i <= to; i++) {
            screen.show("line " + i);
        }
        screen.flush();
    }

    @Test
    void eachBatchIsOneWriteInOrder() {
        StuckSink sink = new StuckSink();
        sink.read.countDown();
        DetachedScreen screen = new DetachedScreen(sink, n -> "* " + n, "test-screen");
        batch(screen, 1, 3);
        Utf8Line line = new Utf8Line().ascii("line 4");
        screen.show(line);
        screen.show("ünïcödé");
        screen.flush();
        screen.close();
        assertEquals(List.of("line 1", "line 2", "line 3", "line 4", "ünïcödé"), sink.lines());
        assertEquals(2, sink.writes.get());
        assertEquals(0, screen.pending());
    }

    @Test
    void aScreenNobodyReadsHoldsUpNoOneAndWhatDidNotFitIsCountedWhenItReadsAgain() {
        StuckSink sink = new StuckSink();
        // room for about three batches of ten lines of 8 bytes ("line NN" and its end)
        DetachedScreen screen = new DetachedScreen(sink, n -> "* " + n + " not shown", 250, "test-screen");
        batch(screen, 1, 10); // taken by the screen's thread, which is stuck writing it
        batch(screen, 11, 20);
        batch(screen, 21, 30);
        assertTrue(screen.behind(), "pending " + screen.pending());
        // these do not fit: dropped, and flush returns at once (this thread would hang otherwise)
        batch(screen, 31, 40);
        batch(screen, 41, 50);
        assertTrue(screen.pending() <= 250, "pending " + screen.pending());
        assertTrue(sink.lines().isEmpty());

        sink.read.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> screen.pending() == 0);
        batch(screen, 51, 52); // the screen reads again: first what was not shown, then the lines
        screen.close();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            expected.add("line " + i);
        }
        expected.add("* 20 not shown");
        expected.add("line 51");
        expected.add("line 52");
        assertEquals(expected, sink.lines());
        assertFalse(screen.behind());
    }

    @Test
    void closeSaysWhatWasNotShownAtTheEnd() {
        StuckSink sink = new StuckSink();
        DetachedScreen screen = new DetachedScreen(sink, n -> "* " + n + " not shown", 100, "test-screen");
        batch(screen, 1, 10); // 80 bytes: waits for the screen
        batch(screen, 11, 15); // would make 111: not shown
        sink.read.countDown();
        screen.close();
        List<String> shown = sink.lines();
        assertEquals(11, shown.size(), shown.toString());
        assertEquals("line 10", shown.get(9));
        assertEquals("* 5 not shown", shown.get(10));
        assertEquals("3 lines not shown: the output was not read fast enough (the chat log has them)",
                DetachedScreen.notShownText(3));
        assertEquals("1 line not shown: the output was not read fast enough (the chat log has them)",
                DetachedScreen.notShownText(1));
    }

    @Test
    void aScreenThatFailsDoesNotStopTheOnesAfter() {
        List<String> shown = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        DetachedScreen screen = new DetachedScreen((bytes, length) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("terminal closed");
            }
            shown.addAll(new String(bytes, 0, length, StandardCharsets.UTF_8).lines().toList());
        }, n -> "* " + n, "test-screen");
        batch(screen, 1, 2);
        batch(screen, 3, 4);
        screen.close();
        assertEquals(List.of("line 3", "line 4"), shown);
        assertEquals(0, screen.pending());
    }

    @Test
    void theChatLogGetsEveryLineWhileNobodyReadsTheScreen() throws Exception {
        StuckSink sink = new StuckSink();
        DetachedScreen screen = new DetachedScreen(sink, n -> "* " + n + " not shown", 64 * 1024, "test-screen");
        Printer printer = new Printer(screen, null);
        printer.start(ChatLog.open(dir, new NodeAddress("127.0.0.1", 5005)), "test-printer");
        int lines = 5 * Printer.MAX_BACKLOG; // far more than the screen may hold, about 2 MB of lines
        for (int i = 1; i <= lines; i++) {
            printer.onChat(new ChatMessage(i, LinesTest.BOB, i, "line " + i, i, i, "general", 0));
        }
        Path file = dir.resolve("chat_5005.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file) && Files.readAllLines(file).size() == lines);
        assertTrue(screen.pending() <= 64 * 1024, "pending " + screen.pending());
        assertTrue(screen.behind());
        assertTrue(sink.lines().isEmpty());

        sink.read.countDown();
        printer.close();
        List<String> shown = sink.lines();
        // what fitted, then how many were not, and the count adds up
        String notice = shown.stream().filter(l -> l.endsWith("not shown")).findFirst().orElseThrow();
        long notShown = Long.parseLong(notice.substring(2, notice.indexOf(' ', 2)));
        assertEquals(lines, shown.size() - 1 + notShown, notice);
        assertEquals("> bob(127.0.0.1:5001)[1]: line 1", shown.get(0));
    }
}
