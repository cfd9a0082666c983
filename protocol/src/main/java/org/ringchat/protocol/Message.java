package org.ringchat.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every message of the ring protocol. Each is an immutable record whose wire name (the JSON
 * {@code type} field) is its simple name here; that name is part of the protocol and never
 * changes. Who sent a message and at what Lamport time travels in the {@link Envelope}.
 * See {@code docs/protocol.md} for who sends what to whom.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Message.Hello.class, name = "Hello"),
    @JsonSubTypes.Type(value = Message.JoinRequest.class, name = "JoinRequest"),
    @JsonSubTypes.Type(value = Message.JoinAccepted.class, name = "JoinAccepted"),
    @JsonSubTypes.Type(value = Message.JoinRejected.class, name = "JoinRejected"),
    @JsonSubTypes.Type(value = Message.MembershipUpdate.class, name = "MembershipUpdate"),
    @JsonSubTypes.Type(value = Message.MembershipChange.class, name = "MembershipChange"),
    @JsonSubTypes.Type(value = Message.NotMember.class, name = "NotMember"),
    @JsonSubTypes.Type(value = Message.Leave.class, name = "Leave"),
    @JsonSubTypes.Type(value = Message.Heartbeat.class, name = "Heartbeat"),
    @JsonSubTypes.Type(value = Message.Suspect.class, name = "Suspect"),
    @JsonSubTypes.Type(value = Message.Probe.class, name = "Probe"),
    @JsonSubTypes.Type(value = Message.ProbeResult.class, name = "ProbeResult"),
    @JsonSubTypes.Type(value = Message.Ping.class, name = "Ping"),
    @JsonSubTypes.Type(value = Message.Pong.class, name = "Pong"),
    @JsonSubTypes.Type(value = Message.Election.class, name = "Election"),
    @JsonSubTypes.Type(value = Message.Elected.class, name = "Elected"),
    @JsonSubTypes.Type(value = Message.SyncRequest.class, name = "SyncRequest"),
    @JsonSubTypes.Type(value = Message.SyncReply.class, name = "SyncReply"),
    @JsonSubTypes.Type(value = Message.ChatSubmit.class, name = "ChatSubmit"),
    @JsonSubTypes.Type(value = Message.ChatDeliver.class, name = "ChatDeliver"),
    @JsonSubTypes.Type(value = Message.ChatAck.class, name = "ChatAck"),
    @JsonSubTypes.Type(value = Message.RoomChange.class, name = "RoomChange"),
    @JsonSubTypes.Type(value = Message.LinkCheck.class, name = "LinkCheck"),
    @JsonSubTypes.Type(value = Message.LinkCheckAnswer.class, name = "LinkCheckAnswer"),
    @JsonSubTypes.Type(value = Message.RingProbe.class, name = "RingProbe"),
    @JsonSubTypes.Type(value = Message.RingProbeReply.class, name = "RingProbeReply"),
    @JsonSubTypes.Type(value = Message.MergeInvite.class, name = "MergeInvite"),
    @JsonSubTypes.Type(value = Message.MergeHandover.class, name = "MergeHandover"),
    @JsonSubTypes.Type(value = Message.MergeBack.class, name = "MergeBack"),
    @JsonSubTypes.Type(value = Message.RingMerged.class, name = "RingMerged"),
    @JsonSubTypes.Type(value = Message.MergeAck.class, name = "MergeAck"),
})
public sealed interface Message {

    /**
     * The first message on every connection: the protocol version and the sender's name.
     * {@code standby}: the link is a spare, opened before the sender needs it (a member's to the
     * member its candidacy would go to first, were the leader lost): until anything else comes on
     * it, the receiver proves it as any other but tells its node nothing of it, nor of its loss.
     * Absent (a node before it) reads as false, and false is not written.
     */
    record Hello(int version, String name,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean standby) implements Message {
        public Hello {
            Objects.requireNonNull(name, "name");
            Bounds.name("name", name);
            standby = Boolean.TRUE.equals(standby); // boxed: a Hello without it (a node before it) decodes
        }

