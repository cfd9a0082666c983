package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A secured ring of real processes: with the secret file they chat, with a wrong one a joiner exits 1. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SecretIT extends ProcessTest {

    private Path secretFile(String name, String secret) throws IOException {
        return Files.writeString(tmp.resolve(name), secret + "\n");
    }

    @Test
    void withTheSecretFileMembersChatAndAWrongSecretIsRefused() throws IOException {
        Path right = secretFile("ring.secret", "a long enough secret for the test ring");
        Path wrong = secretFile("wrong.secret", "a long enough secret, but not that one");
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort(), "--secret-file", right.toString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port(), "--secret-file", right.toString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> bob.stdout().stream().anyMatch(l -> l.startsWith("* joined the ring")));

        // a joiner with the wrong secret: one error line, exit 1, and it saw nothing
        RingProcess mallory = add(RingProcess.joiner(tmp, "mallory", RingProcess.freePort(), alice.port(),
                "--secret-file", wrong.toString()));
        assertEquals(1, mallory.waitFor(Duration.ofSeconds(20)), mallory.describe());
        assertEquals(List.of("error: authentication failed"), mallory.stderr(), mallory.describe());
        assertEquals(List.of(), mallory.stdout());

        // the members chat on
        bob.sendLine("between ourselves");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(
                alice.chatLines().stream().anyMatch(l -> l.endsWith("]: between ourselves")), alice.describe()));
    }

    @Test
    void aSecretTooShortIsAUsageError() throws IOException {
        Path shortOne = secretFile("short.secret", "tiny");
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort(), "--secret-file", shortOne.toString()));
        assertEquals(2, alice.waitFor(Duration.ofSeconds(20)), alice.describe());
        await().atMost(Duration.ofSeconds(10)).until(() -> !alice.stderr().isEmpty());
        assertEquals(List.of("error: the secret is too short: at least 16 bytes"), alice.stderr());
    }
}
