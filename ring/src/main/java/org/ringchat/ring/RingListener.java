package org.ringchat.ring;

/**
 * Receives what a node delivers. Called on the node's own thread, in order: implementations
 * must return quickly and never block (hand the work to another thread).
 */
public interface RingListener {

    void onChat(ChatMessage message);

    void onEvent(RingEvent event);

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