        public Hello(int version, String name) {
            this(version, name, false);
        }

        /** The same Hello, opening a spare link. */
        public Hello asStandby() {
            return new Hello(version, name, true);
        }
    }

    /**
     * A newcomer asks to be admitted; any member forwards it to the leader. {@code afterSeq} is
     * -1 for a first join; a node joining again after a removal gives the last message it
     * delivered, and the leader replays what it missed.
     */
    record JoinRequest(String name, NodeAddress joiner, long afterSeq) implements Message {
        public JoinRequest {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(joiner, "joiner");
            Bounds.name("name", name);
            Bounds.position("afterSeq", afterSeq);
        }
    }

    /**
     * Leader → joiner: you are {@code you}; here is the ring, the recent ordered history and
     * the first message id you may use (ids below it from your address were already ordered),
     * and {@code backlog}: the latest messages of every room, for the joiner's per-room history;
     * {@code lost}: the members the leader lost to a crash or a hang and still probes (at most
     * {@link Bounds#MAX_LOST_MEMBERS}), so that the joiner probes them too once it leads.
     */
    record JoinAccepted(Member you, View view, long nextMsgId, List<ChatDeliver> history, List<ChatDeliver> backlog,
            List<LostMember> lost) implements Message {
        public JoinAccepted {
            Objects.requireNonNull(you, "you");
            Objects.requireNonNull(view, "view");
            Bounds.counter("nextMsgId", nextMsgId);
            history = List.copyOf(Bounds.size("history", history, Bounds.MAX_ENTRIES));
            backlog = backlog == null ? List.of() : List.copyOf(Bounds.size("backlog", backlog, Bounds.MAX_ENTRIES));
            lost = lost == null ? List.of() : List.copyOf(Bounds.size("lost", lost, Bounds.MAX_LOST_MEMBERS));
        }

        /** With no backlog of the rooms, and no lost members. */
        public JoinAccepted(Member you, View view, long nextMsgId, List<ChatDeliver> history) {
            this(you, view, nextMsgId, history, List.of(), List.of());
        }
    }

    /**
     * Leader (or the contacted member) → joiner: not admitted, and why. {@code nameRefused}: the
     * leader refused the name itself (taken, looks like a member's, or not a valid name), so
     * asking again under it is pointless; absent (false) from senders that predate it.
     */
    record JoinRejected(String reason, boolean nameRefused) implements Message {
        public JoinRejected {
            Objects.requireNonNull(reason, "reason");
            Bounds.text("reason", reason);
        }

        /** A refusal for another reason than the name (no ring, an election, too many requests). */
        public JoinRejected(String reason) {
            this(reason, false);
        }

        /** From the wire, where {@code nameRefused} may be absent. */
        @JsonCreator
        static JoinRejected fromWire(@JsonProperty("reason") String reason, @JsonProperty("nameRefused") Boolean nameRefused) {
            return new JoinRejected(reason, Boolean.TRUE.equals(nameRefused));
        }
    }

    /** Leader → every member: the new membership, and who left it and why. */
    record MembershipUpdate(View view, List<Departure> departed) implements Message {
        public MembershipUpdate {
            Objects.requireNonNull(view, "view");
            departed = List.copyOf(Bounds.size("departed", departed, Bounds.MAX_MEMBERS));
        }
    }

