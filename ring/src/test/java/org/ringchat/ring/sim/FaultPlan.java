package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.ringchat.ring.sim.Fault.Target;

/**
 * What a seed asks for: how many nodes, who chats and how fast, how long the fault phase lasts
 * and which faults strike when. Drawn from its own stream of the seed, before the run starts.
 *
 * @param senders indexes of the initial nodes that chat throughout, with {@code periodsMs} between lines
 * @param partition whether this schedule partitions the network (maybe healing and splitting again)
 *     with an explicit partition into groups; see {@link #separating()} for the other ways a
 *     network fault separates nodes
 */
record FaultPlan(long seed, int nodes, long phaseMs, List<Integer> senders, List<Long> periodsMs,
        boolean partition, List<FaultPlan.Planned> faults) {

    /** A fault and when it strikes, in ms after the fault phase starts. */
    record Planned(long atMs, Fault fault) {
    }

    /** Which faults a run may draw; CI leaves out those that hit known, not yet fixed bugs. */
    record Options(boolean partitions, boolean pauseLeaderAndOne) {
        static final Options ALL = new Options(true, true);
    }

    static final List<String> TYPES = List.of("Heartbeat", "Ping", "Pong", "Probe", "ProbeResult", "Suspect",
            "Election", "Elected", "SyncRequest", "SyncReply", "ChatSubmit", "ChatDeliver", "MembershipUpdate",
            "NotMember", "JoinRequest", "JoinAccepted", "Leave", "Hello");

    /**
     * Message types the failure detector lives on: dropping them (and with them the connection)
     * most of the time makes live members fail every check.
     */
    static final List<String> DETECTION_TYPES = List.of("Heartbeat", "Ping", "Pong", "Probe", "ProbeResult", "Hello");

    /**
     * A delay or slowness of at least this much holds a connection's Pongs (and everything else
     * on it: TCP keeps order) beyond what a ping waits for, so members take each other for dead.
     */
    static final long SEPARATING_DELAY_MS = 250;

    /**
     * True when a fault of this schedule separates live nodes, as a partition does, even though
     * nothing crashed or paused: an explicit partition, a delay or slowness beyond what a ping
     * waits for, or the failure detector's messages mostly dropped. Each side then goes on as a
     * ring of its own, with its own leader and numbering, until the pieces merge back. A cut
     * separates only when it splits a ring of two ({@code FaultInjector} tells as it strikes):
     * in a larger ring the other members bridge it.
     */
    boolean separating() {
        return faults.stream().anyMatch(p -> separating(p.fault()));
    }

    static boolean separating(Fault f) {
        return f instanceof Fault.Partition
                || f instanceof Fault.DelayType d && d.extraMs() >= SEPARATING_DELAY_MS
                || f instanceof Fault.Slow s && 2 * s.extraMs() >= SEPARATING_DELAY_MS
                || f instanceof Fault.DropType d && d.probability() >= 0.5 && DETECTION_TYPES.contains(d.type());
    }

    static FaultPlan generate(long seed, SplittableRandom r, Options options) {
        int nodes = 3 + r.nextInt(10);
        long phaseMs = 10_000 + r.nextLong(20_001);
        List<Integer> senders = new ArrayList<>();
        List<Long> periods = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        while (senders.size() < count) {
            int s = r.nextInt(nodes);
            if (!senders.contains(s)) {
                senders.add(s);
                periods.add(30 + r.nextLong(371));
            }
        }
        boolean partition = options.partitions() && r.nextInt(100) < 8;
        List<Planned> faults = new ArrayList<>();
        int n = 2 + r.nextInt((int) (phaseMs / 1500));
        for (int i = 0; i < n; i++) {
            faults.add(new Planned(200 + r.nextLong(phaseMs - 400), fault(r, options)));
        }
        if (partition) {
            long at = 1000 + r.nextLong(phaseMs / 2);
            int groups = 2 + r.nextInt(2);
            faults.add(new Planned(at, new Fault.Partition(groups)));
            flaps(seed, at, phaseMs, groups, faults);
        }
        faults.sort(Comparator.comparingLong(Planned::atMs));
        return new FaultPlan(seed, nodes, phaseMs, senders, periods, partition, faults);
    }

    /**
     * Half of the partitions heal before the fault phase ends (while the two rings chat, or
     * elect), and half of those split again within a second of the heal, maybe healing again: a
     * flapping link. Drawn from a stream of their own, so that adding them changed no other
     * schedule of any seed.
     */
    private static void flaps(long seed, long at, long phaseMs, int groups, List<Planned> faults) {
        SplittableRandom f = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5EED);
        if (f.nextBoolean()) {
            return;
        }
        long heal = at + 300 + f.nextLong(4000);
        if (heal >= phaseMs) {
            return;
        }
        faults.add(new Planned(heal, new Fault.HealPartition()));
        if (f.nextBoolean()) {
            long again = heal + 100 + f.nextLong(900);
            if (again < phaseMs) {
                faults.add(new Planned(again, new Fault.Partition(groups)));
                long healAgain = again + 200 + f.nextLong(2000);
                if (f.nextBoolean() && healAgain < phaseMs) {
                    faults.add(new Planned(healAgain, new Fault.HealPartition()));
                }
            }
        }
    }

    private static Fault fault(SplittableRandom r, Options options) {
        int roll = r.nextInt(100);
        if (roll < 8) {
            return new Fault.Crash(target(r));
        } else if (roll < 24) {
            return new Fault.Pause(target(r), pauseMs(r));
        } else if (roll < 29) {
            return options.pauseLeaderAndOne() ? new Fault.PauseLeaderAndOne(pauseMs(r)) : new Fault.Pause(target(r), pauseMs(r));
        } else if (roll < 39) {
            return new Fault.Cut(target(r), target(r), r.nextBoolean(), 200 + r.nextLong(5801));
        } else if (roll < 45) {
            return new Fault.Slow(target(r), target(r), 20 + r.nextLong(581), 500 + r.nextLong(7501));
        } else if (roll < 51) {
            double p = r.nextInt(10) < 3 ? 1.0 : 0.05 + 0.45 * r.nextDouble();
            return new Fault.DropType(type(r), p, 300 + r.nextLong(4701));
        } else if (roll < 57) {
            return new Fault.DelayType(type(r), 20 + r.nextLong(1481), 500 + r.nextLong(5501));
        } else if (roll < 62) {
            return new Fault.ClockJump(target(r), 100 + r.nextLong(4901));
        } else if (roll < 71) {
            return new Fault.Join();
        } else if (roll < 77) {
            return new Fault.Leave(target(r));
        } else if (roll < 84) {
            return new Fault.Blip(target(r));
        }
        return new Fault.Burst(r.nextBoolean() ? Target.LEADER : target(r), 20 + r.nextInt(281));
    }

    /** Mostly shorter than suspicion, often long enough to be removed, sometimes to wake up long after. */
    private static long pauseMs(SplittableRandom r) {
        int roll = r.nextInt(100);
        if (roll < 40) {
            return 50 + r.nextLong(851);
        } else if (roll < 75) {
            return 1000 + r.nextLong(2501);
        }
        return 4000 + r.nextLong(8001);
    }

    private static Target target(SplittableRandom r) {
        int roll = r.nextInt(10);
        return roll < 3 ? Target.LEADER : roll < 6 ? Target.FOLLOWER : Target.ANY;
    }

    private static String type(SplittableRandom r) {
        return TYPES.get(r.nextInt(TYPES.size()));
    }
}
