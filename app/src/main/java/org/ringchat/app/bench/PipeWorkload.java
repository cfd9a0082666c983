package org.ringchat.app.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code pipe}: the real {@code ringchat} program in pipe mode, as a user or a bot runs it
 * ({@code ringchat -l -a 127.0.0.1 -p 0 -n NAME}, then {@code -np PORT} to join), one process per
 * node. The most junior node gets the lines on its stdin; every node's stdout and
 * {@code chat_<port>.log} must show each exactly once, all in one order. Latency is from the
 * bench writing a line to the bench reading it on the slowest node's stdout.
 */
final class PipeWorkload {

    /** {@code * started a new ring at 127.0.0.1:PORT; you are the leader}. */
    static final Pattern STARTED = Pattern.compile("\\* started a new ring at [^ ]+:(\\d+);.*");

    /** The groups of {@link #cpuTimes}, in the order of {@link Member.Cpu}'s fields. */
    private static final List<String> CPU_GROUPS = List.of("loop", "caller", "process", TaskCpu.JIT, TaskCpu.VM,
            "printer");

    /** The typist's writes to the sender's stdin: at most this many bytes each, the size of a pipe's buffer. */
    static final int INPUT_CHUNK_BYTES = 64 * 1024;

    private final BenchSettings settings;
    private final Path dir;
    private final List<PipeNode> nodes = new ArrayList<>();
    private int started;
    /** The sender's stdin, once lines were typed. */
    private OutputStream stdin;
    /** How many lines were typed so far (warm-up and burst): the next line's id. */
    private int typed;

    PipeWorkload(BenchSettings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
    }

    /** One {@code ringchat} process in pipe mode, its stdout read into a {@link DeliveryRecord}. */
    private static final class PipeNode {
        final String name;
        final Path logDir;
        final DeliveryRecord record = new DeliveryRecord();
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicLong chatLines = new AtomicLong();
        /** The reader's view of the line it read. */
        private final AsciiView view = new AsciiView();
        JavaProcess process;

        PipeNode(String name, Path logDir) {
            this.name = name;
            this.logDir = logDir;
        }

        /**
         * A line of its stdout, {@code bytes[from..to)}, read at {@code nanos}: parsed as it is,
         * a chat line without a {@code String} made of it.
         */
        void line(byte[] bytes, int from, int to, long nanos) {
            AsciiView line = view.of(bytes, from, to);
            int text = chatText(line, 0);
            if (text >= 0) {
                record.deliveredId(chatLines.incrementAndGet(), BenchText.id(line, text), nanos);
            } else {
                events.add(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            }
        }

        boolean said(Pattern p) {
            return events.stream().anyMatch(l -> p.matcher(l).matches());
        }

        /** The chat lines of its {@code chat_<port>.log}, as a record. */
        DeliveryRecord logged(int expected) {
            DeliveryRecord logged = new DeliveryRecord();
            logged.expect(0, expected);
            long seq = 0;
            for (String line : logLines()) {
                int text = loggedChatText(line);
                if (text >= 0) {
                    logged.delivered(++seq, line.substring(text), 1);
                }
            }
            return logged;
        }

        List<String> logLines() {
            try (Stream<Path> files = Files.list(logDir)) {
                Path log = files.filter(f -> f.getFileName().toString().matches("chat_.*\\.log")).findFirst().orElse(null);
                return log == null ? List.of() : Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return List.of();
            }
        }

        String describe() {
            Process p = process.process();
            return "--- " + name + " (pid " + p.pid() + ", " + (p.isAlive() ? "running" : "exited " + p.exitValue())
                    + ")\n  stdout events: " + events + "\n  stderr: " + process.stderr();
        }
    }

