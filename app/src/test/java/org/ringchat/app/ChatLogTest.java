package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.protocol.NodeAddress;

class ChatLogTest {

    static final NodeAddress ONE = new NodeAddress("127.0.0.1", 5000);
    static final NodeAddress TWO = new NodeAddress("127.0.0.2", 5000);

    @TempDir
    Path dir;

    @Test
    void aRunStartsWithAHeaderAtTheLastTOfTheFile() throws IOException {
        try (ChatLog log = ChatLog.open(dir, ONE)) {
            assertEquals(0, log.lastLamport());
            log.header("1.2.3", "alice(127.0.0.1:5000)", Instant.parse("2026-11-30T07:00:00.123Z"));
            log.append(7, "* started");
        }
        try (ChatLog log = ChatLog.open(dir, ONE)) {
            assertEquals(7, log.lastLamport());
            log.header("1.2.3", "alice(127.0.0.1:5000)", Instant.parse("2026-11-30T08:00:00Z"));
        }
        assertEquals(List.of("0: ringchat 1.2.3: alice(127.0.0.1:5000) started 2026-11-30T07:00:00Z", "7: * started",
                "7: ringchat 1.2.3: alice(127.0.0.1:5000) started 2026-11-30T08:00:00Z"),
                Files.readAllLines(dir.resolve("chat_5000.log")));
    }

    @Test
    void anotherAddressOnThePortGetsItsOwnFileWhileTheFirstRunsAndAfter() throws IOException {
        try (ChatLog one = ChatLog.open(dir, ONE); ChatLog two = ChatLog.open(dir, TWO)) {
            one.header("1", "a(127.0.0.1:5000)", Instant.EPOCH);
            assertEquals(dir.resolve("chat_5000.log"), one.path());
            assertEquals(dir.resolve("chat_127.0.0.2_5000.log"), two.path());
        }
        try (ChatLog two = ChatLog.open(dir, TWO)) {
            assertEquals(dir.resolve("chat_127.0.0.2_5000.log"), two.path());
        }
        assertEquals("chat_--1_5000.log", ChatLog.fileName(new NodeAddress("::1", 5000)));
    }

    @Test
    void aFileFromBeforeHeadersIsKeptAndItsLastTCounts() throws IOException {
        Files.writeString(dir.resolve("chat_5000.log"), "3: * started\n12: > a(127.0.0.1:5000)[9]: hi\n");
        try (ChatLog log = ChatLog.open(dir, TWO)) {
            assertEquals(dir.resolve("chat_5000.log"), log.path());
            assertEquals(12, log.lastLamport());
        }
        assertEquals(0, ChatLog.lastLamport("no T here\n"));
    }
}
