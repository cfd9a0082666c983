package org.ringchat.app;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a chat node: start or join the ring, read the user's lines until they leave, leave
 * gracefully, and say how it ended as an exit code. Interactive (JLine prompt) on a terminal,
 * pipe mode otherwise.
 */
final class ChatSession {

    private static final Logger log = LoggerFactory.getLogger(ChatSession.class);

    /** The node's configuration; its clock starts where the chat log left off once the log is open. */
    private RingConfig config;
    private final boolean verbose;
    private final boolean forcePipe;
    /** Pipe mode: show when each line was ordered ({@code --time}). */
    private final boolean timeInPipe;
    /** Console: hide when each line was ordered ({@code --no-time}). */
    private final boolean noTimeInConsole;
    /** {@code --json}: every output line a JSON object. */
    private final boolean json;
    private final Path logDir;
    private final String version;

    /**
     * @param timeInPipe pipe mode: show when each line was ordered ({@code --time})
     * @param noTimeInConsole console: hide when each line was ordered ({@code --no-time})
     * @param json every output line a JSON object ({@code --json})
     * @param logDir where {@code chat_<port>.log} goes (created if missing)
     * @param version for the log's header line
     */
    ChatSession(RingConfig config, boolean verbose, boolean forcePipe, boolean timeInPipe, boolean noTimeInConsole,
            boolean json, Path logDir, String version) {
        this.config = config;
        this.verbose = verbose;
        this.forcePipe = forcePipe;
        this.timeInPipe = timeInPipe;
        this.noTimeInConsole = noTimeInConsole;
        this.json = json;
        this.logDir = logDir;
        this.version = version;
    }

    int run() {
        ChatLog early = null;
        if (config.address().port() != 0) {
            // the port is known: the log is opened first, so that the clock starts after its last T
            try {
                early = openLog(config.address());
            } catch (IOException e) {
                error(unwritable(config.address(), e), e);
                return Main.EXIT_FAILURE;
            }
            config = config.toBuilder().initialLamport(early.lastLamport()).build();
        }
        return run(early);
    }

