package org.ringchat.ring.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A link whose TCP stream is stuck in retransmission back-off is replaced as soon as its peer is
 * heard on a connection of its own, or a trial connect to it gets through. Loopback never loses a packet, so the stall is faked; that the
 * kernel's numbers say "stalled" only in back-off is {@link #theRuleWantsUnackedDataNoAckAndALongRetransmissionTimeout}.
 */
@Timeout(60)
class StalledLinkTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final EventLoopGroup groupA = new MultiThreadIoEventLoopGroup(1, NettyTransport.ioHandlerFactory());
    private final EventLoopGroup groupB = new MultiThreadIoEventLoopGroup(1, NettyTransport.ioHandlerFactory());
    private final AtomicBoolean stalled = new AtomicBoolean();
    private TransportSide a;
    private TransportSide b;

    /** a, whose links stall when {@link #stalled} says so, and b; trial connects every {@code trialEveryMs}, or never. */
    private void start(int trialEveryMs) {
        a = new TransportSide("a", groupA, ch -> stalled.get() ? "faked" : null, trialEveryMs);
        b = new TransportSide("b", groupB, ch -> null, trialEveryMs);
    }

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.transport.close().join();
            b.transport.close().join();
        }
        groupA.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        groupB.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void aStalledLinkIsReplacedWhenItsPeerIsHeard() {
        start(0);
        // a's link to b carries a frame
        a.send(b, 1);
        await().atMost(PATIENCE).until(() -> b.heard(a, 1));
        // a's link to b stalls; b speaks on its own connection: a drops the stalled link, and hears of it after b's frame
        stalled.set(true);
        b.send(a, 2);
        await().atMost(PATIENCE).until(() -> a.events.contains("down " + b.address + " CLOSED"));
        assertTrue(a.events.indexOf("ping 2 from " + b.address) < a.events.indexOf("down " + b.address + " CLOSED"),
                () -> "a heard of the link's loss before b's frame: " + a.events);
        // b sees a's old connection reset, and a's next frame comes on a fresh one
        stalled.set(false);
        a.send(b, 3);
        await().atMost(PATIENCE).until(() -> b.heard(a, 3));
        await().atMost(PATIENCE).until(() -> b.events.contains("down " + a.address + " CLOSED"));
    }

    @Test
    void aStalledLinkIsReplacedWhenATrialConnectGetsThroughAndWhatWaitedGoesOnInOrder() {
        assumeTrue(Epoll.isAvailable(), "trial connects need Netty's epoll transport");
        start(StalledLink.TRIAL_EVERY_MS);
        a.send(b, 1);
        await().atMost(PATIENCE).until(() -> b.heard(a, 1));
        // the link stalls and b says nothing: every 250 ms the link to b is held, and replaced as its
        // trial connect gets through (the fake says every fresh one is stalled too); frames sent
        // meanwhile wait, and go from one link to the next
        stalled.set(true);
        await().atMost(PATIENCE).until(() -> a.events.contains("down " + b.address + " CLOSED"));
        for (long nonce = 2; nonce <= 20; nonce++) {
            a.send(b, nonce);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(StalledLink.TRIAL_EVERY_MS / 5));
        }
        stalled.set(false);
        await().atMost(PATIENCE).until(() -> b.heard(a, 20));
        for (long nonce = 2; nonce < 20; nonce++) {
            long n = nonce;
            assertTrue(b.heard(a, n) && b.events.indexOf("ping " + n + " from " + a.address)
                    < b.events.indexOf("ping " + (n + 1) + " from " + a.address), () -> "ping " + n + ": " + b.events);
        }
    }

    @Test
    void aLinkThatFlowsIsKept() {
        start(StalledLink.TRIAL_EVERY_MS);
        a.send(b, 1);
        await().atMost(PATIENCE).until(() -> b.heard(a, 1));
        b.send(a, 2);
        await().atMost(PATIENCE).until(() -> a.heard(b, 2));
        // sent after a heard b: a loss of the link would have been told before it
        a.send(b, 3);
        await().atMost(PATIENCE).until(() -> b.heard(a, 3));
        assertFalse(a.events.stream().anyMatch(e -> e.startsWith("down")), () -> a.events.toString());
    }

    @Test
    void theRuleWantsUnackedDataNoAckAndALongRetransmissionTimeout() {
        int s = StalledLink.STALLED_MS;
        assertTrue(StalledLink.stalled(1, s, s)); // across a cut
        assertFalse(StalledLink.stalled(0, s * 10L, s)); // all acknowledged: an idle link
        assertFalse(StalledLink.stalled(3, s - 1, s * 4L)); // acknowledged lately: the stream moves
        assertFalse(StalledLink.stalled(3, s * 10L, 400)); // a lost segment on a link idle before: resent soon
    }

    @Test
    void aRefusedConnectUnderEpollIsARefusal() {
        // NIO's message, and epoll's, which names the error code first
        assertEquals(LinkLoss.REFUSED, NettyTransport.lossOf(new ConnectException("Connection refused: /10.0.0.1:5000"),
                "error(-111)"));
        assertEquals(LinkLoss.REFUSED, NettyTransport.lossOf(new ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused: /10.0.0.1:5000"), "error(-111)"));
        assertEquals(LinkLoss.UNREACHABLE, NettyTransport.lossOf(new ConnectException(
                "finishConnect(..) failed with error(-113): No route to host: /10.0.0.1:5000"), "error(-111)"));
        assertEquals(LinkLoss.UNREACHABLE, NettyTransport.lossOf(new ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused"), null));
    }
}
