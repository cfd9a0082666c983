package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingConfig;

class OptionsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static RingConfig config(String... args) {
        Options options = new Options();
        Main.commandLine(options).parseArgs(args);
        return options.toConfig();
    }

    @Test
    void leaderDefaultsToLoopbackPort5000AndDefaultTimings() {
        RingConfig c = config("-l", "-n", "alice");
        assertEquals(new NodeAddress("127.0.0.1", 5000), c.address());
        assertTrue(c.startsRing());
        assertNull(c.joinVia());
        assertEquals(RingConfig.DEFAULT_HEARTBEAT_MS, c.heartbeatMs());
        assertEquals(RingConfig.DEFAULT_SUSPECT_MS, c.suspectMs());
    }

    @Test
    void joinerPeerAddressDefaultsToOwnAddress() {
        RingConfig c = config("-a", "127.0.0.2", "-p", "5001", "-n", "bob", "-np", "5000");
        assertEquals(new NodeAddress("127.0.0.2", 5001), c.address());
        assertEquals(new NodeAddress("127.0.0.2", 5000), c.joinVia());
    }

    @Test
    void shortAndLongFormsMeanTheSame() {
        RingConfig shortForm = config("-a", "127.0.0.1", "-p", "0", "-n", "carol", "-na", "127.0.0.3", "-np", "5002");
        RingConfig longForm = config("--address", "127.0.0.1", "--port", "0", "--name", "carol",
                "--peer-address", "127.0.0.3", "--peer-port", "5002");
        assertEquals(shortForm.address(), longForm.address());
        assertEquals(shortForm.joinVia(), longForm.joinVia());
        assertEquals(new NodeAddress("127.0.0.3", 5002), longForm.joinVia());
        assertTrue(config("--leader", "--name", "d").startsRing());
    }

    @Test
    void timingOptionsReachTheConfig() {
        RingConfig c = config("-l", "-n", "a", "--heartbeat-ms", "50", "--suspect-ms", "300");
        assertEquals(50, c.heartbeatMs());
        assertEquals(300, c.suspectMs());
    }

    @Test
    void badNameIsAUsageErrorSayingWhatIsWrong() {
        assertEquals(2, run("-l", "-n", "x y"));
        assertEquals("error: bad name 'x y': it contains a space (U+0020); use 1-32 letters, digits, '_', '-' or '.'",
                err.toString().strip());
        assertEquals(2, run("-l", "-n", "a".repeat(33)));
        assertEquals(2, run("-l", "-n", ""));
        assertEquals(2, run("-l", "-n", "bob!"));
        // a bidi override is spelt out, not sent to the terminal
        assertEquals(2, run("-l", "-n", "bob\u202eevil"));
        List<String> lines = err.toString().lines().toList();
        assertEquals(List.of(
                "error: bad name 'x y': it contains a space (U+0020); use 1-32 letters, digits, '_', '-' or '.'",
                "error: bad name '" + "a".repeat(33) + "': it has 33 characters, more than 32; use 1-32 letters, digits, '_', '-' or '.'",
                "error: bad name '': it is empty; use 1-32 letters, digits, '_', '-' or '.'",
                "error: bad name 'bob!': it contains '!' (U+0021); use 1-32 letters, digits, '_', '-' or '.'",
                "error: bad name 'bob\\u202Eevil': it contains an invisible format or bidi character (U+202E);"
                        + " use 1-32 letters, digits, '_', '-' or '.'"), lines);
    }

    @Test
    void aNameTheLocaleCouldNotDecodeSaysToUseAUtf8Locale() {
        // under LANG=C the JVM turns every byte of "зоя" into U+FFFD
        assertEquals(2, run("-l", "-n", "\ufffd".repeat(6)));
        assertEquals("error: bad name: it reached ringchat as U+FFFD (unreadable text); run in a UTF-8 locale, e.g. LANG=C.UTF-8",
                err.toString().strip());
    }

    @Test
    void namesInAnyScriptAreTakenAndComposedToNfc() {
        assertEquals("\u0437\u043e\u044f", config("-l", "-n", "\u0437\u043e\u044f").name());
        assertEquals("\u674e\u96f7", config("-l", "-n", "\u674e\u96f7").name());
        // e + combining acute, as some keyboards and file systems spell it, becomes é
        assertEquals("jos\u00e9", config("-l", "-n", "jose\u0301").name());
        // 32 characters outside the BMP (64 Java chars) are a name of 32
        assertEquals(64, config("-l", "-n", "\ud835\udc00".repeat(32)).name().length());
    }

    @Test
    void leaderAndPeerPortAreMutuallyExclusiveAndOneIsRequired() {
        assertEquals(2, run("-l", "-np", "5000", "-n", "alice"));
        assertEquals(2, run("-n", "alice"));
        for (String line : err.toString().split("\\R")) {
            assertTrue(line.startsWith("error: "), line);
        }
        assertEquals(2, err.toString().lines().count(), "one line per error");
    }

    @Test
    void otherBadValuesAreUsageErrors() {
        assertEquals(2, run("-l", "-n", "a", "-p", "70000"));
        assertEquals(2, run("-n", "a", "-np", "0"));
        assertEquals(2, run("-l", "-n", "a", "-p", "many"));
        assertEquals(2, run("-l", "-n", "a", "--heartbeat-ms", "500", "--suspect-ms", "400"));
        assertEquals(2, run("-l", "-n", "a", "--nonsense"));
    }

    @Test
    void leaderWithAPeerAddressIsAUsageErrorNotIgnored() {
        assertEquals(2, run("-l", "-n", "alice", "-na", "127.0.0.1"));
        assertEquals("error: -na/--peer-address is for joining a ring through a member; -l starts a new ring:"
                + " use one or the other", err.toString().strip());
    }

    @Test
    void leaderWithAPeerPortIsAUsageErrorNamingBoth() {
        assertEquals(2, run("-l", "-n", "alice", "-np", "5000"));
        assertEquals("error: --leader, --peer-port=<nPort> are mutually exclusive (specify only one)", err.toString().strip());
    }

    @Test
    void joiningThroughYourselfIsAUsageErrorThatSaysWhatToDo() {
        assertEquals(2, run("-n", "bob", "-p", "7133", "-np", "7133"));
        assertEquals("error: -np 7133 is this node's own port: join through another member's address and port"
                + " (-na, -np), or start a new ring with -l", err.toString().strip());
        // the same port on another address is another node
        assertEquals(new NodeAddress("127.0.0.2", 7133), config("-n", "bob", "-p", "7133", "-na", "127.0.0.2", "-np", "7133").joinVia());
    }

    @Test
    void badTimingsNameTheOption() {
        assertEquals(2, run("-l", "-n", "a", "--heartbeat-ms", "0"));
        assertEquals(2, run("-l", "-n", "a", "--suspect-ms", "-5"));
        assertEquals(2, run("-l", "-n", "a", "--heartbeat-ms", "500", "--suspect-ms", "400"));
        assertEquals(java.util.List.of("error: --heartbeat-ms must be positive, not 0",
                "error: --suspect-ms must be positive, not -5",
                "error: --suspect-ms (400) must be longer than --heartbeat-ms (500)"), err.toString().lines().toList());
    }

    @Test
    void helpShowsDefaultsExamplesAndExitCodes() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        assertTrue(help.contains("Examples:"), help);
        assertTrue(help.contains("Exit codes:"), help);
        assertTrue(help.contains("Default: 5000"), help);
        assertTrue(help.contains("Default: 127.0.0.1"), help);
        for (String code : new String[] {"0 ", "1 ", "2 "}) {
            assertTrue(help.lines().anyMatch(l -> l.strip().startsWith(code)), "exit code " + code);
        }
        assertTrue(err.toString().isEmpty());
    }

    @Test
    void versionComesFromThePom() {
        assertEquals(0, run("-V"));
        assertTrue(out.toString().matches("ringchat \\d+\\.\\d+\\.\\d+.*\\R"), out.toString());
        assertFalse(out.toString().contains("${"));
    }
}
