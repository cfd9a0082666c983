package org.ringchat.ring.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.NodeAddress;

/**
 * One TCP connection, as both of its ends and the wire between them see it. Like the Netty
 * transport, only the opener writes frames; the acceptor only reads, and each end's close reaches
 * the other end as a FIN that travels behind the frames already on the wire.
 */
final class SimConnection {

    /** Frames (or a FIN, with a null frame) on their way in one direction, oldest first. */
    static final class Direction {
        final long key;
        final SimConnection connection;
        final NodeAddress from;
        final NodeAddress to;
        final ArrayDeque<InFlight> items = new ArrayDeque<>();
        long lastArrivalUs;

        Direction(SimConnection connection, long key, NodeAddress from, NodeAddress to) {
            this.connection = connection;
            this.key = key;
            this.from = from;
            this.to = to;
        }
    }

    /** A frame on the wire; its arrival only moves later (a cut holds it until the heal). */
    static final class InFlight {
        long arrivalUs;
        final Envelope frame;

        InFlight(long arrivalUs, Envelope frame) {
            this.arrivalUs = arrivalUs;
            this.frame = frame;
        }
    }

    final long id;
    final SimTransport opener;
    final SimTransport acceptor;
    final Direction toAcceptor;
    final Direction toOpener;
    /** Written by the opener and not flushed yet: lost if the opener dies or closes first. */
    final List<Envelope> unflushed = new ArrayList<>();
    boolean openerClosed;
    boolean acceptorClosed;
    /** Reset by the network (a dropped frame): whatever is written afterwards is lost. */
    boolean reset;
    /** The acceptor's end knows who opened it once it has read the Hello. */
    NodeAddress helloFrom;
    /** Its Hello said it is a spare, and nothing else came on it yet: the acceptor's node hears nothing of it. */
    boolean standby;

    SimConnection(long id, SimTransport opener, SimTransport acceptor) {
        this.id = id;
        this.opener = opener;
        this.acceptor = acceptor;
        this.toAcceptor = new Direction(this, 2 * id, opener.address(), acceptor.address());
        this.toOpener = new Direction(this, 2 * id + 1, acceptor.address(), opener.address());
    }

    NodeAddress openerAddress() {
        return toAcceptor.from;
    }

    NodeAddress acceptorAddress() {
        return toAcceptor.to;
    }

    boolean closed() {
        return openerClosed && acceptorClosed;
    }
}
