package org.ringchat.ring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Scenarios written once against a {@link Cluster}; a subclass per transport says which one
 * ({@link LoopbackCluster} or the simulator's). Every test gets a fresh cluster, always closed.
 */
abstract class ClusterScenarios {

    protected Cluster cluster;

    protected abstract Cluster newCluster();

    @BeforeEach
    void startCluster() {
        cluster = newCluster();
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }
}
