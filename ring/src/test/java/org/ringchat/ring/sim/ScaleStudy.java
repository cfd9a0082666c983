package org.ringchat.ring.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.ringchat.ring.sim.ScaleRing.Line;
import org.ringchat.ring.sim.ScaleRing.Node;

/**
 * Rings of 1,000 and 10,000 real nodes in the simulator, on a switched gigabit LAN
 * ({@link Lan#GIGABIT_SWITCH}): a leader crash (election messages, virtual time to a new leader
 * and to chat again), one line to everyone, and the leader's uplink under paced chat. Opt-in,
 * not part of CI (a 10,000-ring takes minutes and gigabytes); {@code docs/scaling.md} has the
 * figures and the commands:
 *
 * <pre>
 * mvn -o -q -pl ring -am test -Dtest=ScaleStudy#scale -Dsim.scale=1000,10000 -Dsim.scale.recoveryMs=6000 -DargLine=-Xmx6g -Dsurefire.failIfNoSpecifiedTests=false
 * mvn -o -q -pl ring -am test -Dtest=ScaleStudy#saturation -Dsim.saturation=200:1000,400:1000,2000:100,4000:100 -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * A report per run is printed and written to {@code ring/target/sim/scale-*.md}. Its name keeps
 * it out of {@code mvn test}'s default run; {@link ScaleRingTest}, a ring of 20, runs in CI so
 * that the bulk formation and the LAN model cannot rot.
 */
class ScaleStudy {

    private static final long SEED = 1;
    /** Chat lines are 100 characters, as in {@code ringchat bench}. */
    private static final int LINE = 100;
    private static final long FORM_LIMIT_MS = 30_000;
    private static final long SETTLE_MS = 2_000;
    private static final long RECOVERY_LIMIT_MS = Long.getLong("sim.scale.recoveryMs", 120_000);

