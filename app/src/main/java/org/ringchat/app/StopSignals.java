package org.ringchat.app;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGINT, SIGTERM and SIGHUP ask the node to leave: the first one runs the graceful leave (so the
 * process exits 0, as after {@code //exit}); a second one while the leave is under way ends the
 * process at once, with 128 + the signal's number, as a shell reports a process killed by it.
 *
 * <p>Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported in every JDK since 9
 * and kept for exactly this use): a shutdown hook cannot choose the exit code, which the JVM sets
 * to 128 + n for a signal, and cannot tell a second signal from the first. A signal the JVM does
 * not let us handle (e.g. under {@code -Xrs}) keeps its default, and the shutdown hook still
 * leaves gracefully.
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    static final List<String> NAMES = List.of("INT", "TERM", "HUP");

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Runnable leave;

    private StopSignals(Runnable leave) {
        this.leave = leave;
    }

    /**
     * Handles the stop signals from now on: the first runs {@code leave} on the signal's own
     * thread; any later one halts the process.
     */
    static StopSignals install(Runnable leave) {
        StopSignals signals = new StopSignals(leave);
        signals.register();
        return signals;
    }

    /**
     * The node is leaving for another reason ({@code //exit}, end of input, Ctrl-C read by the
     * console): from now on any stop signal halts at once. Registers the handlers again, since
     * JLine replaces the SIGINT handler while it reads a line and restores its own afterwards.
     */
    void leaving() {
        stopping.set(true);
        register();
    }

    /** True once a stop signal arrived or {@link #leaving()} was called. */
    boolean stopping() {
        return stopping.get();
    }

    private void register() {
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), this::received);
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{}; it keeps its default", name, e);
            }
        }
    }

    private void received(Signal signal) {
        if (!stopping.compareAndSet(false, true)) {
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        leave.run();
    }
}
