package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node's Lamport clock starts where its config says, so a record kept across runs never goes back. */
@Timeout(60)
class InitialLamportTest {

    @Test
    void theClockStartsAtTheConfiguredTime() throws Exception {
        List<RingEvent> events = new CopyOnWriteArrayList<>();
        RingNode node = RingNode.start(RingConfig.builder("alice").address("127.0.0.1", 0).initialLamport(1000).build(),
                new RingListener() {
                    @Override
                    public void onChat(ChatMessage message) {
                    }

                    @Override
                    public void onEvent(RingEvent event) {
                        events.add(event);
                    }
                });
        try {
            node.joined().get(30, TimeUnit.SECONDS);
            // the first event ticks once past the start
            assertEquals(1001, events.get(0).lamport(), events::toString);
        } finally {
            node.close();
        }
    }

    @Test
    void aNegativeStartIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RingConfig.builder("a").initialLamport(-1).build());
        assertEquals(0, RingConfig.builder("a").build().initialLamport());
    }
}
