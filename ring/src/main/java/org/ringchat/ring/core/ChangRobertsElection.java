package org.ringchat.ring.core;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ringchat.protocol.Candidate;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.Elected;
import org.ringchat.protocol.Message.Election;
import org.ringchat.protocol.NodeAddress;

/**
 * One node's part of a Chang–Roberts election on a unidirectional ring. Pure: messages in,
 * messages to the next node out through {@link Outbox}; no clocks, no threads.
 *
 * <p>Ids are {@link Candidate}s, better = more senior, so the most senior live member wins.
 * A node passes on a candidate better than itself, replaces a worse one with itself when it is
 * not yet a participant (and swallows it when it is), and wins when its own id comes back.
 * The winner then sends {@link Elected} once around the ring.
 *
 * <p>Failures are handled by the caller with three hooks: {@link #resend()} after its next
 * changed (the last message may have died with the old next), {@link #forget} when a node is
 * known dead (a dead candidate must not win), and {@link #restart()} when an election takes too
 * long. Elections for a term at or below one whose leader is known are stale and dropped.
 */
public final class ChangRobertsElection {

    /** Where this node stands. */
    public enum Phase {
        /** Not in an election; {@link #leader()} is known (or the node never had one). */
        IDLE,
        /** Has sent its own or a better candidacy and waits for the result. */
        PARTICIPANT,
        /** Won and sent {@code Elected}; waiting for it to come back around. */
        WON
    }

    /** What a received message did. */
    public enum Step {
        FORWARDED, REPLACED_WITH_SELF, SWALLOWED, WON, STALE, DEAD_CANDIDATE, LEADER_LEARNED, ELECTED_RETURNED,
        /** A candidacy this node passed on in this term came round again: it stands in the next. */
        CIRCLED
    }

    /** Sends to this node's current next on the ring. */
    public interface Outbox {
        void toNext(Message message);
    }

    private final Candidate self;
    private final Outbox outbox;
    private final Set<Candidate> dead = new HashSet<>();
    /** Candidates seen standing (or elected) in {@link #term}. */
    private final Set<Candidate> stoodThisTerm = new HashSet<>();
    /** Candidacies of others this node passed on in {@link #term}. */
    private final Set<Candidate> passedOn = new HashSet<>();
    /**
     * The highest term a candidate now dead stood in. It may have won that term on a ring of its
     * own (alone, while the others were paused) and led in it; nobody who outlived it can know,
     * so no other leader may be elected for that term.
     */
    private long taken;

    private Phase phase = Phase.IDLE;
    /** The term being elected, or the term of the known leader when idle. */
    private long term;
    private Candidate leader;
    /** Last message this node sent, to be sent again if it was lost with a dead next. */
    private Message lastSent;
    /**
     * Leaving: this node passes every candidacy on and stands in none. A leaving member that won
     * left the ring it had just been elected to lead, and the others waited for its view for good
     * (seed 239064: its goodbye's confirmation came late, behind a slow frame, after the others
     * had lost their leader to the same slowness and elected it).
     */
    private boolean withdrawn;

