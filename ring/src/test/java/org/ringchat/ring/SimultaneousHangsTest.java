package org.ringchat.ring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringchat.ring.LoopbackCluster.TestNode;

/**
 * The leader and another member hang at the same moment (both SIGSTOPped, say): the survivors
 * must route around both, elect the most senior of themselves and chat again; when the two wake,
 * they rejoin.
 */
class SimultaneousHangsTest {

    private final LoopbackCluster cluster = new LoopbackCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @ParameterizedTest(name = "leader and n{0}")
    @ValueSource(ints = {1, 2, 4})
    @org.junit.jupiter.api.Timeout(180)
    void leaderAndAnotherMemberHangTogether(int other) {
        List<TestNode> nodes = cluster.ring(5);
        TestNode leader = nodes.get(0);
        TestNode second = nodes.get(other);

        // both stop at once: sockets open, nothing answers
        cluster.pause(leader);
        cluster.pause(second);
        List<TestNode> survivors = new ArrayList<>(nodes);
        survivors.remove(leader);
        survivors.remove(second);

        // the survivors form one ring, led by the most senior of them, and chat flows
        cluster.awaitOneRing(survivors);
        TestNode senior = LoopbackCluster.mostSenior(survivors);
        assertEquals(senior.view().self(), survivors.get(0).view().leader(), cluster::describe);
        TestNode last = survivors.get(survivors.size() - 1);
        last.node.send("after two hangs");
        await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> survivors.forEach(n ->
                assertTrue(n.texts().contains("after two hangs"), () -> n + "\n" + cluster.describe())));

        // the sleepers wake, find they were removed, and rejoin; chat reaches all five
        cluster.resume(leader);
        cluster.resume(second);
        cluster.awaitOneRing(nodes);
        leader.node.send("back");
        await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> nodes.forEach(n ->
                assertTrue(n.texts().contains("back"), () -> n + "\n" + cluster.describe())));
        FailureRecoveryTest.assertSameHistory(survivors);
        assertEquals(0, cluster.handlerFailures());
    }
}
