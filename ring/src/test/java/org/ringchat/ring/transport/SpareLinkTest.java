package org.ringchat.ring.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A spare link ({@link Transport#standby}) is invisible to both nodes until something is sent on
 * it: its loss is told to neither end. Once used it is an ordinary link, whose loss both hear.
 */
@Timeout(60)
class SpareLinkTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final EventLoopGroup groupA = new MultiThreadIoEventLoopGroup(1, NettyTransport.ioHandlerFactory());
    private final EventLoopGroup groupB = new MultiThreadIoEventLoopGroup(1, NettyTransport.ioHandlerFactory());
    private final TransportSide a = new TransportSide("a", groupA, ch -> null, 0);
    private final TransportSide b = new TransportSide("b", groupB, ch -> null, 0);

    @AfterEach
    void tearDown() {
        a.transport.close().join();
        b.transport.close().join();
        groupA.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        groupB.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void aSpareNeverUsedComesAndGoesUntold() {
        // a keeps a spare link to b, then gives it up; its next frame to b opens an ordinary link,
        // which b proves (a check connection back) only after it read the spare's close
        a.run(() -> a.transport.standby(List.of(b.address)));
        a.run(() -> a.transport.standby(List.of()));
        a.send(b, 1);
        await().atMost(PATIENCE).until(() -> b.heard(a, 1));
        // a round trip on b's own link: whatever b's loop read before, it handled
        b.send(a, 2);
        await().atMost(PATIENCE).until(() -> a.heard(b, 2));
        assertFalse(a.events.stream().anyMatch(e -> e.startsWith("down")), () -> "a: " + a.events);
        assertFalse(b.events.stream().anyMatch(e -> e.startsWith("down")), () -> "b: " + b.events);
    }

    @Test
    void aSpareUsedIsAnOrdinaryLink() {
        // the first frame on the spare makes it ordinary: b hears it, and both hear of its loss
        a.run(() -> a.transport.standby(List.of(b.address)));
        a.send(b, 1);
        await().atMost(PATIENCE).until(() -> b.heard(a, 1));
        a.run(() -> a.transport.dropConnections());
        await().atMost(PATIENCE).until(() -> b.events.contains("down " + a.address + " CLOSED"));
        await().atMost(PATIENCE).until(() -> a.events.contains("down " + b.address + " CLOSED"));
        assertTrue(b.events.indexOf("ping 1 from " + a.address) < b.events.indexOf("down " + a.address + " CLOSED"),
                () -> "b: " + b.events);
    }
}
