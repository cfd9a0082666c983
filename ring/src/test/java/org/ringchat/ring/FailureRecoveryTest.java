package org.ringchat.ring;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.ringchat.ring.sim.SimCluster;

/** The {@link FailureRecoveryScenarios} over real sockets and over the simulator, from one definition. */
@Timeout(180)
class FailureRecoveryTest {

    @Nested
    class OverNetty extends FailureRecoveryScenarios {
        @Override
        protected Cluster newCluster() {
            return new LoopbackCluster();
        }
    }

    @Nested
    class Simulated extends FailureRecoveryScenarios {
        @Override
        protected Cluster newCluster() {
            return new SimCluster(202);
        }
    }
}
