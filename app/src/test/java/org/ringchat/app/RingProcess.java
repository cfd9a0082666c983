package org.ringchat.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real {@code ringchat.jar} running as a separate process in pipe mode, in its own working
 * directory, for end-to-end tests: write its stdin, read its stdout, stderr and
 * {@code chat_<port>.log}, send it signals. Always {@link #destroy()} it (in {@code @AfterEach}).
 */
final class RingProcess {

    static final String HOST = "127.0.0.1";
    /** A line of {@code chat_<port>.log}: {@code T: text}. */
    static final Pattern LOGGED = Pattern.compile("(\\d+): (.*)");

    private final String name;
    private final String host;
    private final int port;
    private final Path workDir;
    private final Process process;
    private final Writer stdin;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    /** When each stdout line was read ({@link System#nanoTime()}), index for index; filled first. */
    private final List<Long> stdoutReadAt = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private RingProcess(String name, String host, int port, Path workDir, Process process) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.workDir = workDir;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        collect(process.getInputStream(), stdout, stdoutReadAt, name + "-stdout");
        collect(process.getErrorStream(), stderr, new ArrayList<>(), name + "-stderr");
    }

    /** The jar under test, from the {@code ringchat.jar} system property that failsafe sets. */
    static Path jar() {
        String jar = System.getProperty("ringchat.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no ringchat.jar at " + jar + "; run the *IT tests with mvn verify");
        }
        return Path.of(jar);
    }

    /** A port nobody listens on right now (bound to 0, then closed). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the leader of a new ring on {@code port}, in {@code root/name}. */
    static RingProcess leader(Path root, String name, int port, String... extra) {
        return start(root, name, port, concat(List.of("-l"), extra));
    }

    /** Starts a node that joins through the member listening on {@code peerPort}. */
    static RingProcess joiner(Path root, String name, int port, int peerPort, String... extra) {
        return start(root, name, port, concat(List.of("-na", HOST, "-np", String.valueOf(peerPort)), extra));
    }

    /** Starts {@code java -jar ringchat.jar --pipe -a 127.0.0.1 -p port -n name args...} in {@code root/name}. */
    static RingProcess start(Path root, String name, int port, List<String> args) {
        return start(root.resolve(name), name, HOST, port, args);
    }

    /** Starts {@code java -jar ringchat.jar --pipe -a host -p port -n name args...} in {@code dir}. */
    static RingProcess start(Path dir, String name, String host, int port, List<String> args) {
        return start(List.of(), dir, name, host, port, args);
    }

    /**
     * Starts {@code prefix... java -jar ringchat.jar --pipe -a host -p port -n name args...} in
     * {@code dir}; the prefix runs it elsewhere, e.g. {@code ip netns exec <ns>} (see
     * {@link NetnsLab#exec}), and must exec the command so that {@link #pid()} is the node's.
     */
    static RingProcess start(List<String> prefix, Path dir, String name, String host, int port, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(java());
        return start(command, Map.of(), dir, name, host, port, args);
    }

    /** The JVM and its flags the end-to-end tests run the jar with: {@code java ... -jar ringchat.jar}. */
    static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar().toString());
    }

    /**
     * Starts {@code ./ringchat --pipe -a 127.0.0.1 -p port -n name args...}, the launcher at the
     * root of the source tree (with its JVM flags and class-data archive), in {@code root/name},
     * with these variables added to its environment.
     */
    static RingProcess launched(Path root, String name, int port, Map<String, String> env, String... args) {
        Path launcher = jar().toAbsolutePath().getParent().getParent().getParent().resolve("ringchat");
        return start(List.of(launcher.toString()), env, root.resolve(name), name, HOST, port, List.of(args));
    }

    /** Starts {@code program... --pipe -a host -p port -n name args...} in {@code dir}, with {@code env} added. */
    private static RingProcess start(List<String> program, Map<String, String> env, Path dir, String name, String host,
            int port, List<String> args) {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("--pipe", "-a", host, "-p", String.valueOf(port), "-n", name));
        command.addAll(args);
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            return new RingProcess(name, host, port, dir, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static void collect(InputStream in, List<String> into, List<Long> readAt, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    readAt.add(System.nanoTime());
                    into.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** The address it listens on ({@code -a}). */
    String host() {
        return host;
    }

    /** How the others show this node: {@code name(host:port)}. */
    String display() {
        return name + "(" + host + ":" + port + ")";
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Types one line. */
    void sendLine(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + name, e);
        }
    }

    /** True once it wrote a line on stdout or ended. */
    boolean hasOutput() {
        return !stdout.isEmpty() || !process.isAlive();
    }

    /** End of input: the node leaves gracefully. */
    void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    /**
     * When this harness read the first stdout line from index {@code from} on that matches
     * ({@link System#nanoTime()}), or empty if there is none yet.
     */
    OptionalLong readAt(int from, Predicate<String> line) {
        List<String> out = stdout();
        for (int i = from; i < out.size(); i++) {
            if (line.test(out.get(i))) {
                return OptionalLong.of(stdoutReadAt.get(i));
            }
        }
        return OptionalLong.empty();
    }

    /** When this harness read stdout line {@code index} ({@link System#nanoTime()}). */
    long readAt(int index) {
        return stdoutReadAt.get(index);
    }

    /** Lines of stdout that are chat messages ({@code > ...}). */
    List<String> chatLines() {
        return stdout.stream().filter(l -> l.startsWith("> ")).toList();
    }

    Path logFile() {
        return workDir.resolve("chat_" + port + ".log");
    }

    /** {@code chat_<port>.log} as it is now (empty if not yet written). */
    List<String> logLines() {
        try {
            return Files.exists(logFile()) ? Files.readAllLines(logFile(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chat line's time in the log, after {@code T: }: when the leader ordered it. */
    static final Pattern ORDERED_AT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ");

    /** The chat lines of {@code chat_<port>.log} ({@code T: 2026-11-30T08:12:03Z > ...}) with their {@code T: } and time taken off. */
    List<String> loggedChatLines() {
        List<String> chat = new ArrayList<>();
        for (String line : logLines()) {
            Matcher m = LOGGED.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Matcher at = ORDERED_AT.matcher(m.group(2));
            String rest = at.lookingAt() ? m.group(2).substring(at.end()) : m.group(2);
            if (rest.startsWith("> ")) {
                chat.add(rest);
            }
        }
        return chat;
    }

    /** Fails unless every line of {@code chat_<port>.log} is {@code T: text} with T never going backwards. */
    void assertLogTimeNeverGoesBack() {
        long last = -1;
        for (String line : logLines()) {
            Matcher m = LOGGED.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("log line format at " + this + ": " + line);
            }
            long t = Long.parseLong(m.group(1));
            if (t < last) {
                throw new AssertionError("T went backwards in " + logFile() + " at: " + line);
            }
            last = t;
        }
    }

    /** The stop signals a node handles, by number: they must reach it as the tests send them. */
    private static final Map<String, Integer> STOP_SIGNALS = Map.of("HUP", 1, "INT", 2, "TERM", 15);

    /** Sends a signal with {@code kill -SIG pid}, e.g. {@code "TERM"}, {@code "KILL"}, {@code "STOP"}, {@code "CONT"}. */
    void signal(String sig) {
        Integer number = STOP_SIGNALS.get(sig);
        if (number != null && ignored(pid(), number)) {
            // a process started with a signal ignored keeps it ignored (the JVM, and so the node, too):
            // fail now and say why, rather than wait for an exit that cannot come
            throw new IllegalStateException("the node (pid " + pid() + ") ignores SIG" + sig + ": it inherited it ignored"
                    + " from whatever started the tests (nohup, or a background job of a shell without job control);"
                    + " run them in the foreground");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether process {@code pid} ignores signal {@code number}, from Linux's {@code /proc/PID/status}; false elsewhere. */
    static boolean ignored(long pid, int number) {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(l -> l.startsWith("SigIgn:"))
                    .map(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).trim(), 16))
                    .anyMatch(mask -> (mask & (1L << (number - 1))) != 0);
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for the process to end; its exit code, or null if it is still running after {@code timeout}. */
    Integer waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Kills the process (SIGKILL if it does not stop) and waits for it. */
    void destroy() {
        closeStdin();
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** Everything about this process, for failure messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        b.append("--- ").append(display()).append(process.isAlive() ? " running" : " exited " + process.exitValue())
                .append('\n');
        Stream.of("stdout", "stderr", "log").forEach(what -> {
            List<String> lines = switch (what) {
                case "stdout" -> stdout();
                case "stderr" -> stderr();
                default -> logLines();
            };
            b.append("  [").append(what).append("]\n");
            lines.forEach(l -> b.append("    ").append(l).append('\n'));
        });
        return b.toString();
    }

    @Override
    public String toString() {
        return display();
    }
}