    /**
     * Where the text of a chat line starts, the line being {@code > name(ip:port)[T]: text} from
     * index {@code from} on (stdout's form, in the general room); -1 when it is not one. By hand, not
     * by a regular expression: the bench reads every line of every node while it measures.
     */
    static int chatText(CharSequence line, int from) {
        if (from + 1 >= line.length() || line.charAt(from) != '>' || line.charAt(from + 1) != ' ') {
            return -1;
        }
        int space = indexOf(line, ' ', from + 2); // the name, address and T hold none
        int open = space < 0 ? -1 : lastIndexOf(line, '[', space);
        int paren = indexOf(line, '(', from + 2);
        if (space < 0 || open < 0 || paren < 0 || paren == from + 2 || paren > open
                || line.charAt(space - 1) != ':' || line.charAt(space - 2) != ']' || line.charAt(open - 1) != ')'
                || open - 1 - paren < 2 || space - 2 - open < 2) {
            return -1;
        }
        for (int i = open + 1; i < space - 2; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return -1;
            }
        }
        return space + 1;
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(CharSequence s, char c, int from) {
        for (int i = Math.min(from, s.length() - 1); i >= 0; i--) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the text of a chat line of {@code chat_<port>.log} starts: {@code T: } and the time it
     * was ordered (one word) before {@link #chatText}'s line; -1 when it is not one.
     */
    static int loggedChatText(String line) {
        int colon = line.indexOf(": ");
        if (colon < 1) {
            return -1;
        }
        for (int i = 0; i < colon; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return -1;
            }
        }
        int chat = colon + 2;
        if (!line.startsWith("> ", chat)) {
            int space = line.indexOf(' ', chat);
            chat = space > chat ? space + 1 : -1;
        }
        return chat < 0 ? -1 : chatText(line, chat);
    }

    BenchResult run() {
        int messages = settings.messages();
        try {
            return measure(messages);
        } catch (BenchFailure e) {
            System.err.println("bench: pipe failed: " + e.getMessage() + "\n" + describe());
            return BenchResult.failed("pipe", "processes", settings.nodes(), messages, settings.size(),
                    Bench.firstLine(e));
        } finally {
            nodes.forEach(n -> n.process.end(Bench.LEAVE_GRACE_MS));
        }
    }

    private BenchResult measure(int messages) {
        PipeNode leader = form();
        PipeNode sender = nodes.get(nodes.size() - 1);
        List<String> problems = new ArrayList<>(warmUp(sender, Math.max(1, messages / Bench.WARMUP_FRACTION)));
        int first = typed;
        nodes.forEach(n -> n.record.expect(first, messages));
        Map<String, long[]> cpuBefore = cpuTimes();
        long start = System.nanoTime();
        type(sender, messages);
        Map<String, DeliverySummary> reports = awaitAll(Bench.deliveryTimeoutMs(messages),
                n -> n.name, n -> n.record.summary());
        Map<String, Member.Cpu> cpu = cpuPerLine(cpuBefore, cpuTimes(), messages);
        // the log holds the warm-up's lines and the burst's, each once, in the one order
        Map<String, DeliverySummary> logs = awaitAll(Bench.SETTLE_TIMEOUT_MS,
                n -> n.name + " log", n -> n.logged(typed).summary());
        problems.addAll(Agreement.problems(reports, messages));
        problems.addAll(Agreement.problems(logs, typed));
        Double rss = JavaProcess.rssMb(leader.process.pid());
        long[] latencies = DeliveryRecord.latencies(nodes.stream().map(n -> n.record.deliveredTimes()).toList(),
                sender.record.sentTimes());
        long last = Ring.lastDelivery(reports);
        // end of input: every node leaves gracefully and exits 0, the most junior first
        for (int i = nodes.size() - 1; i >= 0; i--) {
            int code = nodes.get(i).process.end(Bench.LEAVE_GRACE_MS);
            if (code != 0) {
                problems.add(nodes.get(i).name + " exited " + code + " at the end of its input");
            }
        }
        return new BenchResult("pipe", "processes", settings.nodes(), messages, settings.size(),
                last > start ? messages * 1e9 / (last - start) : null, null, null, null, null, null, null, null, rss,
                null, null, problems.isEmpty(), problems).withLatencies(latencies).withCpu(cpu);
    }

    /** The CPU ns so far of each node's threads ({@link #CPU_GROUPS}), by role, and of the bench's own JVM. */
    private Map<String, long[]> cpuTimes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (PipeNode n : nodes) {
            String role = n == nodes.get(0) ? "leader" : n == nodes.get(nodes.size() - 1) ? "junior" : n.name;
            String loop = TaskCpu.comm("ringchat-" + n.name + "-");
            String input = TaskCpu.comm(n.name + "-input");
            // the printer and its screen's thread: the node's output
            Set<String> output = Set.of(TaskCpu.comm(n.name + "-printer"), TaskCpu.comm(n.name + "-screen"));
            Map<String, Long> ns = TaskCpu.byGroup(String.valueOf(n.process.pid()), comm -> comm.startsWith(loop) ? "loop"
                    : comm.equals(input) ? "caller" : output.contains(comm) ? "printer" : TaskCpu.jitOrVm(comm));
            out.put(role, times(ns, TaskCpu.process(n.process.pid())));
        }
        long self = ProcessHandle.current().pid();
        out.put("bench", times(TaskCpu.byGroup("self", TaskCpu::jitOrVm), TaskCpu.process(self)));
        return out;
    }

    private static long[] times(Map<String, Long> byGroup, long process) {
        long[] out = new long[CPU_GROUPS.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = CPU_GROUPS.get(i).equals("process") ? process : byGroup.getOrDefault(CPU_GROUPS.get(i), 0L);
        }
        return out;
    }

    /**
     * CPU µs per line of each node over the burst: its event loop ({@code loop}), the thread
     * reading its stdin ({@code caller}), its output (the printer and its screen's thread), the
     * whole process, its JIT and VM threads;
     * and of the bench's JVM, which reads every node's stdout ({@code bench}: process, JIT, VM).
     */
    private static Map<String, Member.Cpu> cpuPerLine(Map<String, long[]> before, Map<String, long[]> after,
            int lines) {
        Map<String, Member.Cpu> out = new LinkedHashMap<>();
        after.forEach((role, now) -> {
            long[] then = before.get(role);
            if (then == null) {
                return;
            }
            Double[] us = new Double[now.length];
            for (int i = 0; i < now.length; i++) {
                us[i] = (now[i] - then[i]) / (Math.max(1, lines) * 1000.0);
            }
            boolean bench = role.equals("bench");
            out.put(role, new Member.Cpu(bench ? null : us[0], bench ? null : us[1], us[2], us[3], us[4],
                    bench ? null : us[5]));
        });
        return out;
    }

