package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ringchat.ring.RingView;
import org.ringchat.ring.sim.Fault.Target;

/**
 * Makes planned faults happen: resolves their targets against the ring as it is when they
 * strike, applies them to the network or the nodes, and schedules their end. Keeps the list of
 * what it did, which is the schedule a failure report shows.
 */
final class FaultInjector {

    private final Simulation sim;
    private final SplittableRandom random;
    private final List<String> done = new ArrayList<>();

    FaultInjector(Simulation sim, SplittableRandom random) {
        this.sim = sim;
        this.random = random;
    }

    /** A fault that separates live nodes (see {@link FaultPlan#separating()}) has struck. */
    private boolean separatingStruck;
    /** A cut split a ring of two running members: two rings from now on. */
    private boolean separatedLive;
    /** Cuts in force now. */
    private int activeCuts;

    boolean separatingStruck() {
        return separatingStruck;
    }

    boolean separatedLive() {
        return separatedLive;
    }

    /** What struck, in one line. */
    String schedule() {
        return done.isEmpty() ? "no faults" : String.join("; ", done);
    }

    void strike(Fault f) {
        if (FaultPlan.separating(f)) {
            separatingStruck = true;
        }
        strikeFault(f);
        checkCutSplitsTheRing();
    }

    /**
     * A cut in force while at most two members run (the others crashed, left or paused) leaves no
     * third member to vouch for either side: the two become two rings. More generally, cuts that
     * together leave the running members in two or more groups with no path open both ways between
     * them (say a node cut off from one neighbour both ways and from the other one way) split the
     * ring as a partition does: no member can vouch across, and each group goes on as a ring of
     * its own. Checked when a fault strikes and when a paused node resumes.
     */
    private void checkCutSplitsTheRing() {
        if (activeCuts == 0 || separatedLive) {
            return;
        }
        if (runningMembers() <= 2) {
            separatedLive = true;
            sim.trace().log("separating: a cut while at most two members run");
        } else if (cutsDisconnectRunningMembers()) {
            separatedLive = true;
            sim.trace().log("separating: cuts leave running members with no path open both ways between them");
        } else {
            SimNode alone = cutOffFromAllItKnows();
            if (alone != null) {
                separatedLive = true;
                sim.trace().log("separating: " + alone + " is cut off from every running member its view names");
            }
        }
    }

    /**
     * A running member that cuts keep from every running member its own view names: it has no
     * witness to ask (those that could reach it joined while it was cut off, and it never heard
     * of them), and leads alone, while the ring, whose members reach it through those witnesses,
     * keeps it (seed 308415: cut off from its leader, it missed a join; the only other member
     * it knew left). Null when there is none.
     */
    private SimNode cutOffFromAllItKnows() {
        List<SimNode> running = running();
        for (SimNode n : running) {
            List<SimNode> known = running.stream().filter(m -> m != n && knows(n, m)).toList();
            if (!known.isEmpty() && known.stream().allMatch(m -> sim.network().cutEitherWay(n.address, m.address))) {
                return n;
            }
        }
        return null;
    }

