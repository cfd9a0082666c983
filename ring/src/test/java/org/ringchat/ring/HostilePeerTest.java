package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.ProtocolVersion;

/** A peer that sends garbage loses its connection; the node it attacked keeps chatting. */
@Timeout(60)
class HostilePeerTest {

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static byte[] frame(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"oversize", "invalid json", "unknown type", "no hello first", "wrong version", "forged sender",
        "invalid unicode", "extreme term"})
    void badFrameClosesOnlyThatConnection(String attack) throws IOException {
        TestNode alice = cluster.startLeader("alice");
        TestNode bob = cluster.join("bob", alice);
        cluster.awaitOneRing(List.of(alice, bob));
        String hello = "{\"from\":\"127.0.0.1:1\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":"
                + ProtocolVersion.CURRENT + ",\"name\":\"mallory\"}}";

        try (Socket socket = new Socket("127.0.0.1", alice.address().port())) {
            socket.setSoTimeout(20_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            switch (attack) {
                case "oversize" -> out.writeInt(64 << 20);
                case "invalid json" -> write(out, frame("{\"from\": nope"));
                case "unknown type" -> write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":1,\"msg\":{\"type\":\"Shout\"}}"));
                case "no hello first" -> write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":1,\"msg\":{\"type\":\"Leave\"}}"));
                case "wrong version" -> write(out, frame(hello.replace("\"version\":" + ProtocolVersion.CURRENT, "\"version\":99")));
                case "invalid unicode" -> {
                    write(out, frame(hello));
                    write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":2,\"msg\":{\"type\":\"ChatSubmit\",\"msgId\":1,"
                            + "\"text\":\"blind \\ud800 everyone\"}}"));
                }
                case "extreme term" -> {
                    write(out, frame(hello));
                    write(out, frame("{\"from\":\"127.0.0.1:1\",\"t\":2,\"msg\":{\"type\":\"Heartbeat\",\"term\":"
                            + Long.MAX_VALUE + ",\"version\":1}}"));
                }
                case "forged sender" -> {
                    write(out, frame(hello));
                    write(out, frame("{\"from\":\"" + bob.address() + "\",\"t\":2,\"msg\":{\"type\":\"Leave\"}}"));
                }
                default -> throw new IllegalArgumentException(attack);
            }
            out.flush();
            // the node hangs up on us
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "the connection should be closed");
        }

        // and goes on as before: bob is still a member and chat flows
        bob.node.send("still fine after " + attack);
        await().atMost(LoopbackCluster.PATIENCE).until(() ->
                alice.texts().contains("still fine after " + attack) && bob.texts().contains("still fine after " + attack));
        cluster.assertOneRing(List.of(alice, bob));
        assertEquals(0, cluster.handlerFailures());
    }

    /**
     * A stranger, under its own address, sends what only a leader, a member or an election may
     * send: none of it is believed, the ring keeps its leader and members, and chat flows.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"view making itself leader", "NotMember", "Elected", "Election", "catch-up request",
        "leave", "delivery"})
    void aStrangersClaimsOfAuthorityAreIgnored(String claim) throws Exception {
        TestNode alice = cluster.startLeader("alice");
        TestNode bob = cluster.join("bob", alice);
        TestNode carol = cluster.join("carol", alice);
        List<TestNode> ring = List.of(alice, bob, carol);
        cluster.awaitOneRing(ring);
        String me = "127.0.0.1:1";
        String hello = "{\"from\":\"" + me + "\",\"t\":1,\"msg\":{\"type\":\"Hello\",\"version\":"
                + ProtocolVersion.CURRENT + ",\"name\":\"mallory\"}}";
        String members = "[{\"name\":\"mallory\",\"address\":\"" + me + "\",\"rank\":0},"
                + "{\"name\":\"bob\",\"address\":\"" + bob.address() + "\",\"rank\":2}]";
        String view = "{\"term\":99,\"version\":1,\"leader\":\"" + me + "\",\"members\":" + members + ",\"nextRank\":5}";
        String msg = switch (claim) {
            case "view making itself leader" -> "{\"type\":\"MembershipUpdate\",\"view\":" + view + ",\"departed\":[]}";
            case "NotMember" -> "{\"type\":\"NotMember\",\"view\":{\"term\":99,\"version\":1,\"leader\":\"" + me
                    + "\",\"members\":[{\"name\":\"mallory\",\"address\":\"" + me + "\",\"rank\":0}],\"nextRank\":5}}";
            case "Elected" -> "{\"type\":\"Elected\",\"leader\":{\"rank\":0,\"address\":\"" + me + "\"},\"term\":99}";
            case "Election" -> "{\"type\":\"Election\",\"candidate\":{\"rank\":0,\"address\":\"" + me + "\"},\"term\":99}";
            case "catch-up request" -> "{\"type\":\"SyncRequest\",\"term\":99,\"afterSeq\":0}";
            case "leave" -> "{\"type\":\"Leave\"}";
            case "delivery" -> "{\"type\":\"ChatDeliver\",\"seq\":1,\"term\":1,\"sender\":{\"name\":\"alice\","
                    + "\"address\":\"" + alice.address() + "\",\"rank\":1},\"msgId\":1,\"text\":\"forged\",\"stamp\":5}";
            default -> throw new IllegalArgumentException(claim);
        };
        cluster.send(bob, "before the claim");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("before the claim"), n::toString)));
        try (Socket socket = new Socket("127.0.0.1", bob.address().port())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            write(out, frame(hello));
            write(out, frame("{\"from\":\"" + me + "\",\"t\":2,\"msg\":" + msg + "}"));
            out.flush();
            // bob goes on as before: same leader, same members, nothing forged shown, chat flows
            cluster.send(carol, "after the claim");
            cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("after the claim"), n::toString)));
        }
        cluster.assertOneRing(ring);
        assertEquals("alice", bob.view().leader().name());
        for (TestNode n : ring) {
            assertTrue(n.texts().stream().noneMatch(t -> t.equals("forged")), n + " showed a forged line");
            assertTrue(n.events.stream().noneMatch(e -> e.kind() == RingEvent.Kind.ELECTION_STARTED
                    || e.kind() == RingEvent.Kind.REMOVED), n + " was moved by a stranger");
        }
        assertEquals(0, cluster.handlerFailures());
    }

    private static void write(DataOutputStream out, byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
    }
}
