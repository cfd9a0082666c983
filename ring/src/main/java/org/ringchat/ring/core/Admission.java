package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.Message.JoinRequest;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;

/**
 * Who gets in: the leader's decision on a join request (a valid name, neither taken whatever its
 * case nor looking like a member's; the next rank; the place at the end of the ring), what history
 * the newcomer gets, and the join requests a member holds while the ring has no leader to decide them.
 */
public final class Admission {

    /** What the leader does with a join request. */
    public sealed interface Decision {
    }

    /** Admit {@code joiner}; {@code view} is the ring with it, {@code departed} an old incarnation at its address. */
    public record Admit(Member joiner, View view, List<Departure> departed) implements Decision {
    }

    /**
     * The joiner is a member already, under the same name at the same address: its request was
     * answered before (and passed on twice, or repeated after a timeout), or it restarted there.
     * It is told again who it is, and the ring does not change.
     */
    public record Readmit(Member member) implements Decision {
    }

    /** Refuse the name, telling the joiner why: it is not a valid name, or it clashes with a member's. */
    public record Reject(String reason) implements Decision {
    }

    /**
     * What a joiner is sent: {@code inAnswer} travels in the JoinAccepted, {@code replay} as
     * ChatDeliver frames after it (a node back after a removal gets every message it missed).
     */
    public record Handover(List<ChatDeliver> inAnswer, List<ChatDeliver> replay) {
    }

    private final int maxHeld;
    private final List<JoinRequest> held = new ArrayList<>();
    /**
     * The members' names as compared ({@link Names.Key}), kept between decisions: a key costs
     * some 10 µs, and a flood of join requests must not cost one per member each.
     */
    private final Map<String, Names.Key> memberKeys = new HashMap<>();

    /** @param maxHeld join requests held at most while there is no leader; more are refused */
    public Admission(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    /**
     * The leader of {@code view} decides on {@code request}: a name must be valid ({@link Names})
     * and clash with no other member's, neither the same whatever its case nor a look-alike.
     */
    public Decision decide(JoinRequest request, View view) {
        String problem = Names.problem(request.name());
        if (problem != null) {
            return new Reject("bad name '" + Names.quote(request.name()) + "': " + problem + "; " + Names.RULE);
        }
        Names.Key name = Names.Key.of(request.name());
        for (String banned : view.banned()) {
            if (name.clash(Names.Key.of(banned)) != Names.Clash.NONE) {
                return new Reject("the name '" + request.name() + "' is banned from this ring by its leader"
                        + (banned.equals(request.name()) ? "" : " (as " + banned + ")"));
            }
        }
        List<Departure> departed = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        for (Member m : view.members()) {
            if (m.address().equals(request.joiner()) && m.name().equals(request.name())) {
                return new Readmit(m);
            } else if (m.address().equals(request.joiner())) {
                departed.add(new Departure(m, Departure.Reason.REPLACED));
            } else {
                Names.Clash clash = name.clash(memberKeys.computeIfAbsent(m.name(), Names.Key::of));
                if (clash != Names.Clash.NONE) {
                    return new Reject("the name '" + request.name() + "' "
                            + (clash == Names.Clash.SAME ? "is taken by " : "looks like the name of ") + m.display());
                }
                members.add(m);
            }
        }
        forgetKeysBeyond(view);
        Member joiner = new Member(request.name(), request.joiner(), view.nextRank());
        members.add(joiner);
        View next = view.next(view.term(), view.version() + 1, view.leader(), members, view.nextRank() + 1);
        return new Admit(joiner, next, departed);
    }

    /** Keeps the cached keys to about the members of {@code view}: members leave, and their keys go. */
    private void forgetKeysBeyond(View view) {
        if (memberKeys.size() > 2 * view.size() + 16) {
            Set<String> names = new HashSet<>();
            view.members().forEach(m -> names.add(m.name()));
            memberKeys.keySet().retainAll(names);
        }
    }

    /**
     * The history a joiner gets: a newcomer the recent past (as much of the last
     * {@code joinHistory} messages up to {@code shown}, the leader's last shown, as fits one
     * frame), and the leader's orderings after that as messages of their own, which it
     * acknowledges as any member does. (Inherited as the past, they were acknowledged by nobody
     * when the members they went to had been taken out since: the leader never showed them, and
     * a merge that waits until it has waited for ever: simulator seed 13605 with a 400 ms probe
     * timeout.) A node back after a removal gets everything after
     * its last delivery, the first message in the answer when there is a gap before it (so it
     * knows where the leader's history starts) and the rest one frame each. When the leader's
     * history ends before the node's position, its last message is the answer: the node then
     * knows at once that this ring lacks lines it holds ({@link RejoinCheck}), and carries them
     * before it submits; with nothing sent, it submitted after {@code REJOIN_HOLD_TICKS}, its new
     * lines were ordered first, and the ring held that sender's lines out of order (seed 743).
     */
    public static Handover handover(JoinRequest request, History history, long shown, FrameBudget budget,
            int joinHistory) {
        if (request.afterSeq() < 0) {
            List<ChatDeliver> recent = history.after(Math.max(0, Math.min(shown, history.delivered()) - joinHistory));
            int seen = 0;
            while (seen < recent.size() && recent.get(seen).seq() <= shown) {
                seen++;
            }
            return new Handover(budget.tail(recent.subList(0, seen)), List.copyOf(recent.subList(seen, recent.size())));
        }
        if (history.delivered() > 0 && history.delivered() <= request.afterSeq()) {
            return new Handover(history.after(history.delivered() - 1), List.of());
        }
        List<ChatDeliver> missed = history.after(request.afterSeq());
        boolean gap = !missed.isEmpty() && missed.get(0).seq() > request.afterSeq() + 1;
        List<ChatDeliver> inAnswer = gap ? missed.subList(0, 1) : List.of();
        return new Handover(inAnswer, missed.subList(inAnswer.size(), missed.size()));
    }

    /** Keeps a request until there is a leader; false when too many are held already. */
    public boolean hold(JoinRequest request) {
        if (held.size() >= maxHeld) {
            return false;
        }
        held.add(request);
        return true;
    }

    /** The held requests, oldest first; they are no longer held. */
    public List<JoinRequest> release() {
        List<JoinRequest> out = List.copyOf(held);
        held.clear();
        return out;
    }

    /** True when {@code from} may send this request: the joiner itself, a member forwarding it, or this node. */
    public static boolean mayAsk(NodeAddress from, JoinRequest request, View view, NodeAddress self) {
        return from.equals(request.joiner()) || from.equals(self) || (view != null && view.contains(from));
    }
}
