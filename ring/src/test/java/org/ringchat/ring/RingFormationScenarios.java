package org.ringchat.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rings form, chat is ordered, members join and leave; run over each transport by {@link RingFormationTest}. */
@Timeout(120)
abstract class RingFormationScenarios extends ClusterScenarios {

    /** Builds a ring of n: the first node leads, each joiner goes through a random non-leader member when there is one. */
    private List<TestNode> ring(int n, long seed) {
        Random random = new Random(seed);
        List<TestNode> nodes = new ArrayList<>();
        nodes.add(cluster.startLeader("n0"));
        for (int i = 1; i < n; i++) {
            TestNode via = nodes.size() == 1 ? nodes.get(0) : nodes.get(1 + random.nextInt(nodes.size() - 1));
            nodes.add(cluster.join("n" + i, via));
        }
        return nodes;
    }

    @ParameterizedTest(name = "ring of {0}")
    @ValueSource(ints = {1, 2, 5, 10})
    void everyMemberShowsEveryMessageOnceInTheSameOrder(int size) {
        // a ring built by joining through random followers
        List<TestNode> nodes = ring(size, 42 + size);
        cluster.awaitOneRing(nodes);

        // every node sends three lines
        for (int round = 0; round < 3; round++) {
            for (TestNode n : nodes) {
                cluster.send(n, n.name + " says " + round);
            }
        }
        int total = 3 * size;

        // every member shows all of them, exactly once, in one order, with one Lamport stamp each
        cluster.awaitUntil(() -> nodes.forEach(n -> assertEquals(total, n.chats.size(),
                () -> n + " delivered " + n.texts() + "\n" + cluster.describe())));
        List<String> reference = nodes.get(0).lines();
        assertEquals(total, new HashSet<>(reference).size(), "a message was doubled: " + reference);
        for (TestNode n : nodes) {
            assertEquals(reference, n.lines(), n + " shows another order");
        }
        // stamps grow down the screen; each sender's lines keep its order
        List<ChatMessage> seen = nodes.get(0).chats.snapshot();
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).stamp() > seen.get(i - 1).stamp(), "stamps must grow: " + reference);
            assertEquals(seen.get(i - 1).seq() + 1, seen.get(i).seq());
        }
        for (TestNode sender : nodes) {
            List<String> own = seen.stream().filter(m -> m.sender().name().equals(sender.name))
                    .map(ChatMessage::text).toList();
            assertEquals(List.of(sender.name + " says 0", sender.name + " says 1", sender.name + " says 2"), own);
        }
        cluster.assertOneRing(nodes);
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void joinersAreAnnouncedToEveryMemberAndRanksFollowAdmission() {
        TestNode alice = cluster.startLeader("alice");
        TestNode bob = cluster.join("bob", alice);
        TestNode carol = cluster.join("carol", bob);
        cluster.awaitOneRing(List.of(alice, bob, carol));

        assertEquals("alice", alice.view().leader().name());
        assertTrue(alice.view().self().rank() < bob.view().self().rank());
        assertTrue(bob.view().self().rank() < carol.view().self().rank());
        cluster.awaitUntil(() ->
                alice.saw(RingEvent.Kind.JOINED, "carol(" + carol.address() + ") joined")
                        && bob.saw(RingEvent.Kind.JOINED, "carol(" + carol.address() + ") joined"));
    }

    @Test
    void followerLeavingGracefullyClosesTheRingAndChatGoesOn() {
        List<TestNode> nodes = ring(5, 7);
        cluster.awaitOneRing(nodes);
        TestNode leaver = nodes.get(2);

        // a line sent just before leaving is still delivered everywhere
        cluster.send(leaver, "bye all");
        cluster.leave(leaver);
        // the leader confirmed it: the leaver did not just give up waiting
        assertTrue(leaver.saw(RingEvent.Kind.LEFT, "left the ring; it closed behind you"), () -> leaver.events.snapshot().toString());
        List<TestNode> rest = new ArrayList<>(nodes);
        rest.remove(leaver);
        cluster.awaitOneRing(rest);
        cluster.awaitUntil(() -> rest.stream().allMatch(n ->
                n.texts().contains("bye all") && n.saw(RingEvent.Kind.LEFT, leaver.name + "(" + leaver.address() + ") left")));

        // chat goes on among the rest
        cluster.send(rest.get(3), "still here");
        cluster.awaitUntil(() -> rest.stream().allMatch(n -> n.texts().contains("still here")));
        Set<List<String>> orders = new HashSet<>();
        rest.forEach(n -> orders.add(n.lines()));
        assertEquals(1, orders.size(), "members disagree on the order: " + orders);
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void aLineLongerThanTheLeaderAllowsIsCutNotLost() {
        // the leader allows 10 characters, the member 2000
        TestNode alice = cluster.start(Cluster.config("alice").maxTextLength(10).maxFrameBytes(64 * 1024).build());
        TestNode bob = cluster.join("bob", alice);
        cluster.awaitOneRing(List.of(alice, bob));
        cluster.send(bob, "0123456789abcdef");
        cluster.send(bob, "next");
        // bob's later lines are not stuck behind the long one
        cluster.awaitUntil(() -> {
            assertEquals(List.of("0123456789", "next"), alice.texts());
            assertEquals(List.of("0123456789", "next"), bob.texts());
        });
    }

    @Test
    void takenNamesAreRefusedWhateverTheirCase() {
        TestNode alice = cluster.startLeader("alice");
        Throwable error = cluster.joinFailure(Cluster.config("ALICE").joinVia(alice.address()).build());
        assertTrue(error instanceof JoinException, error.toString());
        assertTrue(error.getMessage().contains("taken"), error.getMessage());
    }
}
