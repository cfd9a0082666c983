package org.ringchat.ring;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.ringchat.ring.sim.SimCluster;

/** The name clash scenarios over real sockets and over the simulator, from one definition. */
@Timeout(180)
class NameClashTest {

    @Nested
    class OverNetty extends NameClashScenarios {
        @Override
        protected Cluster newCluster() {
            return new LoopbackCluster();
        }
    }

    @Nested
    class Simulated extends NameClashScenarios {
        @Override
        protected Cluster newCluster() {
            return new SimCluster(8);
        }
    }
}
