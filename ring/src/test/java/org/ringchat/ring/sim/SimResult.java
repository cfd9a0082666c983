package org.ringchat.ring.sim;

/**
 * How one seed's run ended.
 *
 * @param violation the first invariant broken, or null when the run kept them all
 * @param schedule the faults that struck, in one line
 * @param trace the step-by-step trace, when the run was traced
 */
record SimResult(long seed, FaultPlan plan, String violation, String schedule, long virtualMs, long steps,
        long frames, int linesDelivered, Trace trace) {

    boolean ok() {
        return violation == null;
    }

    /** The one-line command that runs this seed again, traced. */
    static String replayCommand(long seed) {
        return "mvn -o -q -pl ring -am test -Dtest=SimulationTest#replay -Dsim.seed=" + seed
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    String summary() {
        return "seed " + seed + ": " + plan.nodes() + " nodes, " + plan.phaseMs() / 1000 + " s of faults"
                + (plan.partition() ? " (partition schedule)" : "") + ", " + virtualMs / 1000 + " s virtual, "
                + steps + " steps, " + frames + " frames, " + linesDelivered + " deliveries: "
                + (ok() ? "ok" : violation) + "\n  schedule: " + schedule;
    }
}
