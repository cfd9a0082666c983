package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.TestNode;

/**
 * A leader sends a new view as its change from the view its members hold
 * ({@code Message.MembershipChange}), and whole only to a member that holds another view and asks
 * for it: a new leader's first view in a ring of 300 is then a few hundred bytes to each member,
 * not 16 kB (docs/scaling.md).
 */
class ViewChangeTest {

    private final SimCluster cluster = new SimCluster(5);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aJoinGoesToTheMembersAsAChange() {
        List<TestNode> ring = new ArrayList<>(cluster.ring(3));
        List<String> views = watchViews(ring);

        // n3 joins through n1: the leader tells n1 and n2 (and n3, which has the view already) the
        // change; a heartbeat of the old view, written before the change came, gets the change again
        ring.add(cluster.join("n3", ring.get(1)));
        cluster.awaitOneRing(ring);
        for (String member : List.of("n1", "n2")) {
            assertEquals("MembershipChange n0", viewsTo(member, views).get(0), views::toString);
            assertTrue(viewsTo(member, views).stream().allMatch(v -> v.equals("MembershipChange n0")), views::toString);
        }
    }

    @Test
    void aNewLeadersFirstViewGoesAsAChange() {
        List<TestNode> ring = cluster.ring(5);
        List<String> views = watchViews(ring);

        // the leader crashes: the winner, n1, tells every survivor its first view as a change
        cluster.crash(ring.get(0));
        List<TestNode> survivors = ring.subList(1, ring.size());
        cluster.awaitOneRing(survivors);
        for (String member : List.of("n2", "n3", "n4")) {
            // (as after a join, a heartbeat of the old view that crossed it gets the change again)
            assertTrue(viewsTo(member, views).stream().allMatch(v -> v.equals("MembershipChange n1")), views::toString);
        }

        // and chat goes on
        cluster.send(ring.get(4), "after the crash");
        cluster.awaitUntil(() -> survivors.forEach(n -> assertTrue(n.texts().contains("after the crash"), n::toString)));
    }

    @Test
    void aMemberThatMissedAViewAsksForTheWholeNewOneAtOnce() {
        // heartbeats every 500 ms: a member that waited for its next one to get the view would wait that long
        List<TestNode> ring = new ArrayList<>();
        ring.add(cluster.start(slowHeartbeats("n0").build()));
        for (int i = 1; i < 4; i++) {
            ring.add(cluster.start(slowHeartbeats("n" + i).joinVia(ring.get(i - 1).address()).build()));
        }
        cluster.awaitOneRing(ring);
        TestNode n2 = ring.get(2);
        TestNode n3 = ring.get(3);

        // n3 misses a view: the leader's frames to it wait, and n2 moves to a room meanwhile
        cluster.cut(ring.get(0), n3);
        n2.node.joinRoom("ops");
        cluster.awaitUntil(() -> ring.subList(0, 3).forEach(n -> assertEquals("ops", n.view().room(n2.address()), n::toString)));
        assertEquals("general", n3.view().room(n2.address()));

        // the leader crashes before n3 hears of it: the winner's first view is a change from a
        // view n3 does not hold, so n3 asks for the whole one with a heartbeat of its own at once
        List<String> views = watchViews(ring);
        cluster.crash(ring.get(0));
        List<TestNode> survivors = ring.subList(1, ring.size());
        cluster.awaitOneRing(survivors);
        assertEquals("MembershipChange n1", viewsTo("n2", views).get(0), views::toString);
        assertEquals(List.of("MembershipChange n1", "MembershipUpdate n1"), viewsTo("n3", views).subList(0, 2),
                views::toString);
        long waited = writtenAt("MembershipUpdate n1 > n3", views) - writtenAt("MembershipChange n1 > n3", views);
        assertTrue(waited < 100, views::toString);
        assertEquals("ops", n3.view().room(n2.address()));

        // and chat goes on, n3's line too
        cluster.send(n3, "after the crash");
        cluster.awaitUntil(() -> survivors.forEach(n -> assertTrue(n.texts().contains("after the crash"), n::toString)));
    }

    private static RingConfig.Builder slowHeartbeats(String name) {
        return Cluster.config(name).heartbeatMs(500).suspectMs(2500).electionTimeoutMs(5000);
    }

    /** Every view written from now on, as "type from > to @ms". */
    private List<String> watchViews(List<TestNode> ring) {
        List<String> views = new ArrayList<>();
        cluster.watchWrites((e, to) -> {
            if (e.message() instanceof Message.MembershipChange || e.message() instanceof Message.MembershipUpdate) {
                views.add(e.type() + " " + name(ring, e.from()) + " > " + name(ring, to) + " @" + cluster.nowMs());
            }
        });
        return views;
    }

    /** The views written to {@code member}, in order, as "type from". */
    private static List<String> viewsTo(String member, List<String> views) {
        return views.stream().filter(v -> v.contains(" > " + member + " @")).map(v -> v.substring(0, v.indexOf(" > ")))
                .toList();
    }

    /** When the first view written as "type from > to" was written, in virtual ms. */
    private static long writtenAt(String view, List<String> views) {
        String first = views.stream().filter(v -> v.startsWith(view + " @")).findFirst().orElseThrow();
        return Long.parseLong(first.substring(first.indexOf(" @") + 2));
    }

    private static String name(List<TestNode> ring, NodeAddress address) {
        return ring.stream().filter(n -> n.address().equals(address)).map(n -> n.name).findFirst()
                .orElse(address.toString());
    }
}