    /** @param early the chat log, or null when the port is known only once the node is bound */
    private int run(ChatLog early) {
        Terminal terminal = forcePipe || System.console() == null ? null : openTerminal();
        LineReader reader = terminal == null ? null : LineReaderBuilder.builder()
                .terminal(terminal).appName("ringchat")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        JsonLines jsonLines = json ? new JsonLines() : null;
        LongFunction<String> notShown = count -> jsonLines != null ? jsonLines.notice(DetachedScreen.notShownText(count))
                : Lines.notice(DetachedScreen.notShownText(count));
        String screenThread = config.name() + "-screen";
        Screen screen = reader != null ? Screen.detached(reader, notShown, screenThread)
                : Screen.detached(new FileOutputStream(FileDescriptor.out), notShown, screenThread);
        boolean showTime = reader != null ? !noTimeInConsole : timeInPipe;
        Printer printer = new Printer(screen, verbose ? System.err : null, showTime, config.room(), jsonLines);
        RingNode node = RingNode.start(config, printer);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            leave(node);
            printer.close();
        }, config.name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        StopSignals signals = StopSignals.install(() -> {
            leave(node);
            exit.complete(Main.EXIT_OK);
        });
        try {
            Integer failed = join(node, exit, signals);
            if (failed != null) {
                closeQuietly(early);
                return failed;
            }
            String display = config.name() + "(" + node.address() + ")";
            ChatLog chatLog = early != null ? early : openLog(node.address());
            chatLog.header(version, display, Instant.now());
            printer.start(chatLog, config.name() + "-printer");
            // under the name this node has now: a merge renames a node whose name the other side holds
            Input input = reader != null ? Input.of(reader, () -> Lines.prompt(node.view().self().display()))
                    : Input.of(System.in);
            return chat(node, input, printer, new Console(node, printer), exit, signals);
        } catch (IOException e) {
            error(unwritable(node.address(), e), e);
            leave(node);
            return Main.EXIT_FAILURE;
        } finally {
            printer.close();
            removeHook(hook);
            closeTerminal(terminal);
        }
    }

    /**
     * Waits until the node is in the ring: null then; otherwise the exit code, after saying why
     * it cannot get there (or 0 when a stop signal ended the join, once the node has left).
     */
    private Integer join(RingNode node, CompletableFuture<Integer> exit, StopSignals signals) {
        try {
            CompletableFuture.anyOf(node.joined(), exit).get(config.joinTimeoutMs() + 5000L, TimeUnit.MILLISECONDS);
            return exit.isDone() ? exit.join() : null;
        } catch (ExecutionException e) {
            if (signals.stopping()) {
                return exit.join();
            }
            error(Failures.describe(e, config.address()), e);
        } catch (TimeoutException e) {
            error("could not join through " + config.joinVia() + " in time", e);
            leave(node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leave(node);
        }
        return Main.EXIT_FAILURE;
    }

    /** Reads lines on an input thread until the user leaves, a stop signal came or the node stops; the exit code. */
    private int chat(RingNode node, Input input, Printer printer, Console console, CompletableFuture<Integer> exit,
            StopSignals signals) {
        node.stopped().whenComplete((v, e) -> {
            if (e != null) {
                error(Failures.describe(e), e);
            }
            exit.complete(e == null ? Main.EXIT_OK : Main.EXIT_FAILURE);
        });
        Thread reading = new Thread(() -> {
            try {
                String line;
                while ((line = input.readLine()) != null) {
                    printer.awaitRoom(); // the output of what this node was given so far is not too far behind
                    if (!console.handle(line)) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                log.warn("cannot read input; leaving", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            signals.leaving();
            leave(node);
            exit.complete(Main.EXIT_OK);
        }, config.name() + "-input");
        reading.setDaemon(true);
        reading.start();
        try {
            return exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.EXIT_FAILURE;
        } catch (ExecutionException e) {
            return Main.EXIT_FAILURE;
        }
    }

    /** Opens the node's chat log in the log directory; diagnostics go next to it from now on. */
    private ChatLog openLog(NodeAddress address) throws IOException {
        Files.createDirectories(logDir);
        ChatLog chatLog = ChatLog.open(logDir, address);
        Logging.diagnosticsTo(ChatLog.diagnostics(chatLog.path()));
        return chatLog;
    }

    /** Why the log cannot be written, where, and what to do. */
    private String unwritable(NodeAddress address, IOException e) {
        Path path = logDir.resolve(ChatLog.fileName(address.port())).toAbsolutePath().normalize();
        return "cannot write the chat log " + path + ": " + Failures.reason(e)
                + "; use --log-dir <dir> to put it in a directory you can write to";
    }

    private static void closeQuietly(ChatLog chatLog) {
        if (chatLog != null) {
            try {
                chatLog.close();
            } catch (IOException e) {
                log.debug("cannot close {}", chatLog.path(), e);
            }
        }
    }

    /** Leaves gracefully and waits for it (bounded by the leave timeout). */
    private void leave(RingNode node) {
        node.close();
    }

    private void error(String message, Throwable cause) {
        System.err.println("error: " + message);
        System.err.flush();
        log.debug("details of the error above", cause);
    }

    private Terminal openTerminal() {
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).build();
            String type = terminal.getType();
            if (Terminal.TYPE_DUMB.equals(type) || Terminal.TYPE_DUMB_COLOR.equals(type)) {
                terminal.close();
                return null;
            }
            return terminal;
        } catch (IOException | RuntimeException e) {
            log.debug("no usable terminal; using pipe mode", e);
            return null;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook is running or has run
        }
    }

    private static void closeTerminal(Terminal terminal) {
        if (terminal != null) {
            try {
                terminal.close();
            } catch (IOException e) {
                log.debug("cannot close the terminal", e);
            }
        }
    }
}
