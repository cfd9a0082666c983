package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingEvent.Kind;

class PrinterAndChatLogTest {

    @TempDir
    Path dir;

    @Test
    void chatLogWritesTColonTextAndAppends() throws IOException {
        try (ChatLog log = ChatLog.open(dir, new org.ringchat.protocol.NodeAddress("127.0.0.1", 5000))) {
            assertEquals("1: * started", log.append(1, "* started"));
            log.flush();
        }
        try (ChatLog log = ChatLog.open(dir, new org.ringchat.protocol.NodeAddress("127.0.0.1", 5000))) {
            log.append(2, "more");
        }
        assertEquals(List.of("1: * started", "2: more"), Files.readAllLines(dir.resolve("chat_5000.log")));
    }

    @Test
    void printerLogsEverythingInOrderAndShowsOnlyWhatPeopleSee() throws IOException {
        List<String> screen = new CopyOnWriteArrayList<>();
        Printer printer = new Printer(screen::add, null);
        // the node emits before the printer knows its log: entries wait in the queue
        printer.onEvent(new RingEvent(Kind.WELCOME, 1, "started a new ring"));
        printer.onEvent(new RingEvent(Kind.CHAT_SENT, 2, "sent: hi"));
        printer.onChat(new ChatMessage(1, LinesTest.BOB, 1, "hi", 3, 4, "general", 0));
        printer.start(ChatLog.open(dir, new NodeAddress("127.0.0.1", 5001)), "test-printer");
        printer.notice("leader: bob(127.0.0.1:5001)");
        printer.onEvent(new RingEvent(Kind.JOINED, 7, "carol(127.0.0.1:5002) joined"));
        Path file = dir.resolve("chat_5001.log");

        // the log is readable while the printer runs (flushed per batch)
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(file).size() == 4);
        printer.close();

        assertEquals(List.of("* started a new ring", "> bob(127.0.0.1:5001)[3]: hi",
                "* leader: bob(127.0.0.1:5001)", "* carol(127.0.0.1:5002) joined"), screen);
        List<String> logged = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(List.of("1: * started a new ring", "2: sent: hi", "4: > bob(127.0.0.1:5001)[3]: hi",
                "7: * carol(127.0.0.1:5002) joined"), logged);
        long last = -1;
        for (String line : logged) {
            long t = Long.parseLong(line.substring(0, line.indexOf(':')));
            assertTrue(t >= last, "T went backwards at " + line);
            last = t;
        }
    }

    @Test
    void pipeStdoutIsFlushedOncePerBatchNotPerLineAndEveryLineGetsOut() throws IOException {
        // a buffered stdout that counts its flushes
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int[] flushes = new int[1];
        java.io.OutputStream counted = new java.io.FilterOutputStream(bytes) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                flushes[0]++;
                super.flush();
            }
        };
        Printer printer = new Printer(Screen.detached(counted, n -> "* " + n, "test-screen"), null);
        // 2,500 lines queued before the printer starts: three batches (1,000 lines at most each)
        int lines = 2500;
        for (int i = 1; i <= lines; i++) {
            printer.onChat(new ChatMessage(i, LinesTest.BOB, i, "line " + i, i, i, "general", 0));
        }
        printer.start(ChatLog.open(dir, new NodeAddress("127.0.0.1", 5003)), "test-printer");
        // every line reaches stdout once its batch is written, while the printer keeps running
        await().atMost(Duration.ofSeconds(10)).until(() -> bytes.toString(StandardCharsets.UTF_8).lines().count() == lines);
        List<String> shown = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("> bob(127.0.0.1:5001)[1]: line 1", shown.get(0));
        assertEquals("> bob(127.0.0.1:5001)[2500]: line 2500", shown.get(lines - 1));
        assertTrue(flushes[0] >= 3 && flushes[0] <= 10, "flushes: " + flushes[0]);
        printer.close();
    }

    @Test
    void onlyTheRoomsLinesAreShownWithTheirTimeAndHistoryIsFramed() throws IOException {
        List<String> screen = new CopyOnWriteArrayList<>();
        Printer printer = new Printer(screen::add, null, true, "ops");
        long at = java.time.Instant.parse("2026-11-30T08:12:03.456Z").toEpochMilli();
        printer.onHistory("ops", List.of(new ChatMessage(1, LinesTest.BOB, 1, "earlier", 3, 4, "ops", at)));
        printer.onChat(new ChatMessage(2, LinesTest.BOB, 2, "in general", 5, 6, "general", at));
        printer.onChat(new ChatMessage(3, LinesTest.BOB, 3, "in ops", 7, 8, "ops", at));
        printer.start(ChatLog.open(dir, new NodeAddress("127.0.0.1", 5002)), "test-printer");
        Path file = dir.resolve("chat_5002.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(file).size() == 4);
        printer.close();
        String clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                .format(java.time.Instant.ofEpochMilli(at).atZone(java.time.ZoneId.systemDefault()));
        assertEquals(List.of("* history: last 1 messages of ops", clock + " > bob(127.0.0.1:5001)[3] #ops: earlier",
                "* end of history", clock + " > bob(127.0.0.1:5001)[7] #ops: in ops"), screen);
        // the log has the leader's time after T, in UTC to the second
        assertEquals(List.of("4: * history: last 1 messages of ops", "4: 2026-11-30T08:12:03Z > bob(127.0.0.1:5001)[3] #ops: earlier",
                "4: * end of history", "8: 2026-11-30T08:12:03Z > bob(127.0.0.1:5001)[7] #ops: in ops"),
                Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Test
    void inputWaitsWhileTheOutputIsTooFarBehindAndGoesOnOnceItCatchesUp() throws Exception {
        // a screen nobody reads: the printer is stuck on its first line until released
        java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        Printer printer = new Printer(line -> {
            try {
                read.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, null);
        // before the printer starts, input never waits
        printer.awaitRoom();
        // more than the backlog allowed, beyond the batch the printer takes first
        for (int i = 1; i <= Printer.MAX_BACKLOG + Printer.MAX_BATCH + 10; i++) {
            printer.onChat(new ChatMessage(i, LinesTest.BOB, i, "line " + i, i, i, "general", 0));
        }
        printer.start(ChatLog.open(dir, new NodeAddress("127.0.0.1", 5004)), "test-printer");
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread input = new Thread(() -> {
            try {
                printer.awaitRoom();
                done.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        input.start();

        // the input thread waits: the screen takes nothing
        await().atMost(Duration.ofSeconds(10)).until(() -> input.getState() == Thread.State.TIMED_WAITING);
        assertTrue(!done.get(), "input went on while the output was stuck");
        // the screen is read again: the backlog goes down and the input goes on
        read.countDown();
        await().atMost(Duration.ofSeconds(10)).until(done::get);
        printer.close();
    }

    @Test
    void closeIsIdempotentAndWorksBeforeStart() {
        Printer printer = new Printer(line -> { }, null);
        printer.close();
        printer.close();
    }
}
