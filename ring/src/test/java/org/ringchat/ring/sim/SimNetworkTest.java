package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.ring.transport.LinkLoss;
import org.ringchat.ring.transport.TransportListener;

/** The simulated network keeps the TCP semantics the node relies on (see NettyTransport). */
class SimNetworkTest {

    private final SimScheduler scheduler = new SimScheduler();
    private final Trace trace = new Trace(false, scheduler);
    private final SimNetwork network = new SimNetwork(scheduler, new SplittableRandom(7), trace);
    private final Host a = new Host(0);
    private final Host b = new Host(1);

    /** One end: a transport and what its listener heard. */
    private final class Host implements TransportListener {
        final NodeAddress address;
        final SimExecutor executor;
        final SimTransport transport;
        final List<String> heard = new ArrayList<>();

        Host(int index) {
            address = Simulation.addressOf(index);
            executor = new SimExecutor(index, "h" + index, scheduler);
            transport = new SimTransport(network, executor, trace, address, 1000);
            transport.bind(address, this, () -> new Envelope(address, 1, new Message.Hello(ProtocolVersion.CURRENT, "h")));
        }

        void send(Host to, long n) {
            executor.execute(() -> transport.send(to.address, new Envelope(address, 1, new Message.Ping(n))));
        }

        @Override
        public void onEnvelope(Envelope e) {
            heard.add(e.message() instanceof Message.Ping p ? "ping " + p.nonce() : e.type());
        }

        @Override
        public void onLinkDown(NodeAddress peer, LinkLoss loss) {
            heard.add("down " + (peer.equals(a.address) ? "a" : "b") + (loss == LinkLoss.CLOSED ? "" : " connect failed"));
        }
    }

    private void runMs(long ms) {
        scheduler.runUntil(scheduler.nowUs() + ms * 1000, () -> false);
    }

    private static List<String> pings(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("ping " + i);
        }
        return out;
    }

    @Test
    void framesOnOneConnectionArriveInOrderAfterTheHello() {
        for (int i = 0; i < 200; i++) {
            a.send(b, i);
            runMs(i % 3); // sends spread over time and jitter on every frame
        }
        runMs(100);
        List<String> expected = new ArrayList<>(List.of("Hello"));
        expected.addAll(pings(0, 200));
        assertEquals(expected, b.heard);
    }

    @Test
    void aCutHoldsFramesUntilTheHealThenDeliversThemInOrder() {
        a.send(b, 0);
        runMs(50);
        network.cut(a.address, b.address);
        for (int i = 1; i <= 5; i++) {
            a.send(b, i);
        }
        runMs(3000);
        assertEquals(List.of("Hello", "ping 0"), b.heard, "nothing crosses a cut");
        network.heal(a.address, b.address);
        runMs(50);
        assertEquals(List.of("Hello", "ping 0", "ping 1", "ping 2", "ping 3", "ping 4", "ping 5"), b.heard);
        assertTrue(a.heard.isEmpty(), "a cut alone never closes a connection");
    }

    @Test
    void aConnectAcrossACutTimesOutAndOneToNobodyIsRefused() {
        network.cut(b.address, a.address); // the handshake needs both directions
        a.send(b, 1);
        runMs(990);
        assertTrue(a.heard.isEmpty());
        runMs(20);
        assertEquals(List.of("down b connect failed"), a.heard);
        network.crash(b.address);
        network.heal(b.address, a.address);
        a.send(b, 2);
        runMs(20);
        assertEquals(List.of("down b connect failed", "down b connect failed"), a.heard);
    }

    @Test
    void aCrashClosesConnectionsAndWhatWasFlushedStillArrives() {
        b.send(a, 1);
        runMs(50);
        b.send(a, 2);
        scheduler.runUntil(scheduler.nowUs() + 1, () -> false); // flushed, still on the wire
        network.crash(b.address);
        b.executor.crash();
        runMs(50);
        assertEquals(List.of("Hello", "ping 1", "ping 2", "down b"), a.heard);
    }

    @Test
    void aDroppedFrameResetsItsConnectionAndBothEndsAreTold() {
        a.send(b, 1);
        runMs(50);
        network.messageFaults().drop("Ping", 1.0);
        a.send(b, 2);
        runMs(50);
        assertEquals(List.of("Hello", "ping 1", "down a"), b.heard);
        assertEquals(List.of("down b"), a.heard);
    }

    @Test
    void aPausedNodeReadsWhatWaitedForItInOrderWhenItResumes() {
        a.send(b, 1);
        runMs(50);
        b.executor.pause();
        for (int i = 2; i <= 4; i++) {
            a.send(b, i);
        }
        runMs(2000);
        assertEquals(List.of("Hello", "ping 1"), b.heard);
        b.executor.resume();
        runMs(1);
        assertEquals(List.of("Hello", "ping 1", "ping 2", "ping 3", "ping 4"), b.heard);
    }

    @Test
    void onALanAFanOutQueuesOnTheSendersLinkBehindEverythingItSentBefore() {
        Host c = new Host(2);
        a.send(b, 0); // connected, with latency only
        a.send(c, 0);
        runMs(50);
        Lan lan = new Lan(100, 100, 1_000_000_000L, true);
        network.lan(lan);
        long sentUs = scheduler.nowUs();
        Envelope ping = new Envelope(a.address, 1, new Message.Ping(7));
        long wireNs = lan.serializationNs(Lan.wireBytes(Lan.frameBytes(ping)));
        List<Long> arrivals = new ArrayList<>();
        int before = c.heard.size();
        a.executor.execute(() -> {
            for (int i = 0; i < 100; i++) {
                a.transport.send(b.address, ping);
            }
            a.transport.send(c.address, ping);
        });
        while (c.heard.size() == before) {
            scheduler.runUntil(scheduler.nowUs() + 1, () -> false);
        }
        arrivals.add(scheduler.nowUs() - sentUs);
        // c's frame left after b's hundred: 101 frames on a's link, the latency, then c's own link
        long expectedUs = (101 * wireNs + 100_000 + wireNs + 999) / 1000;
        assertEquals(List.of(expectedUs), arrivals);
        assertEquals(101 * Lan.wireBytes(Lan.frameBytes(ping)), network.link(a.address).bytesOut);
        assertEquals(102, b.heard.size(), "Hello, ping 0, then the hundred, all before c's");
    }
}
