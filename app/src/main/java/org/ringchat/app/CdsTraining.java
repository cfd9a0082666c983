package org.ringchat.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingListener;
import org.ringchat.ring.RingNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringchat cds-training}, hidden from the help: the training run from which the build
 * makes the class-data sharing archive ({@code app/target/ringchat.jsa}, see {@code app/pom.xml}).
 * The JVM archives every class this run loads, so it walks the paths of a node's start: a leader
 * starts a ring (through the {@code ring} API), a node joins it through the real command line in
 * pipe mode and sends a line, reaches the end of its input and leaves, and a JLine prompt reads a
 * line from a dumb terminal (the console's classes). Classes it does not load (TLS, the secret's
 * handshake, a real terminal's) come from the jar as usual. A join that fails (a loaded machine)
 * is tried again, up to {@link #JOIN_ATTEMPTS} times; the run succeeds either way, having loaded
 * nearly every class a join would.
 */
@Command(name = "cds-training", hidden = true,
        description = "The training run of the build's class-data sharing archive.")
public final class CdsTraining implements Callable<Integer> {

    /** How long the leader may take to start its ring. */
    static final long LEADER_TIMEOUT_MS = 30_000;
    /** Attempts at the joiner's join. */
    static final int JOIN_ATTEMPTS = 3;

    @Option(names = "--log-dir", required = true, description = "Where the joiner writes its chat log.")
    Path logDir;

    @Override
    public Integer call() throws Exception {
        RingNode leader = RingNode.start(RingConfig.builder("cds-leader").address("127.0.0.1", 0).build(),
                RingListener.NONE);
        try {
            leader.joined().get(LEADER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            for (int attempt = 1; attempt <= JOIN_ATTEMPTS; attempt++) {
                if (join(leader.address().port()) == Main.EXIT_OK) {
                    break;
                }
                System.err.println("cds-training: the join failed (attempt " + attempt + " of " + JOIN_ATTEMPTS + ")");
            }
            readOneLineOnADumbTerminal();
            return Main.EXIT_OK;
        } finally {
            leader.close();
        }
    }

    /** A pipe-mode node joins through {@code port}, sends a line and leaves at the end of its input; its exit code. */
    private int join(int port) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("hello from the training run\n".getBytes(StandardCharsets.UTF_8)));
        try {
            return Main.run("-a", "127.0.0.1", "-p", "0", "-n", "cds-joiner", "-np", String.valueOf(port),
                    "--log-dir", logDir.toString());
        } finally {
            System.setIn(stdin);
        }
    }

    private static void readOneLineOnADumbTerminal() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().dumb(true).system(false)
                .streams(new ByteArrayInputStream("hi\n".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream())
                .build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("ringchat")
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build();
            Input.of(reader, () -> "> ").readLine();
        }
    }
}
