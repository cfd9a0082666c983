package org.ringchat.app;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.Room;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.core.Names;
import org.ringchat.ring.transport.ClusterSecret;
import org.ringchat.ring.transport.TlsFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The command line of {@code ringchat}; {@link #call()} validates it and runs a {@link ChatSession}. */
@Command(name = "ringchat",
        mixinStandardHelpOptions = true,
        versionProvider = Options.Version.class,
        sortOptions = false,
        showDefaultValues = true,
        usageHelpAutoWidth = true,
        description = {
            "A brokerless ring chat: every node is a client and a server. Start a ring as its leader"
                + " with -l, or join one through any member with -np (and -na).",
            "Lines typed go to everyone; lines starting with // are commands (//help lists them)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:left the ring gracefully (//exit, end of input, Ctrl-D, Ctrl-C, SIGINT, SIGTERM, SIGHUP)",
            "1:runtime failure (port in use, nobody to join, removed from the ring)",
            "2:bad usage",
            "128+n:a second signal n during the leave (130 SIGINT, 143 SIGTERM, 129 SIGHUP)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  Start a ring as its leader:",
            "    ringchat -l -a 127.0.0.1 -p 5000 -n alice",
            "  Join it through any member:",
            "    ringchat -a 127.0.0.1 -p 5001 -n bob -na 127.0.0.1 -np 5000",
            "    ringchat -a 127.0.0.1 -p 5002 -n carol -np 5001",
            "  Each node appends its Lamport-stamped record to chat_<port>.log",
            "  in its working directory, or in --log-dir <dir>.",
            "  Benchmark ringchat on this machine (ringchat bench --help says more):",
            "    ringchat bench --nodes 3"})
final class Options implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Role role = new Role();

    @Option(names = {"-a", "--address"}, paramLabel = "<IP>", description = "Address to listen on.")
    String address = "127.0.0.1";

    @Option(names = {"-p", "--port"}, paramLabel = "<port>",
            description = "Port to listen on; 0 picks a free one.")
    int port = 5000;

    @Option(names = {"-n", "--name"}, required = true, paramLabel = "<name>",
            description = "Your name: 1-32 letters (any script), digits, '_', '-' or '.'; unique in the ring,"
                    + " whatever its case, and not like a member's.")
    String name;

    @Option(names = {"-na", "--peer-address"}, paramLabel = "<nIP>", showDefaultValue = Visibility.NEVER,
            description = "Address of any ring member to join through (default: the value of -a).")
    String peerAddress;

    @Option(names = {"-v", "--verbose"}, showDefaultValue = Visibility.NEVER,
            description = "Diagnostics on stderr (INFO/DEBUG, with stack traces); mirror chat_<port>.log to stderr.")
    boolean verbose;

    @Option(names = "--heartbeat-ms", paramLabel = "<ms>", description = "How often a node says it is alive.")
    int heartbeatMs = RingConfig.DEFAULT_HEARTBEAT_MS;

    @Option(names = "--suspect-ms", paramLabel = "<ms>",
            description = "Silence after which a peer is suspected (must exceed --heartbeat-ms).")
    int suspectMs = RingConfig.DEFAULT_SUSPECT_MS;

    @Option(names = "--secret-file", paramLabel = "<path>", showDefaultValue = Visibility.NEVER,
            description = "A file holding the ring's secret (at least 16 bytes; RINGCHAT_SECRET holds it"
                    + " otherwise): every connection is then authenticated and encrypted, and nobody without it"
                    + " gets in.")
    Path secretFile;

    @Option(names = "--tls-cert", paramLabel = "<pem>", showDefaultValue = Visibility.NEVER,
            description = "This node's certificate (PEM), signed by the ring's CA: every link is then mutual TLS"
                    + " (with --tls-key and --tls-ca).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "<pem>", showDefaultValue = Visibility.NEVER,
            description = "This node's private key (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "<pem>", showDefaultValue = Visibility.NEVER,
            description = "The ring's CA certificate (PEM): only certificates it signed get in.")
    Path tlsCa;

    /** Where the environment comes from: tests give their own. */
    Map<String, String> environment = System.getenv();

    @Option(names = "--room", paramLabel = "<room>",
            description = "The room to start in: 1-32 letters, digits, '_', '-' or '.'.")
    String room = Room.GENERAL;

    @Option(names = "--history", paramLabel = "<N>",
            description = "Messages of your room shown on joining the ring or a room, before live chat.")
    int history = RingConfig.DEFAULT_HISTORY_SHOWN;

    @Option(names = "--history-limit", paramLabel = "<N>",
            description = "Messages kept per room (for //history and for members who join).")
    int historyLimit = RingConfig.DEFAULT_ROOM_HISTORY_LIMIT;

    @Option(names = "--time", showDefaultValue = Visibility.NEVER,
            description = "Pipe mode: show the time each line was ordered (HH:MM) before it, as the console does.")
    boolean time;

    @Option(names = "--no-time", showDefaultValue = Visibility.NEVER,
            description = "Console: do not show the time each line was ordered.")
    boolean noTime;

    @Option(names = "--json", showDefaultValue = Visibility.NEVER,
            description = "Print every output event as one JSON object per line (see docs/json.md); implies --pipe.")
    boolean json;

    @Option(names = "--log-dir", paramLabel = "<dir>",
            description = "Where to write chat_<port>.log (and ringchat_<port>.diag.log); created if missing.")
    Path logDir = Path.of(".");

    @Option(names = "--pipe", showDefaultValue = Visibility.NEVER,
            description = "No prompt: read lines from stdin, print one line per message (automatic when stdin or"
                    + " stdout is not a terminal).")
    boolean pipe;

    /** Exactly one of: start a ring, or join one. */
    static final class Role {
        @Option(names = {"-l", "--leader"}, required = true, showDefaultValue = Visibility.NEVER,
                description = "Start a new ring as its leader.")
        boolean leader;

        @Option(names = {"-np", "--peer-port"}, required = true, paramLabel = "<nPort>",
                description = "Port of any ring member to join through.")
        Integer peerPort;
    }

    @Override
    public Integer call() {
        RingConfig config = toConfig();
        Logging.configure(verbose);
        return new ChatSession(config, verbose, pipe || json, time, noTime, json, logDir, Version.number()).run();
    }

    /** Validates the options into a node configuration; a {@link ParameterException} (exit 2) otherwise. */
    RingConfig toConfig() {
        if (name.indexOf('\uFFFD') >= 0) {
            // the JVM decodes arguments with the locale's charset: under LANG=C a letter outside ASCII arrives as U+FFFD
            throw usage("bad name: it reached ringchat as U+FFFD (unreadable text); run in a UTF-8 locale, e.g. LANG=C.UTF-8");
        }
        checkPort("port", port, 0);
        if (role.leader && peerAddress != null) {
            throw usage("-na/--peer-address is for joining a ring through a member; -l starts a new ring:"
                    + " use one or the other");
        }
        positive("--heartbeat-ms", heartbeatMs);
        positive("--suspect-ms", suspectMs);
        if (suspectMs <= heartbeatMs) {
            throw usage("--suspect-ms (" + suspectMs + ") must be longer than --heartbeat-ms (" + heartbeatMs + ")");
        }
        try {
            // what was typed, composed (NFC): the form a name travels and is compared in
            RingConfig.Builder b = RingConfig.builder(Names.normalize(name))
                    .address(new NodeAddress(ip(address), port))
                    .heartbeatMs(heartbeatMs)
                    .suspectMs(suspectMs);
            if (!role.leader) {
                checkPort("peer port", role.peerPort, 1);
                NodeAddress peer = new NodeAddress(ip(peerAddress != null ? peerAddress : address), role.peerPort);
                if (peer.equals(new NodeAddress(ip(address), port))) {
                    throw usage("-np " + port + " is this node's own port: join through another member's address"
                            + " and port (-na, -np), or start a new ring with -l");
                }
                b.joinVia(peer);
            }
            if (!Room.valid(room)) {
                throw usage("bad room '" + room + "' for --room: use 1-" + Room.MAX_LENGTH
                        + " letters, digits, '_', '-' or '.'");
            }
            if (historyLimit < 1) {
                throw usage("--history-limit must be at least 1, not " + historyLimit);
            }
            if (history < 0 || history > historyLimit) {
                throw usage("--history must be 0 to --history-limit (" + historyLimit + "), not " + history);
            }
            b.room(room).roomHistoryLimit(historyLimit).historyShown(history);
            b.secret(secret());
            b.tls(tls());
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The ring's secret from {@code --secret-file} or {@code RINGCHAT_SECRET}; null when neither is given. */
    private ClusterSecret secret() {
        byte[] bytes;
        if (secretFile != null) {
            try {
                bytes = Files.readAllBytes(secretFile);
            } catch (IOException e) {
                throw usage("cannot read the secret file " + secretFile + ": " + Failures.describe(e));
            }
        } else if (environment.get("RINGCHAT_SECRET") != null) {
            bytes = environment.get("RINGCHAT_SECRET").getBytes(StandardCharsets.UTF_8);
        } else {
            return null;
        }
        try {
            return ClusterSecret.of(bytes);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The TLS files, all three or none; each read and checked now, so that a bad one is a usage error. */
    private TlsFiles tls() {
        if (tlsCert == null && tlsKey == null && tlsCa == null) {
            return null;
        }
        if (tlsCert == null || tlsKey == null || tlsCa == null) {
            throw usage("TLS needs --tls-cert, --tls-key and --tls-ca together");
        }
        TlsFiles files = new TlsFiles(tlsCert, tlsKey, tlsCa);
        files.check();
        return files;
    }

    /** Nodes know each other by IP address: a host name is looked up once, here. */
    private String ip(String host) {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return host;
        }
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw usage("unknown host '" + host + "'");
        }
    }

    private void positive(String option, int value) {
        if (value <= 0) {
            throw usage(option + " must be positive, not " + value);
        }
    }

    private void checkPort(String what, int value, int min) {
        if (value < min || value > 65535) {
            throw usage(what + " must be " + min + "-65535, not " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The version Maven wrote into {@code ringchat-version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ringchat " + number()};
        }

        /** The bare version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} outside the built jar. */
        static String number() {
            Properties p = new Properties();
            try (InputStream in = Options.class.getResourceAsStream("/ringchat-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }
}
