package org.ringchat.ring;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.protocol.ProtocolVersion;
import org.ringchat.protocol.WireFormat;

/**
 * A hand-written client of an unsecured ring, as an attacker would write one from
 * {@code docs/protocol.md}: it listens at an address of its own (so that nodes can call it back
 * and it can prove that address), answers every {@code LinkCheck} truthfully, reads and drops
 * whatever else nodes send it, and opens raw connections on which a test writes what it likes.
 */
final class Stranger implements AutoCloseable {

    private static final WireFormat FORMAT = new WireFormat(WireFormat.DEFAULT_MAX_FRAME_BYTES);

    private final ServerSocket server;
    private final NodeAddress address;
    /** Envelopes nodes sent this stranger on their links (not the checks). */
    final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final boolean answersLinks;
    private volatile Message.Heartbeat lastHeartbeat;
    /** Its own links to the nodes it answers, when it answers. */
    private final Map<NodeAddress, Socket> links = new HashMap<>();
    private volatile boolean closed;

    /** How long {@link #endedByNode} waits for the node to end a connection. */
    private static final int END_WITHIN_MS = 30_000;

    /**
     * Waits until the node ends the connection: true at its end of stream, or at a reset, which
     * is what a close sends instead when bytes this stranger wrote were still unread on the node's
     * side (TCP; which one comes depends on whether the node's loop read them first). A
     * connection the node keeps open fails with a timeout.
     */
    static boolean endedByNode(Socket socket) throws IOException {
        socket.setSoTimeout(END_WITHIN_MS);
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) { // a timeout is no SocketException: it fails
            return true;
        }
    }

    /** A stranger that reads what nodes send it and never answers: a member it becomes is found hung. */
    Stranger() throws IOException {
        this(false);
    }

    /**
     * @param answersLinks whether it answers the heartbeats and pings nodes send it, as a live
     *     member would, so that once admitted it stays a member
     */
    Stranger(boolean answersLinks) throws IOException {
        this.answersLinks = answersLinks;
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        address = new NodeAddress("127.0.0.1", server.getLocalPort());
        Thread acceptor = new Thread(this::accept, "stranger-" + address.port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    NodeAddress address() {
        return address;
    }

    /** A connection to {@code target} that says Hello as this stranger, under the name {@code name}. */
    Socket connect(NodeAddress target, String name) throws IOException {
        return connectAs(target, address, name);
    }

    /** A connection to {@code target} that says Hello claiming {@code claimed}, which may be someone else's. */
    Socket connectAs(NodeAddress target, NodeAddress claimed, String name) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.connect(new InetSocketAddress(target.host(), target.port()));
        socket.setSoTimeout(30_000);
        sockets.add(socket);
        write(socket, new Envelope(claimed, 1, new Message.Hello(ProtocolVersion.CURRENT, name)));
        return socket;
    }

    static void write(Socket socket, Envelope envelope) throws IOException {
        write(socket.getOutputStream(), envelope);
    }

    static void write(OutputStream out, Envelope envelope) throws IOException {
        ByteBuf frame = FORMAT.encode(envelope, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            frame.release();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread reader = new Thread(() -> serve(s), "stranger-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One connection a node opened to this stranger: a check to answer, or a link to read. */
    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            while (true) {
                int length = in.readInt();
                byte[] body = new byte[length];
                in.readFully(body);
                for (Envelope envelope : WireFormat.decodeFrame(Unpooled.wrappedBuffer(body))) {
                    if (envelope.message() instanceof Message.LinkCheck check) {
                        boolean mine = sockets.stream().anyMatch(o -> o.getLocalPort() == check.port() && !o.isClosed());
                        write(s, new Envelope(address, 0, new Message.LinkCheckAnswer(mine)));
                        return;
                    }
                    received.add(envelope);
                    if (answersLinks) {
                        answer(envelope);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the node closed it, or sent what we do not read
        }
    }

    /**
     * What a live member says back, on a link of its own (a node's link only carries the node's
     * frames): a heartbeat for a heartbeat, a pong for a ping.
     */
    private void answer(Envelope envelope) throws IOException {
        if (envelope.message() instanceof Message.Heartbeat h) {
            lastHeartbeat = h;
            send(envelope.from(), new Message.Heartbeat(h.term(), h.version()));
        } else if (envelope.message() instanceof Message.Ping p) {
            Message.Heartbeat h = lastHeartbeat;
            send(envelope.from(), new Message.Pong(p.nonce(), h == null ? 0 : h.term(), h == null ? 0 : h.version()));
        }
    }

    private void send(NodeAddress to, Message message) throws IOException {
        Socket link;
        synchronized (links) {
            link = links.get(to);
            if (link == null || link.isClosed()) {
                link = connect(to, "mallory");
                links.put(to, link);
            }
        }
        synchronized (link) {
            write(link, new Envelope(address, 1, message));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
