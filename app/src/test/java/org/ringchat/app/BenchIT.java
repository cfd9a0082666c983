package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringchat bench} in its short form, as CI runs it so that it cannot rot: the real jar,
 * three nodes, a few hundred messages, every workload; each JSON line must say ok (every member
 * delivered every message exactly once, in one order) with figures that make sense.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchIT {

    /** Messages per workload: enough to cross the send window (256) a few times, few enough for a loaded CI. */
    static final int MESSAGES = 600;
    /** The whole run's bound; it takes 20-40 s on a loaded 2-core machine. */
    static final long RUN_TIMEOUT_S = 150;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyWorkloadOverWorkerProcessesDeliversEverythingOnceInOneOrder() throws Exception {
        Map<String, JsonNode> results = bench("--nodes", "3", "--messages", String.valueOf(MESSAGES), "--failover-runs", "1",
                "--json");
        assertEquals(List.of("one-sender", "all-senders", "paced", "join", "pipe", "failover-kill", "failover-stop"),
                List.copyOf(results.keySet()));
        results.values().forEach(r -> assertSane(r, "processes"));
        for (String failover : List.of("failover-kill", "failover-stop")) {
            JsonNode r = results.get(failover);
            assertEquals(1, r.get("messages").asInt(), r.toString()); // one probe a run
            assertEquals(1, r.get("chat_resumed_runs_ms").size(), r.toString());
            assertEquals(1, r.get("new_leader_runs_ms").size(), r.toString());
            assertTrue(r.get("new_leader_ms").asDouble() > 0, r.toString());
            // the probe is ordered by the new leader: no survivor delivers it before it knows that leader
            assertTrue(r.get("chat_resumed_ms").asDouble() >= r.get("new_leader_ms").asDouble() - 1, r.toString());
        }
    }

    @Test
    void theApiWorkloadsInOneJvmDeliverEverythingOnceInOneOrder() throws Exception {
        Map<String, JsonNode> results = bench("--nodes", "3", "--in-process", "--messages", String.valueOf(MESSAGES),
                "--workloads", "one-sender,all-senders,paced,join", "--json");
        assertEquals(List.of("one-sender", "all-senders", "paced", "join"), List.copyOf(results.keySet()));
        results.values().forEach(r -> assertSane(r, "in-process"));
    }

    /** The fields every line has, and those of its kind of workload. */
    private static void assertSane(JsonNode r, String apiMode) {
        String workload = r.get("workload").asText();
        assertTrue(r.get("ok").asBoolean(), r.toString());
        assertEquals(3, r.get("nodes").asInt(), r.toString());
        assertEquals(100, r.get("size").asInt(), r.toString());
        assertTrue(r.get("rss_mb").asDouble() > 10, r.toString());
        boolean api = List.of("one-sender", "all-senders", "paced", "join").contains(workload);
        assertEquals(api ? apiMode : "processes", r.get("mode").asText(), r.toString());
        if (api) { // the leader's live heap, and the heap its JVM took, at most -Xmx
            double heap = r.get("heap_mb").asDouble();
            assertTrue(heap > 0 && heap <= r.get("heap_committed_mb").asDouble(), r.toString());
        }
        if (workload.equals("pipe")) { // CPU a line of each node's threads, its printer's too, and of the bench
            JsonNode cpu = r.get("cpu_us_per_msg");
            assertTrue(cpu != null && cpu.has("leader") && cpu.has("junior") && cpu.has("bench"), r.toString());
            assertTrue(cpu.get("leader").has("printer") && cpu.get("junior").has("caller"), r.toString());
        }
        if (workload.equals("join")) {
            assertTrue(r.get("join_from_start_ms").asDouble() >= r.get("join_from_connect_ms").asDouble(), r.toString());
            assertTrue(r.get("join_from_connect_ms").asDouble() > 0, r.toString());
            return;
        }
        assertTrue(r.get("p50_ms").asDouble() > 0, r.toString());
        assertTrue(r.get("p50_ms").asDouble() <= r.get("p99_ms").asDouble(), r.toString());
        assertTrue(r.get("p99_ms").asDouble() <= r.get("max_ms").asDouble(), r.toString());
        if (api) { // counted, not asserted 0: a loaded CI machine may well starve a heartbeat
            assertTrue(r.get("suspect_events").asLong() >= 0, r.toString());
        }
        if (!workload.startsWith("failover")) {
            assertEquals(MESSAGES, r.get("messages").asInt(), r.toString());
            assertTrue(r.get("delivered_per_s").asDouble() > 0, r.toString());
        }
    }

    /** Runs {@code java -jar ringchat.jar bench ARGS}; its JSON lines by workload, once it exited 0. */
    private Map<String, JsonNode> bench(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-jar", RingProcess.jar().toString(), "bench"));
        command.addAll(List.of(args));
        Path stdout = tmp.resolve("bench.out");
        Path stderr = tmp.resolve("bench.err");
        Process p = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        boolean ended = p.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        String all = "stdout:\n" + out + "\nstderr:\n" + err;
        assertTrue(ended, "the bench did not end within " + RUN_TIMEOUT_S + " s\n" + all);
        assertEquals(0, p.exitValue(), all);
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            JsonNode r = JSON.readTree(line);
            assertEquals(null, results.put(r.get("workload").asText(), r), "twice: " + line);
        }
        return results;
    }
}