    /**
     * Whether the running members of one partition group (or of the whole network) fall into two
     * or more sets joined by no pair that a cut leaves open in both directions.
     */
    private boolean cutsDisconnectRunningMembers() {
        List<SimNode> running = running();
        List<List<SimNode>> sets = Components.of(running,
                (a, b) -> !sim.network().cutEitherWay(a.address, b.address) && sameGroup(a, b));
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                if (sameGroup(sets.get(i).get(0), sets.get(j).get(0))) {
                    return true; // members of the same group that the cuts keep apart
                }
            }
        }
        return false;
    }

    private boolean sameGroup(SimNode a, SimNode b) {
        return java.util.Objects.equals(sim.network().groupOf(a.address), sim.network().groupOf(b.address));
    }

    /** Members in a ring whose thread runs (neither paused nor crashed nor gone). */
    private long runningMembers() {
        return running().size();
    }

    /**
     * The nodes in a ring whose thread runs and that another such node counts as a member: only
     * those can vouch (a member asks its witnesses among the members of its own view). A leader
     * back from a pause that the others removed meanwhile still takes itself for their leader,
     * but none of them asks it anything (seed 197702: the two members the ring had left, cut one
     * way, went on as two rings while that leader ran beside them).
     */
    private List<SimNode> running() {
        List<SimNode> running = sim.live().stream()
                .filter(n -> !n.executor.paused() && n.view().status() != org.ringchat.ring.RingView.Status.JOINING)
                .toList();
        return running.stream().filter(n -> running.stream().anyMatch(m -> m != n && knows(m, n))).toList();
    }

    private void strikeFault(Fault f) {
        if (f instanceof Fault.Crash c) {
            crash(c);
        } else if (f instanceof Fault.Pause p) {
            pause(pick(p.target(), null), p.ms(), "");
        } else if (f instanceof Fault.PauseLeaderAndOne p) {
            SimNode leader = pick(Target.LEADER, null);
            pause(leader, p.ms(), "");
            pause(pick(Target.ANY, leader), p.ms(), " (with the leader)");
        } else if (f instanceof Fault.Cut c) {
            cut(c);
        } else if (f instanceof Fault.Slow s) {
            slow(s);
        } else if (f instanceof Fault.DropType d) {
            sim.network().messageFaults().drop(d.type(), d.probability());
            note(String.format("drop %.0f%% of %s for %d ms", 100 * d.probability(), d.type(), d.ms()));
            later(d.ms(), () -> sim.network().messageFaults().stopDropping(d.type()));
        } else if (f instanceof Fault.DelayType d) {
            sim.network().messageFaults().delay(d.type(), d.extraMs());
            note("delay " + d.type() + " by " + d.extraMs() + " ms for " + d.ms() + " ms");
            later(d.ms(), () -> sim.network().messageFaults().stopDelaying(d.type(), d.extraMs()));
        } else {
            strikeNode(f);
        }
    }

    private void strikeNode(Fault f) {
        if (f instanceof Fault.ClockJump j) {
            SimNode n = pick(j.target(), null);
            if (n != null) {
                n.executor.jumpClock(j.ms());
                note("clock of " + describe(n) + " jumps " + j.ms() + " ms");
            }
        } else if (f instanceof Fault.Join) {
            SimNode n = sim.join();
            if (n != null) {
                note("join " + n + " via " + sim.trace().name(n.ring.config().joinVia()));
            }
        } else if (f instanceof Fault.Leave l) {
            SimNode n = pick(l.target(), null);
            if (n != null && sim.live().size() > 1) {
                note("leave " + describe(n));
                if (runningMembers() <= 1 && sim.live().stream().anyMatch(m -> m.executor.paused())) {
                    // the only member running, it may lead a ring of its own; what that ring
                    // ordered leaves with it, and the paused ones wake to their own ring
                    separatedLive = true;
                    sim.trace().log("separating: the only running member leaves while the others are paused");
                } else if (aloneWhileOthersLive(n)) {
                    // as a crash of such a node (below): what it ordered alone leaves with it
                    // (seed 183521: its two members, paused together, woke as it left)
                    separatedLive = true;
                    sim.trace().log("separating: " + n + ", alone in its ring while others live, leaves");
                }
                n.leave();
            }
        } else if (f instanceof Fault.Blip b) {
            SimNode n = pick(b.target(), null);
            if (n != null) {
                note("connections of " + describe(n) + " drop");
                n.transport.dropConnections();
            }
        } else if (f instanceof Fault.Burst b) {
            SimNode n = pick(b.target(), null);
            if (n != null) {
                note("burst of " + b.lines() + " lines from " + describe(n));
                for (int i = 0; i < b.lines(); i++) {
                    n.send();
                }
            }
        } else if (f instanceof Fault.Partition p) {
            partition(p.groups());
        } else if (f instanceof Fault.HealPartition) {
            note("the partition heals");
            sim.network().healPartition();
        }
    }

    private void crash(Fault.Crash c) {
        SimNode n = pick(c.target(), null);
        if (n == null || sim.live().size() <= 1) {
            return;
        }
        note("crash " + describe(n));
        List<SimNode> others = others(n);
        if (aloneWhileOthersLive(n)) {
            // it led a ring of its own (the others had stopped answering: paused, or cut off), and
            // showed what it ordered there at once; that dies with it, and the others go on with
            // their own ring and numbering, which no protocol without a quorum could prevent
            separatedLive = true;
            sim.trace().log("separating: " + n + ", alone in its ring while others live, crashes");
        }
        n.executor.crash();
        n.crashed();
        sim.network().crash(n.address);
        if (!separatedLive && knowledgeSplit(others)) {
            // the crashed node was the only one that knew members of both rings: nobody can
            // ever tell the two sides of each other
            separatedLive = true;
            sim.trace().log("separating: after " + n + " crashed, live members fall into rings that know nothing of each other");
        }
    }

    /** The live nodes in a ring but {@code n}. */
    private List<SimNode> others(SimNode n) {
        return sim.live().stream().filter(m -> m != n && inRing(m)).toList();
    }

    /** {@code n} is in a ring whose view holds none of the other live nodes in a ring, and there are some. */
    private boolean aloneWhileOthersLive(SimNode n) {
        List<SimNode> others = others(n);
        return inRing(n) && !others.isEmpty() && others.stream().noneMatch(m -> knows(n, m));
    }

    private static boolean inRing(SimNode n) {
        RingView.Status s = n.view().status();
        return s == RingView.Status.MEMBER || s == RingView.Status.ELECTING;
    }

    /** Whether {@code a}'s view has {@code b} in it. */
    private static boolean knows(SimNode a, SimNode b) {
        return a.view().members().stream().anyMatch(m -> m.address().equals(b.address));
    }

    /** Whether these nodes fall into two or more sets of which no member's view has a node of another set. */
    private static boolean knowledgeSplit(List<SimNode> nodes) {
        return !nodes.isEmpty() && Components.of(nodes, FaultInjector::knows).size() > 1;
    }

    private void pause(SimNode n, long ms, String role) {
        if (n == null) {
            return;
        }
        note("pause " + describe(n) + role + " for " + ms + " ms");
        if (!separatedLive && aloneWhileOthersLive(n)) {
            // as a crash of such a node: the others, in rings without it, cannot have what it
            // ordered alone while it sleeps, and may order on their own meanwhile (seed 112647:
            // it led a ring of one while the other member slept, then slept as that one woke)
            separatedLive = true;
            sim.trace().log("separating: " + n + ", alone in its ring while others live, pauses");
        }
        n.executor.pause();
        later(ms, () -> {
            if (n.executor.resume()) {
                sim.trace().log("fault: " + n + " resumes");
                checkCutSplitsTheRing();
            }
        });
    }

    private void cut(Fault.Cut c) {
        SimNode a = pick(c.a(), null);
        SimNode b = pick(c.b(), a);
        if (a == null || b == null) {
            return;
        }
        note("cut " + a + (c.both() ? " <-> " : " -> ") + b + " for " + c.ms() + " ms");
        activeCuts++;
        sim.network().cut(a.address, b.address);
        if (c.both()) {
            sim.network().cut(b.address, a.address);
        }
        later(c.ms(), () -> {
            activeCuts--;
            sim.network().heal(a.address, b.address);
            if (c.both()) {
                sim.network().heal(b.address, a.address);
            }
        });
    }

    private void slow(Fault.Slow s) {
        SimNode a = pick(s.a(), null);
        SimNode b = pick(s.b(), a);
        if (a == null || b == null) {
            return;
        }
        note("slow " + a + " <-> " + b + " by " + s.extraMs() + " ms for " + s.ms() + " ms");
        sim.network().slow(a.address, b.address, s.extraMs());
        sim.network().slow(b.address, a.address, s.extraMs());
        later(s.ms(), () -> {
            sim.network().unslow(a.address, b.address, s.extraMs());
            sim.network().unslow(b.address, a.address, s.extraMs());
        });
    }

    /** Every running node goes into one of {@code groups} groups, none empty when there are enough nodes. */
    private void partition(int groups) {
        List<SimNode> running = new ArrayList<>();
        for (SimNode n : sim.nodes()) {
            if (!n.executor.crashed()) {
                running.add(n);
            }
        }
        List<String> parts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            parts.add("");
        }
        for (int i = running.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            running.set(j, running.set(i, running.get(j)));
        }
        for (int i = 0; i < running.size(); i++) {
            int g = i < groups ? i : random.nextInt(groups);
            SimNode n = running.get(i);
            sim.network().group(n.address, g);
            parts.set(g, parts.get(g) + (parts.get(g).isEmpty() ? "" : ",") + n);
        }
        note("partition " + String.join(" | ", parts));
    }

    /** Every fault ends: cuts and slow paths heal, message faults stop, paused nodes resume. */
    void healEverything() {
        sim.network().healAll();
        for (SimNode n : sim.nodes()) {
            if (n.executor.resumeAll()) {
                sim.trace().log("fault: " + n + " resumes (recovery)");
            }
        }
    }

    /**
     * A running, admitted node in the given role; null when there is none. The leader is the
     * node that thinks it leads (the lowest index when several do).
     */
    private SimNode pick(Target target, SimNode not) {
        List<SimNode> candidates = new ArrayList<>();
        for (SimNode n : sim.nodes()) {
            if (n.life() == SimNode.Life.LIVE && n != not) {
                candidates.add(n);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        List<SimNode> role = new ArrayList<>();
        for (SimNode n : candidates) {
            boolean leads = n.view().isLeader();
            if (target == Target.ANY || (target == Target.LEADER) == leads) {
                role.add(n);
            }
        }
        if (target == Target.LEADER && !role.isEmpty()) {
            return role.get(0);
        }
        List<SimNode> from = role.isEmpty() ? candidates : role;
        return from.get(random.nextInt(from.size()));
    }

    private String describe(SimNode n) {
        return n + (n.view().isLeader() ? " (leader)" : "");
    }

    private void note(String what) {
        long ms = (sim.scheduler().nowUs() - sim.faultPhaseStartUs()) / 1000;
        done.add(String.format("%d.%01ds %s", ms / 1000, (ms % 1000) / 100, what));
        sim.trace().log("fault: " + what);
    }

    private void later(long ms, Runnable end) {
        sim.scheduler().after(ms * 1000, null, end);
    }
}
