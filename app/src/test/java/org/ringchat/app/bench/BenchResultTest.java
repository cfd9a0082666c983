package org.ringchat.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A workload's result as a JSON line and as a row of the table. */
class BenchResultTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static BenchResult burst() {
        return new BenchResult("all-senders", "processes", 5, 100_000, 100, 31_234.6, null, null, null, null, null,
                null, null, 112.25, null, null, true, List.of())
                .withLatencies(new long[] {3_000_000, 1_000_000, 2_000_000, 10_456_789})
                .withHeap(new Member.Heap(12.5, 64));
    }

    @Test
    void aJsonLineHoldsTheFiguresThatApplyInAStableOrder() throws Exception {
        String line = burst().json();
        assertEquals("{\"workload\":\"all-senders\",\"mode\":\"processes\",\"nodes\":5,\"messages\":100000,\"size\":100,"
                + "\"delivered_per_s\":31235,\"p50_ms\":2,\"p99_ms\":10.46,\"max_ms\":10.46,\"rss_mb\":112.25,"
                + "\"heap_mb\":12.5,\"heap_committed_mb\":64,\"ok\":true}", line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void aBurstLineHasEachMembersCpuPerMessageByRole() throws Exception {
        Member.CpuTimes before = Member.CpuTimes.parse("cpu 1000000 0 5000000 0 0");
        Member.CpuTimes after = Member.CpuTimes.parse("cpu 3500000 100000 9000000 2000000 10000");
        JsonNode cpu = JSON.readTree(burst().withCpu(java.util.Map.of("leader", after.perMessage(before, 1000))).json())
                .get("cpu_us_per_msg").get("leader");
        assertEquals(2.5, cpu.get("loop").asDouble());
        assertEquals(0.1, cpu.get("caller").asDouble());
        assertEquals(4, cpu.get("process").asDouble());
        assertEquals(2, cpu.get("jit").asDouble());
        assertEquals(0.01, cpu.get("vm").asDouble());
    }

    @Test
    void aBurstLineCountsTheSuspicionEventsAndTheTableNamesThemOnlyWhenThereWereAny() throws Exception {
        assertEquals(0, JSON.readTree(burst().withSuspectEvents(0).json()).get("suspect_events").asInt());
        assertEquals(3, JSON.readTree(burst().withSuspectEvents(3).json()).get("suspect_events").asInt());
        assertTrue(!JSON.readTree(burst().json()).has("suspect_events"), "not counted: left out");
        assertEquals(1, burst().withSuspectEvents(0).row().lines().count());
        assertTrue(burst().withSuspectEvents(3).row().lines().anyMatch(l -> l.trim().startsWith("3 suspicion events")),
                burst().withSuspectEvents(3).row());
    }

    @Test
    void aFailoverLineHasItsTimesAndAFailedOneSaysWhy() throws Exception {
        BenchResult failover = new BenchResult("failover-kill", "processes", 3, 1, 100, null, null, null, null,
                123.456, 130.0, null, null, 99.0, null, null, false, List.of("n2 names n1 the leader, \"not\" n2"));
        JsonNode o = JSON.readTree(failover.json());
        assertEquals(123.46, o.get("new_leader_ms").asDouble());
        assertEquals(130, o.get("chat_resumed_ms").asInt());
        assertEquals(false, o.get("ok").asBoolean());
        assertEquals("n2 names n1 the leader, \"not\" n2", o.get("problems").get(0).asText());
        // the figures every line has are null where they do not apply; the others are left out
        assertTrue(o.get("delivered_per_s").isNull() && o.get("p50_ms").isNull() && o.get("heap_mb").isNull(),
                o.toString());
        assertTrue(!o.has("join_from_start_ms"), o.toString());
        assertTrue(!o.has("formation_ms") && !o.has("open_fds"), o.toString());
    }

    @Test
    void aFailoverOfSeveralRunsGivesTheirMediansAndEveryRun() throws Exception {
        List<Double> leader = List.of(410.0, 120.5, 98.0, 101.0, 130.0);
        List<Double> resumed = List.of(430.0, 131.0, 105.0, 111.5, 140.0);
        BenchResult failover = new BenchResult("failover-kill", "processes", 5, 5, 100, null, null, null, null,
                FailoverWorkload.median(leader), FailoverWorkload.median(resumed), null, null, 99.0, null, null, true,
                List.of()).withRuns(leader, resumed);
        JsonNode o = JSON.readTree(failover.json());
        assertEquals(120.5, o.get("new_leader_ms").asDouble());
        assertEquals(131, o.get("chat_resumed_ms").asDouble());
        assertEquals(5, o.get("chat_resumed_runs_ms").size());
        assertEquals(430, o.get("chat_resumed_runs_ms").get(0).asDouble());
        assertEquals(98, o.get("new_leader_runs_ms").get(2).asDouble());
        // an even count: the lower of the middle two
        assertEquals(2.0, FailoverWorkload.median(List.of(3.0, 1.0, 2.0, 4.0)));
    }

    @Test
    void aScaleLineHasTheFormationAndTheFileDescriptors() throws Exception {
        BenchResult scale = new BenchResult("scale", "in-process", 300, 1000, 100, 5000.0, null, null, null,
                250.0, 260.5, null, null, 900.0, null, null, true, List.of()).withScale(11_000.25, 6_123);
        JsonNode o = JSON.readTree(scale.json());
        assertEquals(11_000.25, o.get("formation_ms").asDouble());
        assertEquals(6_123, o.get("open_fds").asInt());
        assertEquals(260.5, o.get("chat_resumed_ms").asDouble());
        assertTrue(scale.row().contains("the ring formed in 11000 ms; the JVM had 6123 file descriptors open"),
                scale.row());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, BenchResult.percentile(sorted, 50));
        assertEquals(99, BenchResult.percentile(sorted, 99));
        assertEquals(7, BenchResult.percentile(new long[] {7}, 99));
    }

    @Test
    void aRowLinesUpWithTheHeaderAndListsProblemsBelow() {
        String row = burst().row();
        assertEquals(BenchResult.header().indexOf("  ok"), row.indexOf("  ok"));
        assertTrue(row.startsWith("all-senders    processes      5   100000   100     31,235     2.00    10.46"), row);
        String failed = BenchResult.failed("pipe", "processes", 3, 10, 100, "pipe1 exited 1").row();
        assertTrue(failed.contains("FAILED" + System.lineSeparator() + "    pipe1 exited 1"), failed);
    }
}
