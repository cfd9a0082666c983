package org.ringchat.ring.transport;

/**
 * The resources a node's connections may take, so that no stranger and no member can exhaust
 * them. Each default says what goes wrong when it is set too low or too high.
 *
 * @param handshakeTimeoutMs an accepted connection that has not introduced itself by then is closed
 * @param maxConnections accepted connections at once, all peers together
 * @param maxConnectionsPerPeer accepted connections at once claiming one node address
 * @param maxPendingWriteBytes bytes queued for one peer that does not read; beyond, the link is dropped
 * @param maxUnfinishedFrameBytes bytes of unfinished frames all connections may hold together
 */
public record TransportLimits(int handshakeTimeoutMs, int maxConnections, int maxConnectionsPerPeer,
        long maxPendingWriteBytes, long maxUnfinishedFrameBytes) {

    /**
     * Too low and a peer on a slow or loaded network is cut off before its Hello arrives; too
     * high and idle strangers hold file descriptors that long.
     */
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
    /**
     * Too low and a big ring (each member holds a connection from every member that talks to it,
     * the leader from all of them) refuses its own members; too high and a flood of idle
     * connections exhausts file descriptors before the handshake deadline closes them.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /**
     * A peer needs one connection (a second while the first is being replaced). Too low refuses a
     * peer that reconnects before its old connection is seen closed; too high lets one address
     * take a large share of {@link #DEFAULT_MAX_CONNECTIONS}.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_PEER = 4;
    /**
     * 16 MiB. Too low and a member briefly slower than a burst is dropped (it then rejoins); too
     * high and a member that never reads makes the leader hold that much for it.
     */
    public static final long DEFAULT_MAX_PENDING_WRITE_BYTES = 16L << 20;
    /**
     * 32 MiB: about 30 maximum frames at once. Too low and honest peers sending big frames
     * (histories, catch-ups) at the same moment are cut off; too high and half-sent frames from a
     * few hundred connections grow the heap by that much.
     */
    public static final long DEFAULT_MAX_UNFINISHED_FRAME_BYTES = 32L << 20;

    public static final TransportLimits DEFAULTS = new TransportLimits(DEFAULT_HANDSHAKE_TIMEOUT_MS,
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_PEER, DEFAULT_MAX_PENDING_WRITE_BYTES,
            DEFAULT_MAX_UNFINISHED_FRAME_BYTES);

    public TransportLimits {
        positive("handshakeTimeoutMs", handshakeTimeoutMs);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
        positive("maxPendingWriteBytes", maxPendingWriteBytes);
        positive("maxUnfinishedFrameBytes", maxUnfinishedFrameBytes);
    }

    private static void positive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, not " + value);
        }
    }
}
