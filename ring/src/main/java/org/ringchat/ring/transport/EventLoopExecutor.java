package org.ringchat.ring.transport;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/** A node's thread in production: one Netty event loop, which also runs all of the node's sockets. */
public final class EventLoopExecutor implements NodeExecutor {

    private final EventLoop loop;

    public EventLoopExecutor(EventLoop loop) {
        this.loop = loop;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public long nowMs() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        var future = loop.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public boolean inNodeThread() {
        return loop.inEventLoop();
    }
}
