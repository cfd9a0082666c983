package org.ringchat.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This very program ({@code ringchat}) started again as a child process, the way a user starts
 * it: {@code java -jar ringchat.jar ARGS} when it runs from its jar, {@code java -cp CLASSPATH
 * org.ringchat.app.Main ARGS} otherwise (from the build's classes). Also signals and memory of a
 * process by its pid.
 */
final class JavaProcess {

    /**
     * The JVM flags of every child process but the join workload's newcomer ({@link #launcherFlags}):
     * the serial collector and a 256 MiB heap, as the JGroups anchor's member processes use, so that
     * the two compare. Too small a heap and a 5-node burst
     * spends its time collecting; no limit and five JVMs take the machine's memory. And the
     * launcher's limit on what C2 inlines ({@code -XX:FreqInlineSize=100}, explained in
     * {@code app/jvm.options}): a program that embeds the ring should run with it too.
     */
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m", "-XX:FreqInlineSize=100");
    /** The launcher's JVM flags, {@code app/jvm.options}, as the build puts them in the jar. */
    static final String LAUNCHER_FLAGS = "/org/ringchat/app/jvm.options";
    /** The launcher's class-data archive, next to the jar ({@code ./ringchat} makes it). */
    static final String ARCHIVE = "ringchat.jsa";
    /**
     * Environment variable with more JVM flags for every child process, separated by spaces, after
     * {@link #JVM_FLAGS}; {@code {name}} in them becomes the child's name. For profiling, e.g.
     * {@code RINGCHAT_BENCH_JVM_FLAGS='-Xlog:jfr+startup=error
     * -XX:StartFlightRecording=filename=/tmp/jfr/{name}.jfr,settings=profile'} (the first flag keeps
     * JFR's start-up line off the child's stdout, where the bench reads its replies).
     */
    static final String EXTRA_JVM_FLAGS_ENV = "RINGCHAT_BENCH_JVM_FLAGS";
    /** Lines of a child's stderr kept for a failure's report. */
    static final int STDERR_LINES_KEPT = 40;
    /** How long {@code kill} may take before the signal counts as not sent. */
    static final long KILL_TIMEOUT_MS = 10_000;

    /** The buffer a child's stdout is read into as bytes ({@link ByteLines}); a longer line makes it grow. */
    static final int STDOUT_BUFFER_BYTES = 64 * 1024;

    /** Takes a child's stdout a line at a time, as the bytes read. */
    interface ByteLines {
        /**
         * A line, {@code bytes[from..to)}, UTF-8 without its line end, read at {@code nanos}
         * ({@link System#nanoTime}); the bytes are the reader's, valid during the call only.
         */
        void line(byte[] bytes, int from, int to, long nanos);
    }

    /** How a child's stdout is read, on its reader thread. */
    private interface StdoutReader {
        void read(InputStream in) throws IOException;
    }

    private final Process process;
    private final Deque<String> stderr = new ConcurrentLinkedDeque<>();

    private JavaProcess(Process process, String name, StdoutReader stdout) {
        this.process = process;
        read(process.getInputStream(), stdout, name + "-stdout");
        read(process.getErrorStream(), in -> readLines(in, line -> {
            stderr.addLast(line);
            while (stderr.size() > STDERR_LINES_KEPT) {
                stderr.pollFirst();
            }
        }), name + "-stderr");
    }

    /** Starts {@code ringchat ARGS} with {@link #JVM_FLAGS} in {@code dir}; see {@link #start(String, Path, List, List, Consumer)}. */
    static JavaProcess start(String name, Path dir, List<String> args, Consumer<String> stdoutLine) {
        return start(name, dir, JVM_FLAGS, args, stdoutLine);
    }

    /**
     * Starts {@code ringchat ARGS} with {@link #JVM_FLAGS} in {@code dir}; its stdout goes to
     * {@code stdoutLines} as bytes, a line at a time, on a reader thread that makes no
     * {@code String} of a line: for a child whose every line the bench reads while it measures.
     */
    static JavaProcess start(String name, Path dir, List<String> args, ByteLines stdoutLines) {
        return launch(name, dir, JVM_FLAGS, args, in -> readByteLines(in, stdoutLines));
    }

    /** Starts {@code ringchat ARGS} in {@code dir}; every stdout line goes to {@code stdoutLine}, on a reader thread. */
    static JavaProcess start(String name, Path dir, List<String> jvmFlags, List<String> args,
            Consumer<String> stdoutLine) {
        return launch(name, dir, jvmFlags, args, in -> readLines(in, stdoutLine));
    }

    private static JavaProcess launch(String name, Path dir, List<String> jvmFlags, List<String> args,
            StdoutReader stdoutReader) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(extraJvmFlags(System.getenv(EXTRA_JVM_FLAGS_ENV), name));
        Path jar = jar();
        if (jar != null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.ringchat.app.Main"));
        }
        command.addAll(args);
        try {
            Files.createDirectories(dir);
            return new JavaProcess(new ProcessBuilder(command).directory(dir.toFile()).start(), name, stdoutReader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The jar this program runs from, or null when it runs from the build's classes. */
    private static Path jar() {
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return Path.of(classPath).toAbsolutePath();
        }
        return null;
    }

    /**
     * The JVM flags the launcher ({@code ./ringchat}) starts a node with: those of
     * {@code app/jvm.options} (in the jar), and its class-data archive {@code ringchat.jsa} when
     * there is one next to the jar, made after it (as the launcher makes it: {@link #ARCHIVE}).
     */
    static List<String> launcherFlags() {
        List<String> flags = new ArrayList<>();
        try (InputStream in = JavaProcess.class.getResourceAsStream(LAUNCHER_FLAGS)) {
            if (in == null) {
                throw new BenchFailure("no " + LAUNCHER_FLAGS + " in the program");
            }
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(flags::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LAUNCHER_FLAGS, e);
        }
        Path jar = jar();
        Path archive = jar == null ? null : jar.resolveSibling(ARCHIVE);
        try {
            if (archive != null && Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                flags.add("-XX:SharedArchiveFile=" + archive);
            }
        } catch (IOException e) {
            // no archive then
        }
        return List.copyOf(flags);
    }

    /** The flags of {@link #EXTRA_JVM_FLAGS_ENV}'s value {@code flags} (null: none) for the child {@code name}. */
    static List<String> extraJvmFlags(String flags, String name) {
        if (flags == null || flags.isBlank()) {
            return List.of();
        }
        return List.of(flags.trim().replace("{name}", name).split("\\s+"));
    }

    private static void read(InputStream in, StdoutReader reader, String threadName) {
        Thread t = new Thread(() -> {
            try (in) {
                reader.read(in);
            } catch (IOException e) {
                // the process is gone
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    private static void readLines(InputStream in, Consumer<String> line) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String l;
        while ((l = r.readLine()) != null) {
            line.accept(l);
        }
    }

    /**
     * Reads {@code in} into a buffer of {@link #STDOUT_BUFFER_BYTES} and hands on each line it
     * holds ({@code \n} or {@code \r\n} ends one), with the time of the read that completed it.
     */
    static void readByteLines(InputStream in, ByteLines lines) throws IOException {
        byte[] buffer = new byte[STDOUT_BUFFER_BYTES];
        int start = 0; // where the line not yet complete starts
        int end = 0;
        while (true) {
            if (end == buffer.length) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                break;
            }
            long now = System.nanoTime();
            for (int i = end; i < end + read; i++) {
                if (buffer[i] == '\n') {
                    lines.line(buffer, start, i > start && buffer[i - 1] == '\r' ? i - 1 : i, now);
                    start = i + 1;
                }
            }
            end += read;
            if (start == end) {
                start = 0;
                end = 0;
            }
        }
        if (start < end) {
            lines.line(buffer, start, end, System.nanoTime());
        }
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /** The last lines of its stderr. */
    List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Closes its stdin, waits up to {@code graceMs} for it to end by itself, then kills it; its exit code. */
    int end(long graceMs) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        try {
            if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                signal(pid(), "CONT"); // a stopped process would not die before it runs again
                process.destroyForcibly();
                process.waitFor(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** {@code kill -SIGNAL pid}, e.g. {@code KILL}, {@code STOP}, {@code CONT}; returns once kill has. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new BenchFailure("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new BenchFailure("cannot run kill: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while sending " + signal);
        }
    }

    /** The resident memory of process {@code pid} in MB (VmRSS of {@code /proc/<pid>/status}); null where there is none. */
    static Double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Math.round(kb / 102.4) / 10.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return null;
    }
}
