package org.ringchat.ring.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;

/**
 * Whether the TCP stream of a link sits in retransmission back-off, read from the kernel's
 * {@code TCP_INFO} (Netty's native epoll transport; under NIO nothing is known and no link counts
 * as stalled).
 *
 * <p>Why it matters: across a cut, TCP resends what was written on a link with exponential
 * back-off (200 ms, 400 ms, 800 ms … up to 2 min), and whatever is written after the network heals
 * waits behind the next retransmission, seconds later. A merge after a heal (probes, the
 * handover) and chat on a lossy link both waited so. When the peer is heard on a connection of
 * its own, the path works again, and a fresh connection gets through at once.
 *
 * <p>Why not {@code TCP_USER_TIMEOUT}: it closes a link that has been unacknowledged for a while,
 * whether or not the peer can be reached; across a cut every link would fail and be opened again
 * to no purpose, and on a lossy link it would close links the peer still reads. Why not Netty's
 * outbound buffer ({@code isWritable}): small frames never fill the kernel's send buffer, so the
 * buffer is empty while the stream is stuck.
 */
final class StalledLink {

    /**
     * A link is stalled when the peer has acknowledged nothing for this long while data waits,
     * and TCP's next retransmission is at least this far from the last (its backed-off
     * retransmission timeout). Too low and a link that lost a few segments on a lossy path is
     * replaced (what was in flight on it is lost, and the node recovers it as after any broken
     * link) when TCP would have resent it soon; too high and a merge after a heal waits behind
     * TCP's back-off for up to this long more. A cut long enough to split a ring (a second and
     * more) backs a link off past 1 s (200 + 400 + 800 ms at Linux's minimum timeout).
     */
    static final int STALLED_MS = 1000;

    /**
     * A link is checked at most this often (one {@code getsockopt} each), however many frames
     * its peer sends.
     */
    static final int CHECK_EVERY_MS = 100;

    /**
     * How often every link is asked whether it stalled, and a stalled one gets a trial connect.
     * Bounds how long a link waits behind TCP's back-off once the network heals and nobody's
     * retransmission has got through yet. Too low costs a {@code getsockopt} per link that often
     * (a leader of a hundred members: 400 a second at 250 ms) and a connect attempt per stalled
     * link; too high and a merge after a heal waits that much longer.
     */
    static final int TRIAL_EVERY_MS = 250;

    /**
     * Trial connects in flight to one peer at most: across a cut each waits for its connect
     * timeout (1 s by default), and a SYN is sent every {@link #TRIAL_EVERY_MS} until then.
     */
    static final int MAX_TRIALS = 4;

    /**
     * TCP keepalive on accepted connections, so that one whose peer reset it (a replaced link)
     * and whose reset was lost goes away rather than holding one of the peer's
     * {@code maxConnectionsPerPeer} places for ever: probed after this many seconds without
     * traffic, every {@link #KEEPALIVE_INTERVAL_S}, closed after {@link #KEEPALIVE_PROBES}
     * unanswered. A connection from a live peer answers the probes; one that crosses a cut is
     * closed after 25 s, long after the peer was found gone.
     */
    static final int KEEPALIVE_IDLE_S = 10;
    static final int KEEPALIVE_INTERVAL_S = 5;
    static final int KEEPALIVE_PROBES = 3;

    private StalledLink() {
    }

    /**
     * Why {@code channel}'s stream is stalled, or null when it is not (or cannot be known).
     */
    static String why(Channel channel) {
        if (!(channel instanceof EpollSocketChannel epoll) || !channel.isActive()) {
            return null;
        }
        EpollTcpInfo info;
        try {
            info = epoll.tcpInfo();
        } catch (ChannelException e) {
            return null; // closing under us: its own link-down follows
        }
        long rtoMs = info.rto() / 1000; // µs
        return stalled(info.unacked(), info.lastAckRecv(), rtoMs)
                ? info.unacked() + " segments unacknowledged, no ACK for " + info.lastAckRecv()
                        + " ms, next retransmission up to " + rtoMs + " ms after the last (" + info.retransmits()
                        + " in a row)"
                : null;
    }

    /**
     * The rule: {@code unackedSegments} waiting, the last ACK {@code lastAckMs} ago, the backed-off
     * retransmission timeout {@code rtoMs}.
     */
    static boolean stalled(long unackedSegments, long lastAckMs, long rtoMs) {
        return unackedSegments > 0 && lastAckMs >= STALLED_MS && rtoMs >= STALLED_MS;
    }
}
