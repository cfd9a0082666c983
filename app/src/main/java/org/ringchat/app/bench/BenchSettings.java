package org.ringchat.app.bench;

import java.util.List;

/**
 * What {@code ringchat bench} was asked to do.
 *
 * @param nodes ring size
 * @param inProcess API workloads with every node in the driver's JVM, not in worker processes
 * @param workloads the workloads to run, a subset of {@link Bench#WORKLOADS}
 * @param messages messages per API workload (the paced and pipe workloads cap it)
 * @param size bytes of every chat line
 * @param rate messages per second of the paced workload
 */
record BenchSettings(int nodes, boolean inProcess, List<String> workloads, int messages, int size, int rate,
        int failoverRuns) {

    BenchSettings {
        workloads = List.copyOf(workloads);
    }

    boolean wants(String workload) {
        return workloads.contains(workload);
    }

    /** How the API workloads' members run: {@code processes} or {@code in-process}. */
    String mode() {
        return inProcess ? "in-process" : "processes";
    }
}
