package org.ringchat.protocol;

import java.util.List;

/** One sample of every {@link Message} type, with values that exercise the awkward cases. */
final class Samples {

    static final NodeAddress ALICE_ADDR = new NodeAddress("127.0.0.1", 5000);
    static final NodeAddress BOB_ADDR = new NodeAddress("node-b.example", 5001);
    static final NodeAddress CAROL_ADDR = new NodeAddress("::1", 5002);

    static final Member ALICE = new Member("Alice", ALICE_ADDR, 1);
    static final Member BOB = new Member("Bob", BOB_ADDR, 2);
    static final Member CAROL = new Member("Çarol🐦", CAROL_ADDR, 5);

    static final View VIEW = new View(3, 7, ALICE_ADDR, List.of(ALICE, BOB, CAROL), 6,
            java.util.Map.of(CAROL_ADDR.toString(), "café"), List.of("Bob"), List.of("Eve"));

    static final RingIdentity.RingId RING_ID = new RingIdentity.RingId(1_767_225_600_000L, ALICE_ADDR);
    static final View MERGED_VIEW = new View(4, 1, ALICE_ADDR, List.of(ALICE, BOB, CAROL), 6,
            java.util.Map.of(), List.of(), List.of("Eve"), RING_ID);
    static final RingIdentity RING_A = new RingIdentity(RING_ID, 3, ALICE, 7);
    static final RingIdentity RING_B = new RingIdentity(RING_ID, 2, BOB, 1);

    static final Message.ChatDeliver DELIVER =
            new Message.ChatDeliver(11, 3, BOB, 4, "hi \"all\" 👋\nline two\t\\", 42);
    static final Message.ChatDeliver DELIVER_2 =
            new Message.ChatDeliver(12, 3, CAROL, 1, "", 43, "café", 1_767_225_600_000L);

    private Samples() {
    }

    /** Exactly one message of each type; {@code CodecTest} checks that none is missing. */
    static List<Message> oneOfEachType() {
        return List.of(
                new Message.Hello(ProtocolVersion.CURRENT, "Alice", true),
                new Message.JoinRequest("Dave", new NodeAddress("10.0.0.4", 5003), -1),
                new Message.JoinAccepted(CAROL, VIEW, 2, List.of(DELIVER, DELIVER_2), List.of(DELIVER_2),
                        List.of(new LostMember(new Member("Eve", new NodeAddress("10.0.0.5", 5004), 3),
                                Departure.Reason.UNRESPONSIVE, 4_500, 9))),
                new Message.JoinRejected("name \"Bob\" is taken", true),
                new Message.MembershipUpdate(VIEW, List.of(
                        new Departure(new Member("Eve", new NodeAddress("10.0.0.5", 5004), 3),
                                Departure.Reason.CRASHED),
                        new Departure(new Member("Fay", new NodeAddress("fe80::1", 5005), 4),
                                Departure.Reason.LEFT))),
                new Message.MembershipChange(3, 6, VIEW.digest(), 3, 7, ALICE_ADDR, 6, List.of(CAROL), List.of(
                        new Departure(new Member("Eve", new NodeAddress("10.0.0.5", 5004), 3),
                                Departure.Reason.UNRESPONSIVE))),
                new Message.NotMember(VIEW),
                new Message.Leave(),
                new Message.Heartbeat(3, 7),
                new Message.Suspect(BOB_ADDR, true),
                new Message.Probe(CAROL_ADDR, Long.MAX_VALUE),
                new Message.ProbeResult(CAROL_ADDR, Long.MIN_VALUE, false),
                new Message.Ping(-1),
                new Message.Pong(0, 4, 2),
                new Message.Election(CAROL.candidate(), 4),
                new Message.Elected(ALICE.candidate(), 4),
                new Message.SyncRequest(4, 10),
                new Message.SyncReply(4, 11, List.of(DELIVER)),
                new Message.ChatSubmit(5, "hello, ring ✓", "ops"),
                DELIVER,
                new Message.ChatAck(3, 11),
                new Message.RoomChange("ops-2.b"),
                new Message.LinkCheck(40123),
                new Message.LinkCheckAnswer(true),
                new Message.RingProbe(7, RING_A),
                new Message.RingProbeReply(7, RING_B),
                new Message.MergeInvite(RING_A, RING_B, 5),
                new Message.MergeHandover(RING_B, RING_A, 5, MERGED_VIEW, 10, DELIVER, List.of(DELIVER_2), true),
                new Message.MergeBack(RING_A, 0),
                new Message.RingMerged(MERGED_VIEW, List.of(BOB), 10, List.of(DELIVER, DELIVER_2), List.of(0L, 9L),
                        List.of(CAROL), false),
                new Message.MergeAck(4));
    }

    /** A chat message from Alice at Lamport time {@code t}. */
    static Envelope chat(long t, String text) {
        return new Envelope(ALICE_ADDR, t, new Message.ChatSubmit(t, text));
    }
}
