package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringchat.protocol.Bounds;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.JsonFields;
import org.ringchat.protocol.LostMember;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.protocol.RingIdentity;
import org.ringchat.protocol.View;
import org.ringchat.protocol.WireFormat;

/**
 * Every numeric field of every message type at its extremes, and text that is not valid
 * Unicode, sent to a live ring by a stranger and by a member: each such frame closes the
 * connection it came on and nothing else. Afterwards the ring is the same ring under the same
 * leader, nobody honest was removed or moved to an election, no handler threw, and chat flows.
 * ({@code BoundsTest} in the protocol module checks the same fields against the decoder alone.)
 */
@Timeout(240)
class ExtremeValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fields that may hold any value: nonces are random by design, a base digest is a fingerprint. */
    private static final Set<String> ANY_VALUE = Set.of("nonce", "baseDigest");

    private static final long[] EXTREMES = {Long.MAX_VALUE, Long.MIN_VALUE, Bounds.MAX_COUNTER + 1, -2};

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @ParameterizedTest(name = "from a {0}")
    @ValueSource(strings = {"stranger", "member"})
    void noFrameWithAnExtremeNumberOrBadTextHurtsTheRing(String who) throws Exception {
        TestNode alice = cluster.startLeader("alice");
        List<TestNode> ring = List.of(alice, cluster.join("bob", alice), cluster.join("carol", alice));
        cluster.awaitOneRing(ring);
        try (Stranger mallory = new Stranger(true)) {
            NodeAddress me = mallory.address();
            if (who.equals("member")) {
                Socket joining = mallory.connect(alice.address(), "mallory");
                Stranger.write(joining, new Envelope(me, 2, new Message.JoinRequest("mallory", me, -1)));
                cluster.awaitUntil(() -> assertTrue(alice.view().members().stream()
                        .anyMatch(m -> m.address().equals(me)), "mallory admitted"));
            }
            List<String> frames = hostileFrames(me, ring);
            for (int i = 0; i < frames.size(); i++) {
                TestNode target = ring.get(i % ring.size());
                assertClosedBy(target, mallory, frames.get(i));
            }
            assertTrue(frames.size() > 150, "sent " + frames.size() + " frames");
            if (who.equals("member")) {
                assertTrue(alice.view().members().stream().anyMatch(m -> m.address().equals(me)),
                        "mallory was still a member when its last frame arrived");
            }
        }
        cluster.send(bob(ring), "after the extremes");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("after the extremes"), n::toString)));
        cluster.awaitOneRing(ring);
        for (TestNode n : ring) {
            assertEquals("alice", n.view().leader().name(), n.toString());
            assertTrue(n.events.stream().noneMatch(e -> e.kind() == RingEvent.Kind.ELECTION_STARTED
                    || e.kind() == RingEvent.Kind.REMOVED), n + " was moved by mallory");
        }
        assertEquals(0, cluster.handlerFailures());
    }

    private static TestNode bob(List<TestNode> ring) {
        return ring.get(1);
    }

    /**
     * Frames, as JSON, that must each be refused: one per numeric field of one message of each
     * type per extreme, and texts and names that are not valid Unicode. A Hello is sent as the
     * connection's first frame; anything else follows a valid Hello.
     */
    private static List<String> hostileFrames(NodeAddress me, List<TestNode> ring) throws IOException {
        List<String> frames = new ArrayList<>();
        List<Message> messages = oneOfEachType(me, ring);
        Set<Class<?>> covered = messages.stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> all = Set.copyOf(Arrays.asList(Message.class.getPermittedSubclasses()));
        assertEquals(all, covered, "one message of each type");
        for (Message message : messages) {
            JsonNode original = JSON.readTree(WireFormat.toJson(new Envelope(me, 3, message)));
            for (String path : JsonFields.numericPaths(original)) {
                if (ANY_VALUE.contains(JsonFields.field(path))) {
                    continue;
                }
                for (long extreme : EXTREMES) {
                    JsonNode json = original.deepCopy();
                    JsonFields.set(json, path, extreme);
                    frames.add(json.toString());
                }
            }
        }
        // a lone surrogate, as JSON can spell it, in a chat text and in a name
        frames.add("{\"from\":\"" + me + "\",\"t\":4,\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":1,\"text\":\"bad \\ud800 text\"}}");
        frames.add("{\"from\":\"" + me + "\",\"t\":4,\"msg\":{\"type\":\"Hello\",\"version\":"
                + ProtocolVersion.CURRENT + ",\"name\":\"\\udc00x\"}}");
        frames.add("{\"from\":\"" + me + "\",\"t\":4,\"msg\":{\"type\":\"JoinRequest\",\"name\":\"\\udc00x\",\"joiner\":\""
                + me + "\",\"afterSeq\":-1}}");
        return frames;
    }

    /** One message of each type, about the live ring and mallory, so that only the extreme is wrong with it. */
    private static List<Message> oneOfEachType(NodeAddress me, List<TestNode> ring) {
        Member alice = ring.get(0).view().self();
        Member bob = ring.get(1).view().self();
        Member mallory = new Member("mallory", me, 9);
        View view = new View(1, 5, alice.address(), List.of(alice, bob, mallory), 9);
        Message.ChatDeliver delivery = new Message.ChatDeliver(3, 1, bob, 2, "hello", 7);
        RingIdentity.RingId id = new RingIdentity.RingId(1, alice.address());
        RingIdentity ringAlice = new RingIdentity(id, 1, alice, 5);
        RingIdentity ringMallory = new RingIdentity(id, 2, mallory, 1);
        View merged = new View(3, 1, mallory.address(), List.of(alice, bob, mallory), 10, java.util.Map.of(), List.of(),
                List.of(), id);
        return List.of(
                new Message.Hello(ProtocolVersion.CURRENT, "mallory"),
                new Message.JoinRequest("mallory", me, 2),
                new Message.JoinAccepted(mallory, view, 4, List.of(delivery), List.of(),
                        List.of(new LostMember(bob, Departure.Reason.UNRESPONSIVE, 1_000, 2))),
                new Message.JoinRejected("no"),
                new Message.MembershipUpdate(view, List.of(new Departure(mallory, Departure.Reason.CRASHED))),
                new Message.MembershipChange(1, 4, view.digest(), 1, 5, alice.address(), 9, List.of(mallory),
                        List.of(new Departure(bob, Departure.Reason.CRASHED))),
                new Message.NotMember(view),
                new Message.Leave(),
                new Message.Heartbeat(1, 5),
                new Message.Suspect(bob.address(), false),
                new Message.Probe(bob.address(), 1),
                new Message.ProbeResult(bob.address(), 1, true),
                new Message.Ping(1),
                new Message.Pong(1, 1, 5),
                new Message.Election(mallory.candidate(), 2),
                new Message.Elected(mallory.candidate(), 2),
                new Message.SyncRequest(2, 1),
                new Message.SyncReply(2, 3, List.of(delivery)),
                new Message.ChatSubmit(5, "hello"),
                delivery,
                new Message.ChatAck(1, 3),
                new Message.RoomChange("ops"),
                new Message.LinkCheck(me.port()),
                new Message.LinkCheckAnswer(true),
                new Message.RingProbe(1, ringMallory),
                new Message.RingProbeReply(1, ringMallory),
                new Message.MergeInvite(ringMallory, ringAlice, 1),
                new Message.MergeHandover(ringMallory, ringAlice, 1, merged, 2, delivery, List.of(delivery), true),
                new Message.MergeBack(ringMallory, 1),
                new Message.RingMerged(merged, List.of(mallory), 2, List.of(delivery), List.of(0L), List.of(), true),
                new Message.MergeAck(3));
    }

    /** Sends {@code json} on a fresh connection of mallory's to {@code target}, and waits until the target closes it. */
    private static void assertClosedBy(TestNode target, Stranger mallory, String json) throws IOException {
        boolean isHello = json.contains("\"type\":\"Hello\"");
        try (Socket socket = isHello ? new Socket("127.0.0.1", target.address().port())
                : mallory.connect(target.address(), "mallory")) {
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            try {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                out.writeInt(body.length);
                out.write(body);
                out.flush();
            } catch (SocketException closedAlready) {
                // refused before the frame was written: closed, as it must be
                return;
            }
            try {
                assertEquals(-1, socket.getInputStream().read(), () -> target + " answered " + json);
            } catch (SocketException reset) {
                // closed with a reset: closed all the same
            }
        }
    }
}
