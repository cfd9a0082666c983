package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.protocol.Candidate;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.protocol.View;
import org.ringchat.protocol.WireFormat;

/**
 * A seeded fuzz of message handling against a live, unsecured ring: strangers send thousands of
 * well-formed messages of every type with random contents (random numbers within bounds, random
 * addresses, names and members, some of them the ring's own). Afterwards no step of any node has
 * thrown, the ring is its three members again (strangers may join an unsecured ring, and those
 * nobody can reach are removed), and chat flows.
 */
@Timeout(180)
class MessageFuzzTest {

    private static final long SEED = 1130L;
    private static final int MESSAGES = 3000;

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void randomMessagesFromStrangersLeaveTheRingHealthy() throws IOException {
        List<TestNode> ring = cluster.ring(3);
        List<NodeAddress> addresses = new ArrayList<>();
        ring.forEach(n -> addresses.add(n.address()));
        SplittableRandom r = new SplittableRandom(SEED);
        WireFormat format = new WireFormat(WireFormat.DEFAULT_MAX_FRAME_BYTES);
        List<Stranger> strangers = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                strangers.add(new Stranger());
            }
            int sent = 0;
            while (sent < MESSAGES) {
                TestNode target = ring.get(r.nextInt(ring.size()));
                // a stranger under its own address, which it proves (claiming a member's address
                // is impersonation, closed unheard: see HostilePeerTest)
                Stranger stranger = strangers.get(r.nextInt(strangers.size()));
                NodeAddress me = stranger.address();
                try (Socket socket = stranger.connect(target.address(), "fuzz")) {
                    OutputStream out = socket.getOutputStream();
                    for (int i = 0; i < 50; i++, sent++) {
                        write(out, format, new Envelope(me, 1 + r.nextLong(1_000_000), message(r, addresses)));
                    }
                    out.flush();
                    // what it sent is heard once the node has checked who it is: wait until it hangs up
                    // or answers a ping behind the fuzz
                    write(out, format, new Envelope(me, 1, new Message.Ping(-sent)));
                    long nonce = -sent;
                    cluster.awaitUntil(() -> socket.isClosed() || stranger.received.stream().anyMatch(e ->
                            e.message() instanceof Message.Pong p && p.nonce() == nonce) || hungUp(socket));
                } catch (IOException closedByTheNode) {
                    // the node may hang up on us: that is its right
                }
            }
        } finally {
            strangers.forEach(Stranger::close);
        }
        // the ring is whole, led as before, and chat flows
        cluster.awaitOneRing(ring);
        cluster.send(ring.get(2), "after the fuzz");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("after the fuzz"), n::toString)));
        assertEquals(0, cluster.handlerFailures(), "a step of a node threw");
    }

    /** Whether the node closed the connection (a read sees its end, or fails). */
    private static boolean hungUp(Socket socket) {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void write(OutputStream out, WireFormat format, Envelope envelope) throws IOException {
        ByteBuf frame = format.encode(envelope, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            out.write(bytes);
        } finally {
            frame.release();
        }
    }

    private static Message message(SplittableRandom r, List<NodeAddress> ring) {
        NodeAddress someone = r.nextBoolean() ? ring.get(r.nextInt(ring.size())) : new NodeAddress("127.0.0.1", 1 + r.nextInt(60000));
        Member member = new Member("m" + r.nextInt(5), someone, r.nextLong(10));
        View view = new View(r.nextLong(5), r.nextLong(20), someone, List.of(member), r.nextLong(10, 20));
        long n = r.nextLong(100);
        return switch (r.nextInt(21)) {
            case 0 -> new Message.JoinRequest("j" + r.nextInt(10), someone, r.nextLong(-1, 100));
            case 1 -> new Message.JoinAccepted(member, view, n, List.of());
            case 2 -> new Message.JoinRejected("no");
            case 3 -> new Message.MembershipUpdate(view, List.of(new Departure(member, Departure.Reason.CRASHED)));
            case 4 -> new Message.NotMember(view);
            case 5 -> new Message.Leave();
            case 6 -> new Message.Heartbeat(r.nextLong(5), r.nextLong(20));
            case 7 -> new Message.Suspect(someone, r.nextBoolean());
            case 8 -> new Message.Probe(someone, r.nextLong());
            case 9 -> new Message.ProbeResult(someone, r.nextLong(), r.nextBoolean());
            case 10 -> new Message.Ping(r.nextLong());
            case 11 -> new Message.Pong(r.nextLong(), r.nextLong(5), r.nextLong(20));
            case 12 -> new Message.Election(new Candidate(r.nextLong(10), someone), r.nextLong(5));
            case 13 -> new Message.Elected(new Candidate(r.nextLong(10), someone), r.nextLong(5));
            case 14 -> new Message.SyncRequest(r.nextLong(5), r.nextLong(-1, 100));
            case 15 -> new Message.SyncReply(r.nextLong(5), n, List.of(deliver(r, member)));
            case 16 -> new Message.ChatSubmit(n, "fuzz " + n);
            case 17 -> deliver(r, member);
            case 18 -> new Message.ChatAck(r.nextLong(5), n);
            case 19 -> new Message.MembershipChange(r.nextLong(5), r.nextLong(20), r.nextLong(), r.nextLong(5),
                    r.nextLong(20), someone, r.nextLong(10, 20), List.of(member), List.of());
            default -> new Message.Hello(ProtocolVersion.CURRENT, "again");
        };
    }

    private static Message.ChatDeliver deliver(SplittableRandom r, Member sender) {
        return new Message.ChatDeliver(r.nextLong(1, 100), r.nextLong(5), sender, r.nextLong(1, 100), "fuzzed", r.nextLong(1000));
    }
}
