package org.ringchat.ring.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.View;

/**
 * The new leader's catch-up round. Before it numbers anything, the winner of an election asks
 * every member how far it got; it collects their answers (and the messages they have beyond its
 * own history, which the caller delivers as they come), and then builds its first view: itself
 * and every member that answered, in the old order. Members that died during the leader change or
 * did not answer in time are left out, with the reason they died when it is known.
 */
public final class CatchUp {

    public enum Phase {
        IDLE,
        /** Waiting for members' positions. */
        COLLECTING
    }

    /** The new view, who left it, and how far each member that stays had got. */
    public record Outcome(View view, List<Departure> departed, Map<NodeAddress, Long> positions) {
    }

    private final Map<NodeAddress, Departure.Reason> deaths = new LinkedHashMap<>();
    private final Set<NodeAddress> waiting = new LinkedHashSet<>();
    private final Map<NodeAddress, Long> positions = new LinkedHashMap<>();
    private Phase phase = Phase.IDLE;
    private long term;
    private long deadline;
    private int retries;

    /** {@code peer} died during this leader change, for the new view's departures. */
    public void noteDeath(NodeAddress peer, Departure.Reason reason) {
        deaths.putIfAbsent(peer, reason);
    }

    /** Won the election for {@code term}: asks {@code members} and waits until {@code deadline}. */
    public void begin(long term, Collection<NodeAddress> members, long deadline) {
        this.phase = Phase.COLLECTING;
        this.term = term;
        this.deadline = deadline;
        retries = 0;
        waiting.clear();
        waiting.addAll(members);
        positions.clear();
    }

    /**
     * A member the winner learned of during the round (its lost leader admitted it in a view that
     * came late): it is asked too. Returns true when it was not asked yet.
     */
    public boolean add(NodeAddress member) {
        return phase == Phase.COLLECTING && !positions.containsKey(member) && waiting.add(member);
    }

    /**
     * A member's answer; {@code last} when it is its final frame for this round. Returns true once
     * every member has answered.
     */
    public boolean onReply(NodeAddress from, long replyTerm, long deliveredSeq, boolean last) {
        if (!accepts(from, replyTerm) || !last) {
            return false;
        }
        waiting.remove(from);
        positions.put(from, deliveredSeq);
        return waiting.isEmpty();
    }

    /** True when a reply from {@code from} in {@code replyTerm} belongs to this round. */
    public boolean accepts(NodeAddress from, long replyTerm) {
        return phase == Phase.COLLECTING && replyTerm == term && waiting.contains(from);
    }

    /**
     * {@code peer} died while the round runs: nobody waits for it, and it is left out of the new
     * view even if it answered. Returns true once everyone else answered.
     */
    public boolean memberLost(NodeAddress peer, Departure.Reason reason) {
        noteDeath(peer, reason);
        positions.remove(peer);
        return phase == Phase.COLLECTING && waiting.remove(peer) && waiting.isEmpty();
    }

    /** True while the round runs and members are asked, none of which has answered yet. */
    public boolean unanswered() {
        return phase == Phase.COLLECTING && positions.isEmpty() && !waiting.isEmpty();
    }

    /**
     * The round goes on to {@code deadline}, its members asked again, unless it did so
     * {@code maxRetries} times already: returns whether it does.
     */
    public boolean retry(long deadline, int maxRetries) {
        if (phase != Phase.COLLECTING || retries >= maxRetries) {
            return false;
        }
        retries++;
        this.deadline = deadline;
        return true;
    }

    /** The members asked that have not answered yet. */
    public Set<NodeAddress> waiting() {
        return Collections.unmodifiableSet(waiting);
    }

    /** Moves the round's deadline to {@code deadline} (its winner slept through part of it). */
    public void postpone(long deadline) {
        if (phase == Phase.COLLECTING) {
            this.deadline = deadline;
        }
    }

    public boolean expired(long now) {
        return phase == Phase.COLLECTING && now >= deadline;
    }

    /**
     * Ends the round: the first view of {@code self}'s leadership, built from {@code old}. A
     * member more senior than the new leader is left out even if it answered: the election
     * counted it dead (it was only cut off, or slow), and the ring's leader is its most senior
     * member. It hears that it is out, and joins again as the newest member.
     */
    public Outcome finish(View old, NodeAddress self) {
        long selfRank = old.member(self).map(Member::rank).orElse(Long.MIN_VALUE);
        List<Member> members = new ArrayList<>();
        List<Departure> departed = new ArrayList<>();
        for (Member m : old.members()) {
            boolean answered = positions.containsKey(m.address()) && m.rank() > selfRank;
            if (m.address().equals(self) || answered) {
                members.add(m);
            } else {
                departed.add(new Departure(m, deaths.getOrDefault(m.address(), Departure.Reason.UNRESPONSIVE)));
            }
        }
        // a copy that keeps the answers' order (Map.copyOf's order changes from run to run)
        Outcome outcome = new Outcome(old.next(term, 1, self, members, old.nextRank()), departed,
                Collections.unmodifiableMap(new LinkedHashMap<>(positions)));
        reset();
        return outcome;
    }

    /** Forgets the round and the deaths noted (a new leader is known, or this node was removed). */
    public void reset() {
        phase = Phase.IDLE;
        waiting.clear();
        positions.clear();
        deaths.clear();
    }

    public Phase phase() {
        return phase;
    }

    public long term() {
        return term;
    }

    public long deadline() {
        return deadline;
    }
}
