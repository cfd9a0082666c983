package org.ringchat.ring.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message.Hello;
import org.ringchat.protocol.Message.Ping;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.protocol.WireFormat;

/** One transport on a loop of its own, and what its listener heard, as words (the transport tests' peer). */
final class TransportSide implements TransportListener {
    final NettyTransport transport;
    final NodeAddress address;
    final List<String> events = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group;

    TransportSide(String name, EventLoopGroup group, Function<Channel, String> stallOf, int trialEveryMs) {
        this.group = group;
        this.transport = new NettyTransport(group.next(), new WireFormat(1 << 20), 1000, TransportLimits.DEFAULTS,
                null, null, name, stallOf, trialEveryMs);
        AtomicReference<NodeAddress> self = new AtomicReference<>();
        self.set(transport.bind(new NodeAddress("127.0.0.1", 0), this,
                () -> new Envelope(self.get(), 0, new Hello(ProtocolVersion.CURRENT, name))).join());
        this.address = self.get();
    }

    /** On the transport's own loop, as the node does. */
    void run(Runnable action) {
        group.execute(action);
    }

    void send(TransportSide to, long nonce) {
        group.execute(() -> transport.send(to.address, new Envelope(address, 0, new Ping(nonce))));
    }

    boolean heard(TransportSide from, long nonce) {
        return events.contains("ping " + nonce + " from " + from.address);
    }

    @Override
    public void onEnvelope(Envelope envelope) {
        if (envelope.message() instanceof Ping ping) {
            events.add("ping " + ping.nonce() + " from " + envelope.from());
        }
    }

    @Override
    public void onLinkDown(NodeAddress peer, LinkLoss loss) {
        events.add("down " + peer + " " + loss);
    }
}
