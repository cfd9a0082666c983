package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.transport.NodeExecutor;
import org.ringchat.ring.transport.Transport;
import org.ringchat.ring.transport.TransportListener;

/** A message type added to the protocol without a handler in the node fails here, not on the wire. */
class NodeDispatchTest {

    @Test
    void everyMessageTypeHasAHandler() {
        RingNode node = RingNode.start(RingConfig.builder("probe").build(), RingListener.NONE, new Unbound(), new Idle());
        Set<Class<?>> permitted = Stream.of(Message.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(permitted, Set.copyOf(node.handledTypes()));
    }

    /** A transport that never binds: the node is built and waits, which is all this test needs. */
    private static final class Unbound implements Transport {
        @Override
        public CompletableFuture<NodeAddress> bind(NodeAddress address, TransportListener listener, Supplier<Envelope> hello) {
            return new CompletableFuture<>();
        }

        @Override
        public void send(NodeAddress peer, Envelope envelope) {
        }

        @Override
        public void sendAll(Collection<NodeAddress> peers, Envelope envelope) {
        }

        @Override
        public void afterFlush(Runnable action) {
        }

        @Override
        public void disconnect(NodeAddress peer) {
        }

        @Override
        public void connect(NodeAddress peer) {
        }

        @Override
        public void dropConnections() {
        }

        @Override
        public CompletableFuture<Void> close() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public long framesWritten() {
            return 0;
        }
    }

    /** A thread that never runs anything. */
    private static final class Idle implements NodeExecutor {
        @Override
        public long nowMs() {
            return 0;
        }

        @Override
        public void execute(Runnable task) {
        }

        @Override
        public Cancellable schedule(long delayMs, Runnable task) {
            return () -> { };
        }

        @Override
        public boolean inNodeThread() {
            return true;
        }
    }
}
