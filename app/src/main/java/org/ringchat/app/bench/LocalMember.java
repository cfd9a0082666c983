package org.ringchat.app.bench;

import org.ringchat.protocol.NodeAddress;

/** A member in the driver's own JVM ({@code --in-process}): a {@link BenchNode} called directly. */
final class LocalMember implements Member {

    private final String name;
    private final BenchNode node;
    private final Ready ready;

    private LocalMember(String name, BenchNode node, String ready) {
        this.name = name;
        this.node = node;
        this.ready = Ready.parse(ready);
    }

    /** Starts a node and waits until it is admitted. */
    static LocalMember start(String name, Integer joinPort) {
        BenchNode node = BenchNode.start(name, joinPort == null ? null : new NodeAddress("127.0.0.1", joinPort));
        try {
            return new LocalMember(name, node, node.awaitJoined(Bench.JOIN_TIMEOUT_MS));
        } catch (Exception e) {
            node.close();
            throw new BenchFailure(name + " could not join: " + e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Ready ready() {
        return ready;
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public String ask(String command, long answerTimeoutMs) {
        return node.handle(command);
    }

    @Override
    public void signal(String signal) {
        throw new UnsupportedOperationException("a node in the driver's JVM cannot be sent " + signal);
    }

    @Override
    public String describe() {
        return name + " (in-process) " + node.handle("view");
    }

    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
