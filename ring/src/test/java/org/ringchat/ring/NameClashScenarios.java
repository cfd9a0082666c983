package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Joiners that want clashing names (the same in another case, or look-alikes) ask at the same
 * instant through different members: the leader decides, so exactly one of them gets in, the
 * others hear that the name is taken (or looks like the winner's), and the ring stays one ring.
 * Run over each transport by {@link NameClashTest}.
 */
@Timeout(180)
abstract class NameClashScenarios extends ClusterScenarios {

    /** Rounds of joiners started at once; within a round every name clashes with every other. */
    private static final List<List<String>> ROUNDS = List.of(
            List.of("eve", "EVE", "Eve"),                       // one name in three cases
            List.of("paul", "p\u0430ul", "PAUL"),               // a Cyrillic а, and capitals
            List.of("zo\u00eb", "ZO\u00cb", "zo\u00eb"),        // zoë twice, and ZOË
            List.of("lars", "Iars", "1ars"),                    // small l, capital I, digit 1
            List.of("\u03c3\u03bf\u03c6\u03b9\u03b1", "\u03a3\u039f\u03a6\u0399\u0391", "\u03a3\u03bf\u03c6\u03b9\u03b1")); // σοφια, ΣΟΦΙΑ, Σοφια

    @Test
    void ofJoinersWithClashingNamesAtTheSameInstantExactlyOneGetsInRoundAfterRound() {
        List<TestNode> ring = new ArrayList<>(List.of(cluster.startLeader("alice")));
        ring.add(cluster.join("bob", ring.get(0)));
        ring.add(cluster.join("carol", ring.get(1)));
        cluster.awaitOneRing(ring);

        for (int round = 0; round < ROUNDS.size(); round++) {
            // each joiner asks through another member (the leader among them), all at once
            List<TestNode> joiners = startAtOnce(ROUNDS.get(round), ring, round);
            cluster.awaitUntil(() -> joiners.forEach(j -> assertTrue(j.node.joined().isDone(), j + " still waits")));

            // exactly one got in; the others were told the name is taken by it, or looks like its name
            List<TestNode> admitted = joiners.stream().filter(j -> !j.node.joined().isCompletedExceptionally()).toList();
            assertEquals(1, admitted.size(), () -> "admitted " + admitted + "\n" + cluster.describe());
            TestNode winner = admitted.get(0);
            for (TestNode j : joiners) {
                if (j != winner) {
                    assertRefusedFor(j, winner.name + "(" + winner.address() + ")");
                }
            }
            // the ring is one ring, with the winner and none of the refused
            ring.add(winner);
            cluster.awaitOneRing(ring);
        }

        // names that clash with members already in (alice, alice, bob, carol, the first round's eve): none gets in
        List<TestNode> late = startAtOnce(List.of("ALICE", "\u0430lice", "b\u03bfb", "caro1", "Ev\u0435"), ring, 0);
        List<TestNode> holders = List.of(ring.get(0), ring.get(0), ring.get(1), ring.get(2), ring.get(3));
        cluster.awaitUntil(() -> late.forEach(j -> assertTrue(j.node.joined().isCompletedExceptionally(), j + " not refused")));
        for (int i = 0; i < late.size(); i++) {
            assertRefusedFor(late.get(i), holders.get(i).name + "(" + holders.get(i).address() + ")");
        }
        cluster.assertOneRing(ring);
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void aNodeRemovedWhileHungWhoseNameWasTakenMeanwhileStopsSayingSo() {
        List<TestNode> ring = cluster.ring(4);
        TestNode sleeper = ring.get(2);
        // n2 hangs and is removed
        cluster.pause(sleeper);
        List<TestNode> rest = new ArrayList<>(ring);
        rest.remove(sleeper);
        cluster.awaitOneRing(rest);
        // a newcomer takes its name, in capitals
        TestNode taker = cluster.join("N2", rest.get(1));
        rest.add(taker);
        cluster.awaitOneRing(rest);

        // n2 wakes, finds it was removed and asks back under its name: taken, so it stops, saying by whom
        cluster.resume(sleeper);
        cluster.awaitUntil(() -> assertTrue(sleeper.node.stopped().isDone(), "n2 still runs\n" + cluster.describe()));
        Throwable why = assertThrows(CompletionException.class, () -> sleeper.node.stopped().join()).getCause();
        assertTrue(why instanceof NameRefusedException, String.valueOf(why));
        assertTrue(why.getMessage().startsWith("removed from the ring, and cannot rejoin: join refused by "), why.getMessage());
        assertTrue(why.getMessage().endsWith("the name 'n2' is taken by N2(" + taker.address() + ")"), why.getMessage());
        cluster.assertOneRing(rest);
    }

    /** Starts joiners under these names, the i-th through member {@code (i + shift) % size}. */
    private List<TestNode> startAtOnce(List<String> names, List<TestNode> ring, int shift) {
        List<RingConfig> configs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            TestNode via = ring.get((i + shift) % ring.size());
            configs.add(Cluster.config(names.get(i)).joinVia(via.address()).build());
        }
        return cluster.startAll(configs);
    }

    /** {@code joiner} was refused for its name, and told whose name it clashes with and what to do. */
    private static void assertRefusedFor(TestNode joiner, String holder) {
        CompletionException e = assertThrows(CompletionException.class,
                () -> joiner.node.joined().join());
        Throwable why = e.getCause();
        assertTrue(why instanceof NameRefusedException, joiner + ": " + why);
        String message = why.getMessage();
        assertTrue(message.contains("the name '" + joiner.name + "' is taken by " + holder)
                || message.contains("the name '" + joiner.name + "' looks like the name of " + holder), message);
    }
}
