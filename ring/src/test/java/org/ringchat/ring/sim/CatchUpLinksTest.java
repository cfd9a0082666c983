package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.TestNode;

/**
 * After a leader crash, the links the failover travels on are open already: the deputy (the most
 * senior member but the leader, who wins) and every member keep spare links to each other
 * ({@code Membership.spares}), so the winner's candidacy, its catch-up and its first view, and the
 * members' answers, open no connection to or from the winner while the ring has no leader
 * (docs/scaling.md, where the time goes). A suspicion's time after the new view, the new deputy and the
 * members open theirs, and the next failover needs no new link to its winner either.
 */
class CatchUpLinksTest {

    private final SimCluster cluster = new SimCluster(3);

    @Test
    void aFailoverTravelsOnSpareLinksOpenedBeforeIt() {
        List<TestNode> ring = cluster.ring(6);
        // every new link begins with a Hello, a spare's marked as one: "n2 > n4 spare"
        List<String> links = new ArrayList<>();
        cluster.watchWrites((e, to) -> {
            if (e.message() instanceof Message.Hello h) {
                links.add(name(ring, e.from()) + " > " + name(ring, to) + (h.standby() ? " spare" : ""));
            }
        });

        // a line goes round the ring as it formed: its links are open (n5's spare to n1 among them)
        cluster.send(ring.get(5), "before the crashes");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("before the crashes"), n::toString)));

        // the leader crashes: until the deputy, n1, leads every survivor, no link to or from it opens
        links.clear();
        failOver(ring, 0);
        assertEquals(List.of(), linksOf("n1", links), links::toString);

        // suspectMs later the new deputy, n2, keeps spares to the members it has no link to (n4
        // and n5; n3 is its next) and they to it (n3's previous is n2)
        cluster.awaitUntil(() -> assertTrue(links.containsAll(List.of("n2 > n4 spare", "n2 > n5 spare",
                "n4 > n2 spare", "n5 > n2 spare")), links::toString));

        // so the next leader crash opens no link to or from n2 either
        links.clear();
        failOver(ring, 1);
        assertEquals(List.of(), linksOf("n2", links), links::toString);

        // and chat goes on
        List<TestNode> survivors = ring.subList(2, ring.size());
        cluster.send(ring.get(5), "after the crashes");
        cluster.awaitUntil(() -> survivors.forEach(n -> assertTrue(n.texts().contains("after the crashes"), n::toString)));
    }

    /** Crashes {@code ring.get(leader)} and waits until every survivor is led by the next. */
    private void failOver(List<TestNode> ring, int leader) {
        TestNode winner = ring.get(leader + 1);
        List<TestNode> survivors = ring.subList(leader + 1, ring.size());
        cluster.crash(ring.get(leader));
        cluster.awaitUntil(() -> survivors.forEach(n -> assertEquals(winner.name,
                n.view().leader() == null ? null : n.view().leader().name(), n::toString)));
    }

    private static List<String> linksOf(String node, List<String> links) {
        return links.stream().filter(l -> l.startsWith(node + " ") || l.contains("> " + node + " ")
                || l.endsWith("> " + node)).toList();
    }

    private static String name(List<TestNode> ring, NodeAddress address) {
        return ring.stream().filter(n -> n.address().equals(address)).map(n -> n.name).findFirst()
                .orElse(address.toString());
    }
}
