package org.ringchat.app.bench;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A member in a worker process of its own: {@code ringchat bench-node}, driven through its stdin and stdout. */
final class ProcessMember implements Member {

    private final String name;
    private final JavaProcess process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private Ready ready;

    private ProcessMember(String name, Path dir, List<String> jvmFlags, List<String> args) {
        this.name = name;
        this.process = JavaProcess.start(name, dir, jvmFlags, args, replies::add);
        this.stdin = new OutputStreamWriter(process.process().getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts a worker process in {@code dir} with {@link JavaProcess#JVM_FLAGS} and waits until its node is admitted. */
    static ProcessMember start(String name, Integer joinPort, Path dir) {
        return start(name, joinPort, dir, JavaProcess.JVM_FLAGS);
    }

    /** Starts a worker process in {@code dir} with these JVM flags and waits until its node is admitted. */
    static ProcessMember start(String name, Integer joinPort, Path dir, List<String> jvmFlags) {
        List<String> args = new ArrayList<>(List.of("bench-node", "--name", name));
        if (joinPort != null) {
            args.addAll(List.of("--join-port", joinPort.toString()));
        }
        ProcessMember m = new ProcessMember(name, dir.resolve(name), jvmFlags, args);
        try {
            String ready = m.reply(Bench.JOIN_TIMEOUT_MS + Bench.PROCESS_START_MS, "ready");
            if (!ready.startsWith("ready ")) {
                throw new BenchFailure(name + " could not join: " + ready + "\n" + m.describe());
            }
            m.ready = Ready.parse(ready);
            return m;
        } catch (BenchFailure e) {
            m.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Ready ready() {
        return ready;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public synchronized String ask(String command, long answerTimeoutMs) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new BenchFailure(name + " is gone (" + e.getMessage() + ")\n" + describe());
        }
        String reply = reply(answerTimeoutMs, command);
        if (reply.startsWith("error")) {
            throw new BenchFailure(name + " answered '" + command + "' with: " + reply);
        }
        return reply;
    }

    private String reply(long timeoutMs, String what) {
        try {
            String reply = replies.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw new BenchFailure(name + " did not answer '" + what + "' within " + timeoutMs + " ms\n" + describe());
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    @Override
    public void signal(String signal) {
        JavaProcess.signal(pid(), signal);
    }

    @Override
    public String describe() {
        Process p = process.process();
        return "--- " + name + " (pid " + p.pid() + ", " + (p.isAlive() ? "running" : "exited " + p.exitValue())
                + "), stderr:\n" + String.join("\n", process.stderr());
    }

    /** Ends the process: end of input makes it leave gracefully; killed if it takes too long. */
    @Override
    public void close() {
        process.end(Bench.LEAVE_GRACE_MS);
    }

    @Override
    public String toString() {
        return name;
    }
}
