package org.ringchat.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of a process's threads, read from Linux's {@code /proc/PID/task/TID/stat} (clock
 * ticks, 10 ms each), summed by group; nothing elsewhere. A thread is named by its {@code comm},
 * the first 15 characters of its Java name ({@code C2 CompilerThre}, {@code VM Thread}, …).
 */
final class TaskCpu {

    /** Linux's clock tick ({@code getconf CLK_TCK}: 100 a second on every common kernel), in ns. */
    static final long NANOS_PER_TICK = 10_000_000L;
    /** The longest thread name Linux keeps ({@code comm}). */
    static final int COMM_LENGTH = 15;
    /** The group of a JVM's JIT compiler threads. */
    static final String JIT = "jit";
    /** The group of a JVM's VM thread (the serial collector's pauses, safepoints). */
    static final String VM = "vm";

    private TaskCpu() {
    }

    /** {@link #JIT} for the JIT's compiler threads, {@link #VM} for the VM thread, null otherwise. */
    static String jitOrVm(String comm) {
        return comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? JIT
                : comm.equals("VM Thread") ? VM : null;
    }

    /** A Java thread's name as Linux keeps it: its first {@link #COMM_LENGTH} characters. */
    static String comm(String threadName) {
        return threadName.length() <= COMM_LENGTH ? threadName : threadName.substring(0, COMM_LENGTH);
    }

    /**
     * Per process read, each thread's group and CPU when it was last read: a thread that ended
     * since counts with what it had then. The JVM starts and ends compiler threads as its queue
     * grows and shrinks, and a sum over the live threads alone went down when one ended (a
     * negative {@code jit} figure in a workload's CPU). What such a thread used after it was last
     * read is not counted; a thread id used again by the same process replaces the old one's.
     */
    private static final Map<String, Map<String, Seen>> SEEN = new HashMap<>();

    private record Seen(String group, long ns) {
    }

    /**
     * CPU ns so far of the threads of process {@code pid} ({@code self}: this one), by the group
     * {@code group} gives each thread's {@code comm} (null: left out); threads that ended count
     * with what they had when last read here.
     */
    static synchronized Map<String, Long> byGroup(String pid, Function<String, String> group) {
        Map<String, Seen> seen = SEEN.computeIfAbsent(pid, p -> new HashMap<>());
        Path tasks = Path.of("/proc", pid, "task");
        if (Files.isDirectory(tasks)) {
            try (var dirs = Files.list(tasks)) {
                for (Path task : (Iterable<Path>) dirs::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = group.apply(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                        if (name != null) {
                            seen.put(task.getFileName().toString(), new Seen(name, ticks(stat)));
                        }
                    } catch (IOException | RuntimeException gone) {
                        // a thread that ended meanwhile: as last read
                    }
                }
            } catch (IOException e) {
                // the process ended: its threads as last read
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        seen.values().forEach(t -> out.merge(t.group(), t.ns(), Long::sum));
        return out;
    }

    /** CPU ns so far of the whole process {@code pid}, ended threads included; 0 where unknown. */
    static long process(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** User and system time of a {@code stat} line, in ns. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    }
}
