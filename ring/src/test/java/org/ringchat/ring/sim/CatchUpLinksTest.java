package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.Message;
import org.ringchat.ring.TestNode;

/**
 * After a leader crash, the most senior survivor's candidacy leaves on its link to its new
 * previous before the survivor opens the catch-up's links to the other members: that link is new,
 * and its check, which the survivor answers, would otherwise wait behind the checks of all the
 * others (docs/scaling.md, where the time goes). The catch-up's links are opened all the same, and
 * the survivor leads every member.
 */
class CatchUpLinksTest {

    private final SimCluster cluster = new SimCluster(3);

    @Test
    void theWinnersCandidacyLeavesBeforeItOpensTheCatchUpsLinks() {
        List<TestNode> ring = cluster.ring(6);
        TestNode leader = ring.get(0);
        TestNode winner = ring.get(1);
        List<TestNode> survivors = ring.subList(1, ring.size());
        // from the crash on: every new link of the winner's (each begins with a Hello), and every
        // member passing the winner's candidacy on
        List<String> seen = new ArrayList<>();
        cluster.watchWrites(e -> {
            if (e.from().equals(winner.address()) && e.message() instanceof Message.Hello) {
                seen.add("winner's link");
            } else if (!e.from().equals(winner.address()) && e.message() instanceof Message.Election election
                    && election.candidate().address().equals(winner.address())) {
                seen.add("candidacy passed on by " + e.from());
            }
        });

        cluster.crash(leader);
        cluster.awaitUntil(() -> survivors.forEach(n -> assertEquals(winner.name,
                n.view().leader() == null ? null : n.view().leader().name(), n::toString)));

        // until its new previous passed its candidacy on, the winner opened at most the link to it
        int passed = seen.indexOf(seen.stream().filter(x -> x.startsWith("candidacy")).findFirst().orElseThrow());
        assertTrue(Collections.frequency(seen.subList(0, passed), "winner's link") <= 1, seen::toString);
        // then the catch-up's links, to every other member, before it led them: the two it did not
        // hold (it links to its next, and keeps a spare link to its new previous, the leader's)
        assertTrue(Collections.frequency(seen, "winner's link") >= 2, seen::toString);
        // and chat goes on, on the links the catch-up needed
        cluster.send(ring.get(5), "after the crash");
        cluster.awaitUntil(() -> survivors.forEach(n -> assertTrue(n.texts().contains("after the crash"), n::toString)));
    }
}
