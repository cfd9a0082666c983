package org.ringchat.ring;

import java.util.Map;
import org.ringchat.protocol.Departure.Reason;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.core.Membership.Repair;

/**
 * What the ring does about a member that is gone (dead for sure, or said goodbye). Every node
 * routes around it at once; then the leader removes it and publishes a new view, a member whose
 * leader it was starts an election, and any other member tells the leader (which checks for
 * itself). With no leader, the members route around the dead and the election goes on around
 * them.
 */
final class RingRepair {

    private final ViewHandling ring;
    private final FailureHandling failures;
    private final ElectionHandling election;

    RingRepair(ViewHandling ring, FailureHandling failures, ElectionHandling election) {
        this.ring = ring;
        this.failures = failures;
        this.election = election;
    }

    /** {@code peer} is dead: its connections failed and it refused a reconnect, or two members could not reach it. */
    void peerDead(NodeAddress peer, Reason reason) {
        gone(peer, reason, true);
    }

    /** {@code peer} said goodbye (it told the leader itself). */
    void peerLeft(NodeAddress peer) {
        gone(peer, Reason.LEFT, false);
    }

    private void gone(NodeAddress peer, Reason reason, boolean report) {
        if (!ring.inRing() || !ring.contains(peer)) {
            return;
        }
        election.noteDeath(peer, reason);
        if (!routeAround(peer, reason)) {
            return;
        }
        if (ring.isLeader()) {
            ring.remove(Map.of(peer, reason));
        } else if (ring.status() == Status.MEMBER && peer.equals(ring.leader())) {
            leaderLost(peer, reason);
        } else if (report && ring.status() == Status.MEMBER) {
            failures.reportToLeader(peer, reason == Reason.CRASHED);
        }
    }

    /** Routes around {@code peer}; false if this node already did. */
    private boolean routeAround(NodeAddress peer, Reason reason) {
        Repair repair = ring.routeAround(peer);
        if (!repair.news()) {
            return false;
        }
        failures.watchChanged();
        election.memberDied(peer, reason); // before the resend: a dead candidate must not travel on
        if (repair.previousChanged()) {
            election.previousChanged(); // election messages travel towards the previous member
        }
        return true;
    }

    private void leaderLost(NodeAddress leader, Reason reason) {
        routeAroundReported();
        election.leaderLost(leader, reason);
    }

    /**
     * {@code peer}, which this node routed around, was heard from: it is alive after all (a false
     * suspicion, a connection that failed for a moment). It takes its place in the ring again, as
     * a neighbour and as a candidate; the leader's next view settles the rest.
     */
    void peerAlive(NodeAddress peer) {
        Repair repair = ring.restore(peer);
        if (!repair.news()) {
            return;
        }
        failures.watchChanged();
        election.memberAlive(peer);
        if (repair.previousChanged()) {
            election.previousChanged();
        }
    }

    /**
     * Another member lost the leader first and this node follows its election: the leader is
     * counted out here too.
     */
    void countOut(NodeAddress lostLeader) {
        if (!lostLeader.equals(ring.me().address())) {
            election.noteDeath(lostLeader, Reason.UNRESPONSIVE);
            routeAround(lostLeader, Reason.UNRESPONSIVE);
        }
        routeAroundReported();
    }

    /**
     * Members this node found dead and reported to the leader now lost: no leader will remove
     * them, so the election must go around them (a leader and another member hanging together).
     */
    private void routeAroundReported() {
        for (NodeAddress peer : failures.reportedToLostLeader()) {
            if (ring.contains(peer)) {
                election.noteDeath(peer, Reason.UNRESPONSIVE);
                routeAround(peer, Reason.UNRESPONSIVE);
            }
        }
    }
}
