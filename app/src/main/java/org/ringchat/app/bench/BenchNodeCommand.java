package org.ringchat.app.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.ringchat.app.Main;
import org.ringchat.protocol.NodeAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringchat bench-node}: a worker process of {@code ringchat bench --processes}, hidden from
 * the help. It starts one {@link BenchNode}, prints {@code ready PORT CONNECT_AT JOINED_AT} once
 * admitted, then answers the driver's commands on stdin, one line each, until end of input.
 */
@Command(name = "bench-node", hidden = true,
        description = "A worker of 'ringchat bench': one node driven through stdin and stdout.")
public final class BenchNodeCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--name", required = true, description = "The node's name.")
    String name;

    @Option(names = "--join-port", description = "Port on 127.0.0.1 of a member to join through; none: start a ring.")
    Integer joinPort;

    @Override
    public Integer call() throws IOException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        BenchNode node = BenchNode.start(name, joinPort == null ? null : new NodeAddress("127.0.0.1", joinPort));
        try {
            out.println(node.awaitJoined(Bench.JOIN_TIMEOUT_MS));
        } catch (Exception e) {
            out.println("error cannot join: " + e);
            node.close();
            return Main.EXIT_FAILURE;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            try {
                String reply = node.handle(line);
                out.println(reply);
                if (reply.equals("left")) {
                    return Main.EXIT_OK;
                }
            } catch (RuntimeException e) {
                out.println("error " + e);
            }
        }
        node.close();
        return Main.EXIT_OK;
    }
}