    /**
     * Leader → every member: a {@link MembershipUpdate} written as the change from the view the
     * member holds, its {@code base}, named by term, version and {@link View#digest() digest}: the
     * members {@code departed} lists are out, {@code joined} are in (after the others: their ranks
     * are the newest), and the view has a new term, version, leader and next rank; the rest is
     * carried on as {@link View#next} does. A few hundred bytes where the whole view of N members
     * is about 55·N (a new leader's first view in a ring of 300: 16 kB to each of 299 members,
     * each decoding it). A member whose view is not the base asks for the whole view with a
     * {@link Heartbeat} of the view it holds, which the leader answers with a {@code MembershipUpdate}.
     */
    record MembershipChange(long baseTerm, long baseVersion, long baseDigest, long term, long version,
            NodeAddress leader, long nextRank, List<Member> joined, List<Departure> departed) implements Message {
        public MembershipChange {
            Objects.requireNonNull(leader, "leader");
            Bounds.counter("baseTerm", baseTerm);
            Bounds.counter("baseVersion", baseVersion);
            Bounds.counter("term", term);
            Bounds.counter("version", version);
            Bounds.counter("nextRank", nextRank);
            joined = List.copyOf(Bounds.size("joined", joined, Bounds.MAX_MEMBERS));
            departed = List.copyOf(Bounds.size("departed", departed, Bounds.MAX_MEMBERS));
        }

        /**
         * {@code next}, with these departures, as its change from {@code base}; empty when the
         * change cannot say it all (rooms, moderation or a member's rank changed), and the whole
         * view must go. Whatever it returns makes {@code next} of {@code base} exactly.
         */
        public static Optional<MembershipChange> between(View base, View next, List<Departure> departed) {
            Set<Member> before = new HashSet<>(base.members());
            List<Member> joined = new ArrayList<>();
            for (Member m : next.members()) {
                if (!before.contains(m)) {
                    joined.add(m);
                }
            }
            MembershipChange change = new MembershipChange(base.term(), base.version(), base.digest(), next.term(),
                    next.version(), next.leader(), next.nextRank(), joined, departed);
            return change.applyTo(base).filter(next::equals).map(v -> change);
        }

        /**
         * The view this change makes of {@code base}; empty when {@code base} is not the view it
         * was written against (its term, version or digest differ), or when the result is not a
         * valid view (a joined member ranked below one kept, too many members).
         */
        public Optional<View> applyTo(View base) {
            if (base.term() != baseTerm || base.version() != baseVersion || base.digest() != baseDigest) {
                return Optional.empty();
            }
            Set<Member> out = new HashSet<>();
            departed.forEach(d -> out.add(d.member()));
            List<Member> members = new ArrayList<>(base.size() + joined.size());
            for (Member m : base.members()) {
                if (!out.contains(m)) {
                    members.add(m);
                }
            }
            members.addAll(joined);
            try {
                return Optional.of(base.next(term, version, leader, members, nextRank));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** Answer to a node that is not in the sender's (newer) view: you were removed. */
    record NotMember(View view) implements Message {
        public NotMember {
            Objects.requireNonNull(view, "view");
        }
    }

    /** A member leaves gracefully (sent to the leader and both neighbours). */
    record Leave() implements Message {
    }

    /** I am alive, and this is the view I hold. */
    record Heartbeat(long term, long version) implements Message {
        public Heartbeat {
            Bounds.counter("term", term);
            Bounds.counter("version", version);
        }
    }

    /** Member → leader: I lost {@code suspect} (its link closed and it refused a reconnect, or it went silent). */
    record Suspect(NodeAddress suspect, boolean connectionLost) implements Message {
        public Suspect {
            Objects.requireNonNull(suspect, "suspect");
        }
    }

    /** Asks a witness to check whether {@code target} still answers. */
    record Probe(NodeAddress target, long nonce) implements Message {
        public Probe {
            Objects.requireNonNull(target, "target");
        }
    }

    /** Witness → asker: what the probe of {@code target} found. */
    record ProbeResult(NodeAddress target, long nonce, boolean alive) implements Message {
        public ProbeResult {
            Objects.requireNonNull(target, "target");
        }
    }

    /** Are you there? Answered by the node's own state thread, so a hung node cannot answer. */
    record Ping(long nonce) implements Message {
    }

    /** Answer to {@link Ping}, with the view the answering node holds. */
    record Pong(long nonce, long term, long version) implements Message {
        public Pong {
            Bounds.counter("term", term);
            Bounds.counter("version", version);
        }
    }

    /** Chang–Roberts: the best candidate seen so far for the leadership of {@code term}. */
    record Election(Candidate candidate, long term) implements Message {
        public Election {
            Objects.requireNonNull(candidate, "candidate");
            Bounds.counter("term", term);
        }
    }

    /** Chang–Roberts: the winner, circulated once around the ring. */
    record Elected(Candidate leader, long term) implements Message {
        public Elected {
            Objects.requireNonNull(leader, "leader");
            Bounds.counter("term", term);
        }
    }

    /** New leader → member: send me what you delivered after {@code afterSeq}. */
    record SyncRequest(long term, long afterSeq) implements Message {
        public SyncRequest {
            Bounds.counter("term", term);
            Bounds.position("afterSeq", afterSeq);
        }
    }

    /** Member → new leader: my delivered position, the ordered messages after the asked point, and my unconfirmed messages. */
    record SyncReply(long term, long deliveredSeq, List<ChatDeliver> entries) implements Message {
        public SyncReply {
            Bounds.counter("term", term);
            Bounds.counter("deliveredSeq", deliveredSeq);
            entries = List.copyOf(Bounds.size("entries", entries, Bounds.MAX_ENTRIES));
        }
    }

    /** Member → leader: please order my message {@code msgId} (ids grow by one per sender) in {@code room}. */
    record ChatSubmit(long msgId, String text, String room) implements Message {
        public ChatSubmit {
            Objects.requireNonNull(text, "text");
            Bounds.counter("msgId", msgId);
            Bounds.text("text", text);
            room = room == null ? Room.GENERAL : Room.check(room); // a submit that names no room is for general
        }

        /** A line for {@link Room#GENERAL}. */
        public ChatSubmit(long msgId, String text) {
            this(msgId, text, Room.GENERAL);
        }
    }

    /**
     * Leader → every member: message number {@code seq} of the ring's total order, from
     * {@code sender}, stamped with the leader's Lamport time {@code stamp} and its wall clock
     * {@code wallClockMs} (ms since the epoch) when it was ordered, in {@code room}. A line from a
     * member its leader silenced is ordered {@code silenced}, with no text: it takes its place in
     * the sender's numbering, and nobody shows it (its sender says it was refused).
     */
    record ChatDeliver(long seq, long term, Member sender, long msgId, String text, long stamp, String room,
            long wallClockMs, boolean silenced) implements Message {
        public ChatDeliver {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(text, "text");
            Bounds.counter("seq", seq);
            Bounds.counter("term", term);
            Bounds.counter("msgId", msgId);
            Bounds.counter("stamp", stamp);
            Bounds.text("text", text);
            Room.check(room);
            Bounds.counter("wallClockMs", wallClockMs);
        }

        /** A line in {@code room}, not silenced. */
        public ChatDeliver(long seq, long term, Member sender, long msgId, String text, long stamp, String room,
                long wallClockMs) {
            this(seq, term, sender, msgId, text, stamp, room, wallClockMs, false);
        }

        /** A line in {@link Room#GENERAL}, with no wall-clock time (0). */
        public ChatDeliver(long seq, long term, Member sender, long msgId, String text, long stamp) {
            this(seq, term, sender, msgId, text, stamp, Room.GENERAL, 0);
        }
    }

    /**
     * Member → its leader of {@code term}: I have delivered every message up to {@code seq}. The
     * leader shows its own orderings only once a member has them, so that a leader cut off
     * from the ring shows nothing the ring will not have.
     */
    record ChatAck(long term, long seq) implements Message {
        public ChatAck {
            Bounds.counter("term", term);
            Bounds.counter("seq", seq);
        }
    }

    /** Member → leader: move me to {@code room}; the leader's next view says so to everyone. */
    record RoomChange(String room) implements Message {
        public RoomChange {
            Room.check(room);
        }
    }

    /**
     * The first and only frame of a check connection, which a node opens to the address a
     * connection's {@code Hello} claimed: "a connection from your IP address and port
     * {@code port} to me ({@code from}) says it is you; is it?" The claimed node answers on the
     * check connection, which then closes. Nothing else is ever sent on a check connection.
     */
    record LinkCheck(int port) implements Message {
        public LinkCheck {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /** Answer to {@link LinkCheck}: whether the connection is one this node opened to the asker. */
    record LinkCheckAnswer(boolean yours) implements Message {
    }

    // ---- partitions: finding the other piece, and merging with it (docs/partitions.md) ----------

    /** Leader → the address of a member it lost: which ring are you in? {@code ring} is the prober's. */
    record RingProbe(long nonce, RingIdentity ring) implements Message {
        public RingProbe {
            Objects.requireNonNull(ring, "ring");
        }
    }

    /** The probed node → the prober: I am in {@code ring}. */
    record RingProbeReply(long nonce, RingIdentity ring) implements Message {
        public RingProbeReply {
            Objects.requireNonNull(ring, "ring");
        }
    }

    /**
     * The absorbing leader → the absorbed one: I ({@code ring}) absorb you ({@code yours}, as I
     * saw you). {@code invite} numbers this invite among the sender's (1, 2, …): only a handover
     * that echoes it is merged, so a handover sent for an invite given up since is not.
     */
    record MergeInvite(RingIdentity ring, RingIdentity yours, long invite) implements Message {
        public MergeInvite {
            Objects.requireNonNull(ring, "ring");
            Objects.requireNonNull(yours, "yours");
            Bounds.counter("invite", invite);
        }
    }

    /**
     * The absorbed leader → the absorbing one: my ring ({@code ring}, {@code view}) and my
     * messages after {@code base}, whose own message numbered {@code base} is {@code atBase}
     * (null when {@code base} is 0), in as many frames as it takes ({@code last} on the final one).
     * {@code invite} is the {@link MergeInvite#invite()} this answers; 0 offers a handover nobody
     * asked for yet (its leader found the absorbing piece first), which is answered by an invite.
     */
    record MergeHandover(RingIdentity ring, RingIdentity yours, long invite, View view, long base, ChatDeliver atBase,
            List<ChatDeliver> entries, boolean last) implements Message {
        public MergeHandover {
            Objects.requireNonNull(ring, "ring");
            Objects.requireNonNull(yours, "yours");
            Objects.requireNonNull(view, "view");
            Bounds.counter("invite", invite);
            Bounds.counter("base", base);
            entries = List.copyOf(Bounds.size("entries", entries, Bounds.MAX_ENTRIES));
        }
    }

    /** The absorbing leader → the absorbed one: we parted before your base; send from {@code base}. */
    record MergeBack(RingIdentity ring, long base) implements Message {
        public MergeBack {
            Objects.requireNonNull(ring, "ring");
            Bounds.counter("base", base);
        }
    }

    /**
     * The merged ring's leader → each member: the merged ring ({@code view}) and the history to
     * take: forget what you numbered after {@code rewindTo}, then take {@code entries}, showing
     * those you have not shown; {@code splitFrom} are the members of the other piece (to name
     * them), {@code renamed} the absorbed members as they were before a rename; {@code origins}
     * gives, for each entry, the number it had in the absorbed piece (0: the absorbing piece's
     * own), so that an absorbed member shows none of its own side's lines from before it joined.
     * In as many frames as it takes; the member takes it all with the {@code last}.
     */
    record RingMerged(View view, List<Member> splitFrom, long rewindTo, List<ChatDeliver> entries,
            List<Long> origins, List<Member> renamed, boolean last) implements Message {
        public RingMerged {
            Objects.requireNonNull(view, "view");
            splitFrom = List.copyOf(Bounds.size("splitFrom", splitFrom, Bounds.MAX_MEMBERS));
            Bounds.counter("rewindTo", rewindTo);
            entries = List.copyOf(Bounds.size("entries", entries, Bounds.MAX_ENTRIES));
            origins = List.copyOf(Bounds.size("origins", origins, Bounds.MAX_ENTRIES));
            if (origins.size() != entries.size()) {
                throw new IllegalArgumentException("origins: " + origins.size() + " for " + entries.size() + " entries");
            }
            origins.forEach(o -> Bounds.counter("origin", o));
            renamed = List.copyOf(Bounds.size("renamed", renamed, Bounds.MAX_MEMBERS));
        }
    }

    /** Member → the merged ring's leader: I took the merged ring of {@code term}. */
    record MergeAck(long term) implements Message {
        public MergeAck {
            Bounds.counter("term", term);
        }
    }
}
