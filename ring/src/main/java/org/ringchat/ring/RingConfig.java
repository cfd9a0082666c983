package org.ringchat.ring;

import java.util.Objects;
import org.ringchat.protocol.LamportClock;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.Room;
import org.ringchat.protocol.WireFormat;
import org.ringchat.ring.core.Names;
import org.ringchat.ring.transport.ClusterSecret;
import org.ringchat.ring.transport.TlsFiles;
import org.ringchat.ring.transport.TransportLimits;

/**
 * Everything a node needs to start. Immutable; build with {@link #builder(String)}. Every
 * default is a named constant that says what goes wrong when it is set too low or too high.
 *
 * @param name the member name people see: 1–32 Unicode letters, digits, {@code _ - .}, in NFC
 *     (see {@link Names}; {@link Names#normalize} what a user typed first)
 * @param address where to listen; port 0 picks a free one
 * @param joinVia any member of an existing ring, or null to start a new ring as its leader
 * @param limits what the node's connections may take (see {@link TransportLimits})
 * @param secret the ring's secret, or null for an unsecured node (anyone who can reach it can
 *     read and join)
 * @param tls this node's certificate, key and the ring's CA for mutual TLS on every link, or null
 * @param room the room the node starts in
 * @param roomHistoryLimit messages kept per room
 * @param historyShown messages of its room shown on joining the ring or a room
 * @param initialLamport where this node's Lamport clock starts (0 unless set): a program that
 *     keeps a record stamped with the clock across runs, as {@code chat_<port>.log} does, starts
 *     the next run at the last stamp it wrote, so that time in the record never goes backwards
 */
