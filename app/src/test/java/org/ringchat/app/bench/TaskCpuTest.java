package org.ringchat.app.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TaskCpuTest {

    @Test
    void aThreadThatEndedStillCountsWithWhatItHadWhenLastRead() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux's /proc");
        CountDownLatch read = new CountDownLatch(1);
        Thread burner = new Thread(() -> {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            while (threads.getCurrentThreadCpuTime() < 50_000_000L) {
                Thread.onSpinWait(); // 50 ms of CPU: five clock ticks
            }
            try {
                read.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "taskcpu-burner");
        Function<String, String> group = comm -> comm.equals("taskcpu-burner") ? "burn" : null;
        burner.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> TaskCpu.byGroup("self", group).getOrDefault("burn", 0L) >= 30_000_000L);
        long alive = TaskCpu.byGroup("self", group).get("burn");

        read.countDown();
        burner.join();
        // gone from /proc, not from the sum: a group's CPU never goes down
        assertEquals(alive, TaskCpu.byGroup("self", group).get("burn"));
    }
}
