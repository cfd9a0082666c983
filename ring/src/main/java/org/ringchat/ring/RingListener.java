package org.ringchat.ring;

import java.util.List;

/**
 * Receives what a node delivers. Called on the node's own thread, in order: implementations
 * must return quickly and never block (hand the work to another thread).
 */
public interface RingListener {

    void onChat(ChatMessage message);

    void onEvent(RingEvent event);

    /**
     * The recent past of {@code room}, oldest first, shown when this node joins the ring or moves
     * to the room, before any live message of it. Those the node had no room for are not there.
     */
    default void onHistory(String room, List<ChatMessage> messages) {
    }

    /** A listener that ignores everything. */
    RingListener NONE = new RingListener() {
        @Override
        public void onChat(ChatMessage message) {
        }

        @Override
        public void onEvent(RingEvent event) {
        }
    };
}
