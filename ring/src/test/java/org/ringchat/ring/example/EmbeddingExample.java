package org.ringchat.ring.example;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingListener;
import org.ringchat.ring.RingNode;
import org.ringchat.ring.RingView;

/**
 * The README's embedding example, as a program: a bot that joins a ring, answers {@code ping}
 * with {@code pong} in the room it came from, and leaves when someone says {@code bye}. The
 * region between the {@code README} markers is, to the character (less its indentation), the
 * code block of the README's "Embedding the ring" section; {@code EmbeddingExampleTest} runs it
 * and checks that.
 *
 * <pre>{@code java -cp ... org.ringchat.ring.example.EmbeddingExample 127.0.0.1:5000}</pre>
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    public static void main(String[] args) throws Exception {
        run(NodeAddress.parse(args.length > 0 ? args[0] : "127.0.0.1:5000"), System.out);
    }

    /** Joins the ring through {@code member}, plays ping-pong, and returns after a graceful leave. */
    public static void run(NodeAddress member, PrintStream out) throws Exception {
        // README begin
        BlockingQueue<ChatMessage> inbox = new LinkedBlockingQueue<>();
        RingListener listener = new RingListener() {
            @Override
            public void onChat(ChatMessage message) { // on the node's thread: hand over, never block
                inbox.add(message);
            }

            @Override
            public void onEvent(RingEvent event) { // joins, leaves, repairs, elections, leaders
                if (event.kind().shown()) {
                    out.println("* " + event.text());
                }
            }
        };
        RingConfig config = RingConfig.builder("pingbot")
                .address("127.0.0.1", 0) // port 0: any free port
                .joinVia(member) // any member; without joinVia the node starts a ring and leads it
                .build();
        try (RingNode node = RingNode.start(config, listener)) { // close() leaves gracefully
            node.joined().get(10, TimeUnit.SECONDS); // admitted; a JoinException says why not
            RingView view = node.view();
            out.println("leader " + view.leader().display() + ", " + view.members().size() + " members");
            node.send("pingbot here: say ping"); // to this node's room, general unless RingConfig.room
            while (true) {
                ChatMessage message = inbox.take(); // every room's messages, in the ring's one order, ours too
                if (message.text().equals("ping")) {
                    node.send(message.room(), "pong to " + message.sender().name()); // answer in its room
                } else if (message.text().equals("bye")) {
                    break;
                }
            }
        }
        // README end
    }
}