    public ChangRobertsElection(Candidate self, Outbox outbox) {
        this.self = Objects.requireNonNull(self, "self");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** The leader of {@code term} is known from elsewhere (admission, a view): no election. */
    public void leaderKnown(Candidate leader, long term) {
        if (term >= this.term) {
            if (term > this.term) {
                newTerm();
            }
            this.leader = leader;
            this.term = term;
            this.phase = Phase.IDLE;
            this.lastSent = null;
            // the leader's view settles who is alive: a member wrongly thought dead may win again
            dead.clear();
        }
    }

    /**
     * Starts an election for the term after the current leader's (and after any a dead candidate
     * stood in); no-op if one is running.
     */
    public void start() {
        if (phase == Phase.IDLE && !withdrawn) {
            term = Math.max(term, taken) + 1;
            newTerm();
            leader = null;
            candidate(new Election(self, term));
        }
    }

    /**
     * The election took too long: stand again as a candidate, for the next term. Not the same
     * term: members that learned a leader for it (one that died since) drop its elections.
     */
    public void restart() {
        if (phase != Phase.IDLE) {
            phase = Phase.IDLE;
            // a new term: the old term's messages are stale anyway, and a member wrongly thought
            // dead (a refused connect to a live node) must not block every election after this one
            dead.clear();
            start();
        }
    }

    /**
     * The next changed: what was sent may have died with the old next. That includes an
     * {@code Elected} this node forwarded, though the node is idle by then.
     */
    public void resend() {
        if (lastSent != null) {
            outbox.toNext(lastSent);
        }
    }

    /**
     * {@code candidate} is dead. If it stood in this term, it may have won it alone and led in it
     * (its {@code Elected} went round a ring of its own, or died with it): the election moves on
     * to the next term, with this node standing. Otherwise, if this node is backing it, it stands
     * again itself. A dead candidate's election messages are dropped from now on.
     */
    public void forget(Candidate candidate) {
        dead.add(candidate);
        if (!candidate.equals(self) && stoodThisTerm.contains(candidate)) {
            termTaken(term);
            return;
        }
        if (phase == Phase.PARTICIPANT && lastSent instanceof Election e
                && e.candidate().equals(candidate)) {
            if (withdrawn) {
                lastSent = null; // backing nobody now, still passing on: another member's candidacy comes
            } else {
                candidate(new Election(self, term));
            }
        }
    }

    /**
     * Whether this node is leaving (and not alone: a ring of one has nobody else to elect): while
     * it is, it passes every candidacy on and stands in none (its own, if it comes back, is
     * dropped: the others' timeouts start the next term).
     */
    public void withdraw(boolean leaving) {
        withdrawn = leaving;
    }

    /** {@code candidate}, taken for dead, turned out to be alive: it may stand and win again. */
    public void revive(Candidate candidate) {
        dead.remove(candidate);
    }

    public Step onElection(Election message) {
        return onElection(message, false);
    }

    /**
     * An election message; {@code alone} when this node's ring is itself only (it routed around
     * every other member), so that whatever it sends comes back to itself. Another candidacy can
     * then never reach its candidate again: passed on, it would go round this node for ever. Only
     * this node can win a ring of one, so it stands itself in that candidacy's place, as it does
     * for a dead candidate.
     */
    public Step onElection(Election message, boolean alone) {
        if (message.term() < term || (message.term() == term && phase == Phase.IDLE)) {
            return Step.STALE;
        }
        if (dead.contains(message.candidate())) {
            termTaken(message.term()); // it stood in that term before it died
            return Step.DEAD_CANDIDATE;
        }
        if (message.term() > term) {
            // a newer election overtakes whatever this node was doing
            term = message.term();
            newTerm();
            phase = Phase.IDLE;
            leader = null;
        }
        Candidate c = message.candidate();
        stoodThisTerm.add(c);
        if (c.equals(self) && withdrawn) {
            // it stood before it began to leave: it wins nothing now, and still passes others on
            phase = Phase.PARTICIPANT;
            lastSent = null;
            return Step.SWALLOWED;
        }
        if (c.equals(self)) {
            if (phase == Phase.WON) {
                return Step.SWALLOWED;
            }
            phase = Phase.WON;
            leader = self;
            send(new Elected(self, term));
            return Step.WON;
        }
        if (alone) {
            if (phase == Phase.WON || standing() || withdrawn) {
                return Step.SWALLOWED; // its own candidacy (or Elected) is on its way back to it
            }
            candidate(new Election(self, term));
            return Step.REPLACED_WITH_SELF;
        }
        if (c.betterThan(self) || withdrawn) {
            if (!passedOn.add(c)) {
                // it came round again without reaching its candidate: the members' rings differ
                // (views some missed, members some route around) and this loop leaves the
                // candidate out; passed on, it would go round for ever. This node stands in the
                // next term, which overtakes it everywhere, and the most senior member of the
                // loop wins; the others come back through its view
                phase = Phase.IDLE;
                start();
                return Step.CIRCLED;
            }
            phase = Phase.PARTICIPANT;
            send(message);
            return Step.FORWARDED;
        }
        if (phase == Phase.IDLE) {
            candidate(new Election(self, term));
            return Step.REPLACED_WITH_SELF;
        }
        return Step.SWALLOWED;
    }

    public Step onElected(Elected message) {
        if (message.term() < term || (message.term() == term && phase == Phase.IDLE)) {
            return Step.STALE;
        }
        if (dead.contains(message.leader())) {
            // the winner died after sending it: following it would elect a dead leader, and it
            // led in that term
            termTaken(message.term());
            return Step.DEAD_CANDIDATE;
        }
        if (message.term() > term) {
            newTerm();
        }
        stoodThisTerm.add(message.leader());
        term = message.term();
        leader = message.leader();
        if (message.leader().equals(self)) {
            phase = Phase.IDLE;
            lastSent = null;
            return Step.ELECTED_RETURNED;
        }
        phase = Phase.IDLE;
        // kept as lastSent: if it dies with the next, resend() passes it on
        send(message);
        return Step.LEADER_LEARNED;
    }

    /**
     * Terms up to {@code upTo} were used by an election this node gave up (nobody took part):
     * another node may have won one of them meanwhile, so the next election this node starts
     * goes past them.
     */
    public void termsUsed(long upTo) {
        taken = Math.max(taken, upTo);
    }

    /**
     * A dead candidate stood in {@code stood}: no other leader may be elected for it. A candidacy
     * under way in that term (or before it) moves on past it, with this node standing. (A node
     * that already won it goes on: its catch-up is under way.)
     */
    private void termTaken(long stood) {
        taken = Math.max(taken, stood);
        if (phase == Phase.PARTICIPANT && term <= taken) {
            phase = Phase.IDLE;
            start();
        }
    }

    private void newTerm() {
        stoodThisTerm.clear();
        passedOn.clear();
    }

    /** Whether the candidacy this node last sent in this term is its own. */
    private boolean standing() {
        return phase == Phase.PARTICIPANT && lastSent instanceof Election e && e.candidate().equals(self)
                && e.term() == term;
    }

    private void candidate(Election election) {
        phase = Phase.PARTICIPANT;
        send(election);
    }

    private void send(Message message) {
        lastSent = message;
        outbox.toNext(message);
    }

    /**
     * Whether the node at {@code address} stood (or was elected) in {@code term}, as far as this
     * node saw: a winner's candidacy passes every node of its ring before it wins.
     */
    public boolean stood(NodeAddress address, long term) {
        return term == this.term && stoodThisTerm.stream().anyMatch(c -> c.address().equals(address));
    }

    public Phase phase() {
        return phase;
    }

    public long term() {
        return term;
    }

    public Optional<Candidate> leader() {
        return Optional.ofNullable(leader);
    }

    public Candidate self() {
        return self;
    }
}
