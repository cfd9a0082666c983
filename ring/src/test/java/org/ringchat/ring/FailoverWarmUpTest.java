package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The failover rehearsal a node runs as it starts gets through both of its failovers: if a change
 * to the node stopped it short, the code after that point would no longer be warmed, and only the
 * failover benchmarks would show it.
 */
class FailoverWarmUpTest {

    @Test
    void rehearsalElectsTwiceAndCarriesALineEachTime() {
        assertTrue(new FailoverWarmUp().rehearse());
    }
}
