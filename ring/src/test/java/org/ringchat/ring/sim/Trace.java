package org.ringchat.ring.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringchat.protocol.NodeAddress;

/**
 * The step-by-step story of one run, one line per step, stamped with virtual time. Off in the
 * CI sweep (a run costs far less without it); a failing seed is simply run again with it on,
 * which gives the same story because the run is a function of its seed. Callers test
 * {@link #on()} before building a line, so a run without trace builds no strings.
 */
final class Trace {

    private final boolean on;
    private final SimScheduler scheduler;
    private final List<String> lines = new ArrayList<>();
    private final Map<NodeAddress, String> names = new TreeMap<>();

    Trace(boolean on, SimScheduler scheduler) {
        this.on = on;
        this.scheduler = scheduler;
    }

    boolean on() {
        return on;
    }

    void name(NodeAddress address, String name) {
        names.put(address, name);
    }

    /** A node's name for the trace, or its address when the sim never named it. */
    String name(NodeAddress address) {
        String n = names.get(address);
        return n != null ? n : String.valueOf(address);
    }

    void log(String line) {
        if (on) {
            long us = scheduler.nowUs();
            lines.add(String.format("%7d.%03d %s", us / 1000, us % 1000, line));
        }
    }

    List<String> lines() {
        return lines;
    }

    String tail(int n) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text(), StandardCharsets.UTF_8);
    }

    /** Virtual time now (µs). */
    long nowUs() {
        return scheduler.nowUs();
    }
}