    @Test
    @EnabledIfSystemProperty(named = "sim.scale", matches = "[0-9,]+")
    void scale() throws IOException {
        for (String n : System.getProperty("sim.scale").split(",")) {
            report("scale-" + n, study(Integer.parseInt(n)));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "sim.saturation", matches = "[0-9:,]+")
    void saturation() throws IOException {
        for (String point : System.getProperty("sim.saturation").split(",")) {
            String[] p = point.split(":");
            report("saturation-" + p[0] + "-" + p[1], paced(Integer.parseInt(p[0]), Integer.parseInt(p[1])));
        }
    }

    /**
     * The same runs from a plain JVM, so that several can run at once outside Maven:
     * {@code scale 1000 10000}, {@code saturation 300:1000 1000:100} (see {@code docs/scaling.md}).
     */
    public static void main(String[] args) throws IOException {
        ScaleStudy study = new ScaleStudy();
        for (int i = 1; i < args.length; i++) {
            if (args[0].equals("scale")) {
                report("scale-" + args[i], study.study(Integer.parseInt(args[i])));
            } else {
                String[] p = args[i].split(":");
                report("saturation-" + p[0] + "-" + p[1], study.paced(Integer.parseInt(p[0]), Integer.parseInt(p[1])));
            }
        }
    }

    /** Forms a ring of {@code n}, sends one line, crashes the leader and waits for chat. */
    private String study(int n) {
        Out out = new Out("## N = " + n + " (seed " + SEED + ", " + Lan.GIGABIT_SWITCH + ")\n\n");
        try (QuietLogs quiet = new QuietLogs()) {
            long t0 = System.nanoTime();
            ScaleRing ring = new ScaleRing(SEED, Lan.GIGABIT_SWITCH);
            boolean formed = ring.form(n, FORM_LIMIT_MS);
            out.append(String.format("- formed in bulk: %s, %.1f ms virtual, %.1f s real, %d frames to placeholders dropped unsimulated%n",
                    formed, ring.nowUs() / 1000.0, secondsSince(t0), ring.network().framesSunk()));
            if (!formed) {
                return out.append("- not formed: ").append(ring.problem()).append('\n').toString();
            }
            out.append(String.format("- heap in use after formation: %d MB%n", heapMb()));
            List<Node> nodes = ring.byRank();
            Node leader = nodes.get(0);
            Node junior = nodes.get(n - 1);

            // idle: heartbeats only
            SimNetwork.HostLink up = ring.network().link(leader.address);
            long bytes0 = up.bytesOut;
            long t1 = System.nanoTime();
            ring.runFor(SETTLE_MS);
            out.append(String.format("- idle %d s: leader's uplink %.2f Mbit/s; %.1f s real; ring: %s; events: %s%n",
                    SETTLE_MS / 1000, (up.bytesOut - bytes0) * 8 / (SETTLE_MS / 1000.0) / 1e6, secondsSince(t1),
                    ring.problem() == null ? "one ring" : ring.problem(), ring.events));

            // one line to everyone
            long t2 = System.nanoTime();
            bytes0 = up.bytesOut;
            String hello = ring.send(junior, "hello", LINE);
            Line h = ring.lines.get(hello);
            boolean all = ring.runUntil(ring.nowUs() + 30_000_000, () -> h.delivered == n);
            out.append(String.format("- one %d-character line from %s: at all %d members %s after it was typed "
                    + "(leader's uplink: %d kB, %.1f s real)%n", LINE, junior, all ? n : h.delivered,
                    ms(h.lastUs - h.sentUs), (up.bytesOut - bytes0) / 1000, secondsSince(t2)));
            ring.runFor(500);

            // the leader crashes; the most junior member types a probe at once
            ring.written.clear();
            ring.writtenWhenWon = null;
            ring.leadersKnown = 0;
            ring.events.clear();
            for (Node node : nodes) {
                node.leaderEventUs = -1;
                node.electionStartedUs = -1;
                node.wonUs = -1;
            }
            long t3 = System.nanoTime();
            long crashUs = ring.nowUs();
            ring.crash(leader);
            String probe = ring.send(junior, "probe", LINE);
            Line p = ring.lines.get(probe);
            // first until a node wins (printed at once: a big ring may take long after that)
            ring.runUntil(crashUs + RECOVERY_LIMIT_MS * 1000, () -> ring.writtenWhenWon != null);
            out.append(String.format("- the winner won its election %s after the crash; frames written until then: %s%n",
                    ring.writtenWhenWon == null ? "never" : ms(ring.nowUs() - crashUs), ring.writtenWhenWon));
            boolean resumed = ring.runUntil(crashUs + RECOVERY_LIMIT_MS * 1000,
                    () -> ring.leadersKnown == n - 1 && p.delivered == n - 1);
            Map<String, Long> frames = new TreeMap<>(ring.written);
            long lastLeader = -1;
            long lastElecting = -1;
            for (Node node : ring.live()) {
                lastLeader = Math.max(lastLeader, node.leaderEventUs);
                lastElecting = Math.max(lastElecting, node.electionStartedUs);
            }
            out.append(String.format("- leader crash: %s; every survivor electing %s after the crash; %d of %d survivors "
                    + "shown the new leader, the last %s after; the probe at %d survivors, the last %s after (%.1f s real)%n",
                    resumed ? "chat resumed" : "NOT resumed within " + RECOVERY_LIMIT_MS / 1000 + " s: " + ring.census(),
                    ms(lastElecting - crashUs), ring.leadersKnown, n - 1, ms(lastLeader - crashUs), p.delivered,
                    ms(p.lastUs - crashUs), secondsSince(t3)));
            out.append("- the new leader: ").append(nodes.get(1)).append(", term ").append(nodes.get(1).view().term())
                    .append(", status ").append(nodes.get(1).view().status()).append('\n');
            out.append("- frames written from the crash until then, by type: ").append(frames).append('\n');
            out.append("- events meanwhile: ").append(ring.events).append('\n');
            SimNetwork.HostLink newUp = ring.network().link(nodes.get(1).address);
            out.append(String.format("- the new leader's uplink carried %.1f MB since the ring formed%n", newUp.bytesOut / 1e6));
            out.append("- frame sizes with the bandwidth model on (type: frames, wire bytes each on average, largest frame): ")
                    .append(sizes(ring.network())).append('\n');
            out.append("- delivery problems: ").append(ring.problems.isEmpty() ? "none" : ring.problems.subList(0,
                    Math.min(5, ring.problems.size()))).append('\n');
            out.append(String.format("- real time in all: %.1f s; simulated steps: %d%n", secondsSince(t0), ring.steps()));
        }
        return out.toString();
    }

    /** One member sends {@code rate} lines a second for {@link #PACED_MS}: latency until all delivered, and the leader's uplink. */
    private String paced(int n, int rate) {
        Out out = new Out("## N = " + n + ", " + rate + " lines/s of " + LINE + " characters\n\n");
        try (QuietLogs quiet = new QuietLogs()) {
            long t0 = System.nanoTime();
            ScaleRing ring = new ScaleRing(SEED, Lan.GIGABIT_SWITCH);
            if (!ring.form(n, FORM_LIMIT_MS)) {
                return out.append("- not formed: ").append(ring.problem()).append('\n').toString();
            }
            ring.runFor(SETTLE_MS);
            Node sender = ring.byRank().get(n - 1);
            SimNetwork.HostLink up = ring.network().link(ring.nodes().get(0).address);
            long bytes0 = up.bytesOut;
            long start = ring.nowUs();
            int count = (int) (rate * PACED_MS / 1000);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long at = start + i * 1_000_000L / rate;
                ring.runUntil(at, () -> false);
                sent.add(ring.send(sender, "p" + i, LINE));
            }
            long sentBytes = up.bytesOut - bytes0;
            long sentUs = ring.nowUs() - start;
            boolean all = ring.runUntil(ring.nowUs() + 60_000_000L,
                    () -> ring.lines.get(sent.get(sent.size() - 1)).delivered == n);
            long[] latency = new long[count];
            int done = 0;
            for (String s : sent) {
                Line l = ring.lines.get(s);
                latency[done++] = l.delivered == n ? l.lastUs - l.sentUs : Long.MAX_VALUE;
            }
            long[] sorted = latency.clone();
            Arrays.sort(sorted);
            out.append(String.format("- %d lines in %.1f s; all delivered everywhere: %s%n", count, sentUs / 1e6, all));
            out.append(String.format("- offered to the leader's uplink while sending: %.0f Mbit/s (%.0f%% of %d Mbit/s)%n",
                    sentBytes * 8 / (sentUs / 1e6) / 1e6, 100.0 * sentBytes * 8 / (sentUs / 1e6) / Lan.GIGABIT_SWITCH.bitsPerSecond(),
                    Lan.GIGABIT_SWITCH.bitsPerSecond() / 1_000_000));
            out.append(String.format("- latency until every member delivered: p50 %s, p99 %s, max %s; first line %s, last line %s%n",
                    ms(sorted[count / 2]), ms(sorted[count * 99 / 100]), ms(sorted[count - 1]), ms(latency[0]),
                    ms(latency[count - 1])));
            out.append("- frame sizes (type: frames, wire bytes each on average, largest frame): ").append(sizes(ring.network())).append('\n');
            out.append("- events: ").append(ring.events).append("; delivery problems: ").append(ring.problems.size()).append('\n');
            out.append(String.format("- real time: %.1f s%n", secondsSince(t0)));
        }
        return out.toString();
    }

    /** A report printed as it is written: a long run shows how far it got. */
    private static final class Out {
        private final StringBuilder text = new StringBuilder();

        Out(String first) {
            append(first);
        }

        Out append(Object o) {
            String s = String.valueOf(o);
            text.append(s);
            System.out.print(s);
            System.out.flush();
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static final long PACED_MS = Long.getLong("sim.scale.pacedMs", 2_000);

    private static String sizes(SimNetwork network) {
        StringBuilder sb = new StringBuilder();
        network.frameSizes().forEach((type, s) -> sb.append(sb.isEmpty() ? "" : "; ").append(type).append(": ")
                .append(s[0]).append(", ").append(s[1] / s[0]).append(", ").append(s[2]));
        return sb.toString();
    }

    private static String ms(long us) {
        return us < 0 || us == Long.MAX_VALUE ? "never" : String.format("%.2f ms", us / 1000.0);
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static long heapMb() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }

    private static void report(String name, String text) throws IOException {
        System.out.println();
        Files.createDirectories(SimRunner.TRACES);
        Files.writeString(SimRunner.TRACES.resolve(name + ".md"), text);
    }
}