    /**
     * Lines typed and delivered before the burst, checked and not reported, as the API workloads
     * have theirs: the processes' JIT and connections settle, so that the burst compares with
     * theirs. Their problems, named as the warm-up's.
     */
    private List<String> warmUp(PipeNode sender, int lines) {
        nodes.forEach(n -> n.record.expect(typed, lines));
        type(sender, lines);
        Map<String, DeliverySummary> reports = awaitAll(Bench.deliveryTimeoutMs(lines), n -> n.name,
                n -> n.record.summary());
        return Agreement.problems(reports, lines).stream().map(p -> "warm-up: " + p).toList();
    }

    /** Starts the leader, then the others one at a time; returns the leader once it has seen every node join. */
    private PipeNode form() {
        PipeNode leader = start(List.of("-l"));
        Ring.await(() -> leader.said(STARTED), Bench.JOIN_TIMEOUT_MS + Bench.PROCESS_START_MS,
                () -> "the pipe-mode leader did not start");
        int port = leader.events.stream().map(STARTED::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow();
        Pattern joined = Pattern.compile("\\* joined the ring.*");
        while (nodes.size() < settings.nodes()) {
            join(port, joined);
        }
        Pattern full = Pattern.compile("\\* .*\\(127\\.0\\.0\\.1:\\d+\\) joined");
        Ring.await(() -> leader.events.stream().filter(l -> full.matcher(l).matches()).count() == settings.nodes() - 1,
                Bench.SETTLE_TIMEOUT_MS, () -> "the pipe-mode leader did not see every node join");
        return leader;
    }

    /**
     * Every node's account, by name, once all are complete or {@code timeoutMs} has passed (then
     * as they are: the check says what is missing).
     */
    private Map<String, DeliverySummary> awaitAll(long timeoutMs, Function<PipeNode, String> name,
            Function<PipeNode, DeliverySummary> account) {
        Map<String, DeliverySummary> accounts = new LinkedHashMap<>();
        try {
            Ring.await(() -> {
                nodes.forEach(n -> accounts.put(name.apply(n), account.apply(n)));
                return accounts.values().stream().allMatch(DeliverySummary::complete);
            }, timeoutMs, () -> "incomplete");
        } catch (BenchFailure e) {
            // returned as they are
        }
        return accounts;
    }

    /**
     * Starts a node that joins through {@code port}: one at a time, and tried again when it
     * fails, as {@link Ring#start} does and for the same reason.
     */
    private void join(int port, Pattern joined) {
        for (int attempt = 1; ; attempt++) {
            PipeNode joiner = start(List.of("-np", String.valueOf(port)));
            Ring.await(() -> joiner.said(joined) || !joiner.process.process().isAlive(),
                    Bench.JOIN_TIMEOUT_MS + Bench.PROCESS_START_MS, () -> joiner.name + " did not join");
            if (joiner.said(joined)) {
                return;
            }
            if (attempt == Ring.FORMATION_ATTEMPTS) {
                throw new BenchFailure(joiner.name + " could not join: " + joiner.process.stderr());
            }
            System.err.println("bench: " + joiner.name + " could not join: " + joiner.process.stderr() + "; trying again");
            nodes.remove(joiner);
            joiner.process.end(0);
        }
    }

    private PipeNode start(List<String> role) {
        String name = "pipe" + (++started);
        PipeNode node = new PipeNode(name, dir.resolve(name));
        List<String> args = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", "0", "-n", name,
                "--log-dir", node.logDir.toString()));
        args.addAll(role);
        node.process = JavaProcess.start(name, node.logDir, args, node::line);
        nodes.add(node);
        return node;
    }

    /**
     * Writes the next {@code messages} lines (ids from {@link #typed} on) to the node's stdin, on
     * a thread of its own, as a program piping its output in does ({@code cat}, a bot): into a
     * buffer of {@link #INPUT_CHUNK_BYTES}, written whenever it is full and once the lines run
     * out. A line's time is noted as it goes into the buffer, so its wait there counts in its
     * latency.
     */
    private void type(PipeNode node, int messages) {
        if (stdin == null) {
            stdin = new BufferedOutputStream(node.process.process().getOutputStream(), INPUT_CHUNK_BYTES);
        }
        OutputStream stdin = this.stdin;
        int first = typed;
        typed += messages;
        Thread typist = new Thread(() -> {
            byte[] line = new byte[Math.max(settings.size(), 20) + 1];
            try {
                for (int id = first; id < first + messages; id++) {
                    int length = BenchText.of(id, settings.size(), line);
                    line[length++] = '\n';
                    node.record.sent(id, System.nanoTime());
                    stdin.write(line, 0, length);
                }
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(node.name + " stopped reading its input", e);
            }
        }, "bench-pipe-typist");
        typist.setDaemon(true);
        typist.start();
    }

    private String describe() {
        return String.join("\n", nodes.stream().map(PipeNode::describe).toList());
    }
}
