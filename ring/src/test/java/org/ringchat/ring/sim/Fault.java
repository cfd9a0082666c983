package org.ringchat.ring.sim;

/**
 * One fault of a schedule, as planned from the seed. Targets are roles, resolved against the
 * ring when the fault strikes (the leader then may not be the first node any more).
 */
sealed interface Fault {

    /** Which node a fault picks when it strikes. */
    enum Target {
        ANY, LEADER, FOLLOWER
    }

    /** Dies without a word: sockets close, unflushed frames are lost. */
    record Crash(Target target) implements Fault {
    }

    /** The node's thread stops (SIGSTOP, a long GC) and resumes {@code ms} later. */
    record Pause(Target target, long ms) implements Fault {
    }

    /** The leader and another member hang at the same time. */
    record PauseLeaderAndOne(long ms) implements Fault {
    }

    /** Frames from a to b (and b to a when {@code both}) are held, new connects time out. */
    record Cut(Target a, Target b, boolean both, long ms) implements Fault {
    }

    /** Extra latency from a to b and back. */
    record Slow(Target a, Target b, long extraMs, long ms) implements Fault {
    }

    /** A share of the frames of one type is dropped on every path, each drop resetting its connection. */
    record DropType(String type, double probability, long ms) implements Fault {
    }

    /** Frames of one type take {@code extraMs} longer on every path (their connections stay FIFO). */
    record DelayType(String type, long extraMs, long ms) implements Fault {
    }

    /** The node's clock jumps forward (a VM migration, a suspended laptop). */
    record ClockJump(Target target, long ms) implements Fault {
    }

    /** A new node joins through a member. */
    record Join() implements Fault {
    }

    /** A member leaves gracefully. */
    record Leave(Target target) implements Fault {
    }

    /** Every connection of the node drops at once (a network blip); it keeps running. */
    record Blip(Target target) implements Fault {
    }

    /** The node's user pastes {@code lines} lines at once. */
    record Burst(Target target, int lines) implements Fault {
    }

    /** The network splits into {@code groups} groups (until a {@link HealPartition}, or the end of the schedule). */
    record Partition(int groups) implements Fault {
    }

    /** The partition heals: every node reaches every other again (what each side held arrives now). */
    record HealPartition() implements Fault {
    }
}