public record RingConfig(
        String name,
        NodeAddress address,
        NodeAddress joinVia,
        int heartbeatMs,
        int suspectMs,
        int probeTimeoutMs,
        int connectTimeoutMs,
        int joinTimeoutMs,
        int electionTimeoutMs,
        int syncTimeoutMs,
        int leaveTimeoutMs,
        int maxFrameBytes,
        int maxTextLength,
        int historyLimit,
        int joinHistory,
        int sendWindow,
        TransportLimits limits,
        ClusterSecret secret,
        TlsFiles tls,
        String room,
        int roomHistoryLimit,
        int historyShown,
        long initialLamport) {

    /**
     * How often a node tells its neighbours and leader it is alive. Too low wastes bandwidth and
     * CPU on big rings; too high makes {@link #DEFAULT_SUSPECT_MS} fire on healthy nodes.
     */
    public static final int DEFAULT_HEARTBEAT_MS = 200;
    /**
     * Silence after which a peer is suspected (then verified before removal). Too low evicts
     * nodes in a GC pause or on a loaded machine; too high leaves a hung node in the ring, and
     * chat stalls, for that long.
     */
    public static final int DEFAULT_SUSPECT_MS = 1000;
    /**
     * How long a witness waits for a suspect's Pong. Too low removes merely slow nodes; too high
     * delays every repair of a hung node. A hung node is removed after {@link #DEFAULT_SUSPECT_MS}
     * of silence and this: 1.4 s, which keeps a hung leader's failover within 1.5 s (at 500 ms it
     * took 1.50-1.52 s on a 2-core VM, docs/failover-timing.md); a Pong on a loaded machine comes
     * in milliseconds, and a healthy node still has 1.4 s to say anything at all.
     */
    public static final int DEFAULT_PROBE_TIMEOUT_MS = 400;
    /** TCP connect timeout. Too low fails on slow networks; too high delays crash detection of silent hosts. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 1000;
    /**
     * How long a joiner waits to be admitted before giving up. Too low fails joins made during an
     * election; too high keeps a user waiting on a dead address.
     */
    public static final int DEFAULT_JOIN_TIMEOUT_MS = 8000;
    /**
     * An election not finished by then is restarted. Too low restarts elections that were about
     * to finish on big rings; too high slows recovery when a candidate dies mid-election.
     */
    public static final int DEFAULT_ELECTION_TIMEOUT_MS = 2000;
    /**
     * How long a new leader waits for every member's catch-up report. Members that have not
     * answered by then are dropped from the ring: too low drops slow members, too high stalls chat
     * after a failover when one of them is hung.
     */
    public static final int DEFAULT_SYNC_TIMEOUT_MS = 1000;
    /**
     * How long a leaving node waits for its last messages to be ordered and for the ring to close
     * around it. Too low can lose a message typed just before leaving; too high delays exit.
     */
    public static final int DEFAULT_LEAVE_TIMEOUT_MS = 3000;
    /** Longest chat line, in characters. Too high lets one member flood everyone's screen. */
    public static final int DEFAULT_MAX_TEXT_LENGTH = 2000;
    /**
     * Ordered messages each member keeps. Too low loses what a new leader needs to bring a
     * lagging member up to date; too high costs memory.
     */
    public static final int DEFAULT_HISTORY_LIMIT = 10_000;
    /**
     * Ordered messages handed to a joiner, as many of them as fit one frame (at most
     * {@link WireFormat#DEFAULT_MAX_FRAME_BYTES}; a few hundred kB of 100-character lines). Too low: a
     * joiner that comes to lead cannot bring back a member that rejoins from further back, whose
     * missed lines other members still hold ("too old to show"; simulator seeds 33172, 96319, and
     * merges whose common point lay before it: 102399, 132582, with 100). Too high: a bigger
     * first frame for every joiner to read.
     */
    public static final int DEFAULT_JOIN_HISTORY = 1000;

    /**
     * Most of a member's own messages in flight (submitted, not yet delivered back). One sender
     * moves at most a window per round trip: 1024 lines keep ~200,000 lines/s going at a 5 ms
     * round trip (a loaded 2-core machine's; 256 held one sender to 10-25,000/s there). Too high
     * lets a flood fill every queue in the ring, and lets more be in flight than the leader's
     * history ({@link #DEFAULT_HISTORY_LIMIT}) can send again to a member whose connection
     * dropped: ten members sending at once hold at most 10,240 lines in flight.
     */
    public static final int DEFAULT_SEND_WINDOW = 1024;

    /** Messages each member keeps per room, for {@code //history} and for joiners (every member keeps every room's). */
    public static final int DEFAULT_ROOM_HISTORY_LIMIT = 1000;

    /** Messages of its room a node shows on joining the ring or a room, before live chat (as the C++ seed did). */
    public static final int DEFAULT_HISTORY_SHOWN = 10;

    public RingConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(limits, "limits");
        String problem = Names.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("bad name '" + Names.quote(name) + "': " + problem + "; " + Names.RULE);
        }
        positive("heartbeatMs", heartbeatMs);
        positive("suspectMs", suspectMs);
        positive("probeTimeoutMs", probeTimeoutMs);
        positive("connectTimeoutMs", connectTimeoutMs);
        positive("joinTimeoutMs", joinTimeoutMs);
        positive("electionTimeoutMs", electionTimeoutMs);
        positive("syncTimeoutMs", syncTimeoutMs);
        positive("leaveTimeoutMs", leaveTimeoutMs);
        positive("maxTextLength", maxTextLength);
        positive("joinHistory", joinHistory);
        positive("sendWindow", sendWindow);
        Room.check(room);
        positive("roomHistoryLimit", roomHistoryLimit);
        if (historyShown < 0 || historyShown > roomHistoryLimit) {
            throw new IllegalArgumentException("historyShown must be 0 to roomHistoryLimit (" + roomHistoryLimit + ")");
        }
        if (initialLamport < 0 || initialLamport > LamportClock.MAX) {
            throw new IllegalArgumentException("initialLamport must be 0-" + LamportClock.MAX + ", not " + initialLamport);
        }
        if (suspectMs <= heartbeatMs) {
            throw new IllegalArgumentException("suspectMs (" + suspectMs
                    + ") must be longer than heartbeatMs (" + heartbeatMs + ")");
        }
        if (historyLimit < joinHistory) {
            throw new IllegalArgumentException("historyLimit must be at least joinHistory");
        }
        // a line of control characters takes six bytes of JSON per character; message lists use half a frame
        if (maxFrameBytes / 2 < 6 * maxTextLength + 1024) {
            throw new IllegalArgumentException("maxFrameBytes too small for maxTextLength");
        }
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, not " + value);
        }
    }

    public boolean startsRing() {
        return joinVia == null;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.address = address;
        b.joinVia = joinVia;
        b.heartbeatMs = heartbeatMs;
        b.suspectMs = suspectMs;
        b.probeTimeoutMs = probeTimeoutMs;
        b.connectTimeoutMs = connectTimeoutMs;
        b.joinTimeoutMs = joinTimeoutMs;
        b.electionTimeoutMs = electionTimeoutMs;
        b.syncTimeoutMs = syncTimeoutMs;
        b.leaveTimeoutMs = leaveTimeoutMs;
        b.maxFrameBytes = maxFrameBytes;
        b.maxTextLength = maxTextLength;
        b.historyLimit = historyLimit;
        b.joinHistory = joinHistory;
        b.sendWindow = sendWindow;
        b.limits = limits;
        b.secret = secret;
        b.tls = tls;
        b.room = room;
        b.roomHistoryLimit = roomHistoryLimit;
        b.historyShown = historyShown;
        b.initialLamport = initialLamport;
        return b;
    }

    /** Builds a {@link RingConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private NodeAddress address = new NodeAddress("127.0.0.1", 5000);
        private NodeAddress joinVia;
        private int heartbeatMs = DEFAULT_HEARTBEAT_MS;
        private int suspectMs = DEFAULT_SUSPECT_MS;
        private int probeTimeoutMs = DEFAULT_PROBE_TIMEOUT_MS;
        private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        private int joinTimeoutMs = DEFAULT_JOIN_TIMEOUT_MS;
        private int electionTimeoutMs = DEFAULT_ELECTION_TIMEOUT_MS;
        private int syncTimeoutMs = DEFAULT_SYNC_TIMEOUT_MS;
        private int leaveTimeoutMs = DEFAULT_LEAVE_TIMEOUT_MS;
        private int maxFrameBytes = WireFormat.DEFAULT_MAX_FRAME_BYTES;
        private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
        private int historyLimit = DEFAULT_HISTORY_LIMIT;
        private int joinHistory = DEFAULT_JOIN_HISTORY;
        private int sendWindow = DEFAULT_SEND_WINDOW;
        private TransportLimits limits = TransportLimits.DEFAULTS;
        private ClusterSecret secret;
        private TlsFiles tls;
        private String room = Room.GENERAL;
        private int roomHistoryLimit = DEFAULT_ROOM_HISTORY_LIMIT;
        private int historyShown = DEFAULT_HISTORY_SHOWN;
        private long initialLamport;

        private Builder(String name) {
            this.name = name;
        }

        public Builder address(NodeAddress address) {
            this.address = address;
            return this;
        }

        public Builder address(String host, int port) {
            return address(new NodeAddress(host, port));
        }

        public Builder joinVia(NodeAddress member) {
            this.joinVia = member;
            return this;
        }

        public Builder heartbeatMs(int ms) {
            this.heartbeatMs = ms;
            return this;
        }

        public Builder suspectMs(int ms) {
            this.suspectMs = ms;
            return this;
        }

        public Builder probeTimeoutMs(int ms) {
            this.probeTimeoutMs = ms;
            return this;
        }

        public Builder connectTimeoutMs(int ms) {
            this.connectTimeoutMs = ms;
            return this;
        }

        public Builder joinTimeoutMs(int ms) {
            this.joinTimeoutMs = ms;
            return this;
        }

        public Builder electionTimeoutMs(int ms) {
            this.electionTimeoutMs = ms;
            return this;
        }

        public Builder syncTimeoutMs(int ms) {
            this.syncTimeoutMs = ms;
            return this;
        }

        public Builder leaveTimeoutMs(int ms) {
            this.leaveTimeoutMs = ms;
            return this;
        }

        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        public Builder maxTextLength(int chars) {
            this.maxTextLength = chars;
            return this;
        }

        public Builder historyLimit(int messages) {
            this.historyLimit = messages;
            return this;
        }

        public Builder joinHistory(int messages) {
            this.joinHistory = messages;
            return this;
        }

        public Builder sendWindow(int messages) {
            this.sendWindow = messages;
            return this;
        }

        /** What the node's connections may take; {@link TransportLimits#DEFAULTS} unless set. */
        public Builder limits(TransportLimits limits) {
            this.limits = limits;
            return this;
        }

        /** The ring's secret: every connection is then authenticated and encrypted with it. */
        public Builder secret(ClusterSecret secret) {
            this.secret = secret;
            return this;
        }

        /** Mutual TLS on every link, with this node's certificate and key and the ring's CA. */
        public Builder tls(TlsFiles tls) {
            this.tls = tls;
            return this;
        }

        /** The room the node starts in ({@link Room#GENERAL} unless set). */
        public Builder room(String room) {
            this.room = room;
            return this;
        }

        /** Messages kept per room ({@link #DEFAULT_ROOM_HISTORY_LIMIT} unless set). */
        public Builder roomHistoryLimit(int messages) {
            this.roomHistoryLimit = messages;
            return this;
        }

        /** Messages of its room shown on joining the ring or a room ({@link #DEFAULT_HISTORY_SHOWN} unless set; 0 shows none). */
        public Builder historyShown(int messages) {
            this.historyShown = messages;
            return this;
        }

        /** Where the node's Lamport clock starts; 0 unless set. */
        public Builder initialLamport(long time) {
            this.initialLamport = time;
            return this;
        }

        public RingConfig build() {
            return new RingConfig(name, address, joinVia, heartbeatMs, suspectMs, probeTimeoutMs,
                    connectTimeoutMs, joinTimeoutMs, electionTimeoutMs, syncTimeoutMs, leaveTimeoutMs,
                    maxFrameBytes, maxTextLength, historyLimit, joinHistory, sendWindow, limits, secret, tls,
                    room, roomHistoryLimit, historyShown, initialLamport);
        }
    }
}
