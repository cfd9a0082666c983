package org.ringchat.ring;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.ringchat.ring.sim.SimCluster;

/** The ring formation scenarios over real sockets and over the simulator, from one definition. */
@Timeout(120)
class RingFormationTest {

    @Nested
    class OverNetty extends RingFormationScenarios {
        @Override
        protected Cluster newCluster() {
            return new LoopbackCluster();
        }
    }

    @Nested
    class Simulated extends RingFormationScenarios {
        @Override
        protected Cluster newCluster() {
            return new SimCluster(101);
        }
    }
}
