package org.ringchat.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ringchat.protocol.NodeAddress;

/** A node under test, on whichever {@link Cluster} started it, and everything it delivered. */
public final class TestNode {

    public final String name;
    public final RingNode node;
    public final Recording<ChatMessage> chats = new Recording<>();
    public final Recording<RingEvent> events = new Recording<>();
    public final Recording<History> histories = new Recording<>();

    /** The past of a room, as the node showed it on joining the ring or the room. */
    public record History(String room, List<ChatMessage> messages) {
    }

    /** @param start starts the real node with the listener that records into this TestNode */
    public TestNode(String name, Function<RingListener, RingNode> start) {
        this.name = name;
        this.node = start.apply(new RingListener() {
            @Override
            public void onChat(ChatMessage message) {
                chats.add(message);
            }

            @Override
            public void onEvent(RingEvent event) {
                events.add(event);
            }

            @Override
            public void onHistory(String room, List<ChatMessage> messages) {
                histories.add(new History(room, messages));
            }
        });
    }

    public NodeAddress address() {
        return node.address();
    }

    public RingView view() {
        return node.view();
    }

    public List<String> texts() {
        return chats.stream().map(ChatMessage::text).toList();
    }

    public List<String> lines() {
        return chats.stream().map(m -> m.seq() + " " + m.line()).toList();
    }

    public boolean saw(RingEvent.Kind kind, String fragment) {
        return events.stream().anyMatch(e -> e.kind() == kind && e.text().contains(fragment));
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * What a node delivered, appended on the node's thread. Cheap to append (a node may deliver
     * tens of thousands of messages), read through copies.
     */
    public static final class Recording<T> {
        private final List<T> items = new ArrayList<>();

        synchronized void add(T item) {
            items.add(item);
        }

        public synchronized int size() {
            return items.size();
        }

        public synchronized T get(int index) {
            return items.get(index);
        }

        public synchronized List<T> snapshot() {
            return List.copyOf(items);
        }

        public java.util.stream.Stream<T> stream() {
            return snapshot().stream();
        }
    }
}
