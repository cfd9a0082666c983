package org.ringchat.ring.sim;

import java.util.Map;

/** Seeds that break invariants because of bugs in the node not fixed yet, and what CI leaves out meanwhile. */
final class KnownFailures {

    private KnownFailures() {
    }

    static final FaultPlan.Options CI_OPTIONS = FaultPlan.Options.ALL;

    /** CI seed → the start of the violation it shows while its bug is not fixed. */
    static final Map<Long, String> CI = Map.of();

    /** Regression seeds (run with every fault kind) | the violation each shows until its bug is fixed. */
    static final String REGRESSIONS = """
            21 | 1 agreement
            """;
}
