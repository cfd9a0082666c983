package org.ringchat.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.ringchat.app.Main;

/** {@code ringchat bench}'s command line: help, defaults and usage errors (nothing is started). */
class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void benchHasItsOwnHelpAndTheWorkerIsHidden() {
        assertEquals(0, run("bench", "--help"));
        assertTrue(out.toString().startsWith("Usage: ringchat bench"), out.toString());
        assertTrue(out.toString().contains("--in-process"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("ringchat bench --nodes 3"), out.toString());
        assertTrue(!out.toString().contains("bench-node"), out.toString());
    }

    @Test
    void badSettingsAreUsageErrors() {
        assertEquals(2, run("bench", "--workloads", "one-sender,nope"));
        assertTrue(err.toString().startsWith("error: unknown workload 'nope'"), err.toString());
        assertEquals(2, run("bench", "--processes", "--in-process"));
        assertEquals(2, run("bench", "--nodes", "0"));
        assertEquals(2, run("bench", "--nodes", "1", "--workloads", "join"));
        assertEquals(2, run("bench", "--size", "0"));
        assertEquals(2, run("bench", "--nodes", "300", "--workloads", "one-sender,scale"));
        assertTrue(err.toString().contains("with --workloads scale alone"), err.toString());
        assertEquals(2, run("bench", "--nodes", "300", "--workloads", "scale", "--processes"));
        assertEquals(2, run("bench", "--nodes", "1", "--workloads", "scale"));
        assertEquals(2, run("bench", "--failover-runs", "0"));
        assertTrue(err.toString().contains("--failover-runs must be 1-50, not 0"), err.toString());
    }

    @Test
    void theDefaultsAreTheFullRun() {
        BenchCommand command = new BenchCommand();
        picocli.CommandLine cmd = new picocli.CommandLine(command);
        cmd.parseArgs();
        BenchSettings s = command.settings();
        // the JGroups anchor's messages per workload for the ring's size
        assertEquals(new BenchSettings(5, false, Bench.DEFAULT_WORKLOADS, 300_000, 100, 1000, 5), s);
        cmd.parseArgs("--nodes", "3");
        assertEquals(500_000, command.settings().messages());
        cmd.parseArgs("--nodes", "10");
        assertEquals(120_000, command.settings().messages());
        cmd.parseArgs("--nodes", "3", "--in-process", "--workloads", "paced,join", "--messages", "10");
        assertEquals(new BenchSettings(3, true, java.util.List.of("paced", "join"), 10, 100, 1000, 5), command.settings());
        assertTrue(!Bench.DEFAULT_WORKLOADS.contains("scale")); // minutes at its sizes: only when asked for
        cmd.parseArgs("--nodes", "1000", "--workloads", "scale");
        assertEquals(new BenchSettings(1000, false, java.util.List.of("scale"), 120_000, 100, 1000, 5), command.settings());
    }
}
