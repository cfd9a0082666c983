package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nodes that cannot start end quickly with one {@code error: } line and a non-zero exit code. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StartupFailureIT extends ProcessTest {


    @Test
    void joiningWhereNobodyListensFailsWithin10Seconds() {
        int nobody = RingProcess.freePort();
        long start = System.nanoTime();
        RingProcess bob = RingProcess.joiner(tmp, "bob", RingProcess.freePort(), nobody);
        add(bob);
        Integer code = bob.waitFor(Duration.ofSeconds(15));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertNotNull(code, "still running after 15 s\n" + bob.describe());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        assertEquals(1, code, bob.describe());
        assertEquals(List.of("error: nobody is listening at 127.0.0.1:" + nobody), bob.stderr(), bob.describe());
        assertEquals(List.of(), bob.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"silent", "banner"})
    void joiningThroughAPortThatIsNotARingchatNodeFailsAtOnceAndSaysSo(String kind) throws Exception {
        try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getByName(RingProcess.HOST))) {
            // another program on that port: one that says nothing, one that greets in its own protocol
            CompletableFuture<Long> acceptedAt = new CompletableFuture<>();
            Thread server = new Thread(() -> {
                try (Socket s = other.accept()) {
                    acceptedAt.complete(System.nanoTime());
                    if (kind.equals("banner")) {
                        s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the joiner hung up
                }
            }, "other-program");
            server.setDaemon(true);
            server.start();
            RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), other.getLocalPort()));

            // well before the 8 s join timeout, with one error line that says what to check
            Integer code = bob.waitFor(Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - acceptedAt.get(30, TimeUnit.SECONDS));
            assertEquals(1, code, bob.describe());
            assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "took " + took);
            String what = kind.equals("banner") ? "it answered with bytes that are not the protocol"
                    : "it accepted the connection but said nothing within 2000 ms";
            assertEquals(List.of("error: 127.0.0.1:" + other.getLocalPort() + " does not speak the ringchat protocol ("
                    + what + "): is it a ringchat node? Check -na/--peer-address and -np/--peer-port"), bob.stderr(),
                    bob.describe());
        }
    }

    @Test
    void startingOnAPortInUseFailsWithExitCode1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(RingProcess.HOST))) {
            RingProcess alice = RingProcess.leader(tmp, "alice", taken.getLocalPort());
            add(alice);
            assertEquals(1, alice.waitFor(Duration.ofSeconds(15)), alice.describe());
            assertEquals(List.of("error: port " + taken.getLocalPort() + " is already in use on 127.0.0.1"),
                    alice.stderr(), alice.describe());
        }
    }

    @Test
    void badNameIsAUsageErrorThroughTheJar() {
        RingProcess bad = RingProcess.start(tmp, "x y", 0, List.of("-l"));
        add(bad);
        assertEquals(2, bad.waitFor(Duration.ofSeconds(15)), bad.describe());
        await(() -> bad.stderr().size() == 1);
        assertEquals(List.of("error: bad name 'x y': it contains a space (U+0020); use 1-32 letters, digits, '_', '-' or '.'"),
                bad.stderr());
    }

    @Test
    void aNameTakenInAnotherCaseOrLookingLikeAMembersEndsWithWhatToDo() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        await(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        // ALICE, and alice with a Cyrillic а: one error line each, exit 1
        for (String name : List.of("ALICE", "\u0430lice")) {
            RingProcess copy = add(RingProcess.joiner(tmp, name, RingProcess.freePort(), alice.port()));
            assertEquals(1, copy.waitFor(Duration.ofSeconds(30)), copy.describe());
            String clash = name.equals("ALICE") ? "is taken by" : "looks like the name of";
            assertEquals(List.of("error: join refused by 127.0.0.1:" + alice.port() + ": the name '" + name + "' " + clash
                    + " alice(127.0.0.1:" + alice.port() + "); choose another name with -n"), copy.stderr(), copy.describe());
        }
        // the leader carries on alone
        assertTrue(alice.isAlive(), alice.describe());
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition);
    }
}
