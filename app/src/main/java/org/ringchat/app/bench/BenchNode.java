package org.ringchat.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingListener;
import org.ringchat.ring.RingNode;
import org.ringchat.ring.RingView;

/**
 * One benchmark member: a {@link RingNode} started through the public {@code ring} API, a
 * {@link DeliveryRecord} fed by its listener and a sender thread. The driver talks to it in a
 * tiny line protocol, one reply line per command, whether it runs in the driver's JVM or in a
 * worker process ({@code ringchat bench-node}, which reads the commands on stdin):
 *
 * <pre>
 * expect FIRST N                forget the last workload; expect ids FIRST..FIRST+N-1  -> ok
 * send FIRST COUNT SIZE RATE    send ids FIRST.. (RATE per second, 0: at once)  -> ok (sends in the background)
 * report                        -> summary EXPECTED DELIVERED DUPLICATES FOREIGN DISORDER DIGEST FIRST_AT LAST_AT
 *                                          FOREIGN_ID FOREIGN_SEQ
 * await MS                      -> the same summary, once every expected id was delivered here or after MS ms
 * times                         -> times T0,T1,...  (nanoTime each id was delivered here, 0: not)
 * sent                          -> sent T0,T1,...   (nanoTime each id was sent from here, 0: not)
 * view                          -> view STATUS LEADER LEADER_AT MEMBER,MEMBER,...  (ring order)
 * leader                        -> view STATUS LEADER LEADER_AT -  (the same without the members: cheap to ask
 *                                        often, in a ring of hundreds)
 * cpu                           -> cpu LOOP CALLER PROCESS JIT VM  (CPU ns so far: the node's own thread, the
 *                                        thread calling send, the process, its JIT compiler threads, its VM
 *                                        thread (the serial collector, safepoints); in-process: the whole JVM's)
 * suspects                      -> suspects N  (suspicion events this node's listener has had so far)
 * heap                          -> heap LIVE COMMITTED  (bytes of heap in use after a full collection, and
 *                                        the heap the JVM holds; in-process: the whole JVM's)
 * leave                         -> left (after a graceful leave)
 * crash                         -> crashed (stopped without a goodbye: {@link RingNode#crash()})
 * </pre>
 *
 * Times are {@link System#nanoTime()}, which on Linux is one clock (CLOCK_MONOTONIC) for every
 * process of the machine, so the driver can subtract one process's times from another's.
 */
final class BenchNode implements RingListener {

    private final DeliveryRecord record = new DeliveryRecord();
    private final ExecutorService sender;
    private final RingNode node;
    private final long connectAt;
    /** When this node last learnt of a new leader ({@link RingEvent.Kind#LEADER}); 0: never. */
    private volatile long leaderAt;
    /** {@link RingEvent.Kind#SUSPECT} events so far: this node suspecting a peer, checking one, or dropping a suspicion. */
    private final AtomicLong suspectEvents = new AtomicLong();

    private BenchNode(String name, NodeAddress joinVia) {
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-bench-sender");
            t.setDaemon(true);
            return t;
        });
        RingConfig.Builder config = RingConfig.builder(name).address("127.0.0.1", 0);
        if (joinVia != null) {
            config.joinVia(joinVia);
        }
        this.connectAt = System.nanoTime();
        this.node = RingNode.start(config.build(), this);
    }

    /** Starts a node on 127.0.0.1 with a free port; a new ring when {@code joinVia} is null. */
    static BenchNode start(String name, NodeAddress joinVia) {
        return new BenchNode(name, joinVia);
    }

    /** Waits until the node is in the ring; its {@code ready} line: {@code ready PORT CONNECT_AT JOINED_AT}. */
    String awaitJoined(long timeoutMs) throws Exception {
        node.joined().get(timeoutMs, TimeUnit.MILLISECONDS);
        long joinedAt = System.nanoTime();
        return "ready " + node.address().port() + " " + connectAt + " " + joinedAt;
    }

    @Override
    public void onChat(ChatMessage message) {
        record.delivered(message.seq(), message.text(), System.nanoTime());
    }

    @Override
    public void onEvent(RingEvent event) {
        if (event.kind() == RingEvent.Kind.LEADER) {
            leaderAt = System.nanoTime();
        } else if (event.kind() == RingEvent.Kind.SUSPECT) {
            suspectEvents.incrementAndGet();
        }
    }

    /** Handles one command of the line protocol; its one-line reply. */
    String handle(String command) {
        String[] f = command.trim().split(" ");
        return switch (f[0]) {
            case "expect" -> {
                record.expect(Long.parseLong(f[1]), Integer.parseInt(f[2]));
                yield "ok";
            }
            case "send" -> {
                long first = Long.parseLong(f[1]);
                int count = Integer.parseInt(f[2]);
                int size = Integer.parseInt(f[3]);
                int rate = Integer.parseInt(f[4]);
                sender.execute(() -> send(first, count, size, rate));
                yield "ok";
            }
            case "report" -> record.summary().line();
            case "await" -> awaitComplete(Long.parseLong(f[1]));
            case "times" -> "times " + joined(record.deliveredTimes());
            case "sent" -> "sent " + joined(record.sentTimes());
            case "view" -> view();
            case "leader" -> leader(node.view()) + "-";
            case "suspects" -> "suspects " + suspectEvents.get();
            case "heap" -> heap();
            case "cpu" -> cpu();
            case "leave" -> {
                node.close();
                sender.shutdownNow();
                yield "left";
            }
            case "crash" -> {
                node.crash().join();
                sender.shutdownNow();
                yield "crashed";
            }
            default -> "error unknown command: " + command;
        };
    }

    private void send(long first, int count, int size, int rate) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + i * 1_000_000_000L / rate;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
            long id = first + i;
            String text = BenchText.of(id, size);
            record.sent(id, System.nanoTime());
            node.send(text);
        }
    }

    /** {@code await <ms>}: the summary once every expected message is delivered, or after that long. */
    private String awaitComplete(long timeoutMs) {
        try {
            return record.awaitComplete(timeoutMs).line();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error: interrupted";
        }
    }

    private String view() {
        RingView v = node.view();
        String members = v.members().stream().map(Member::name).collect(Collectors.joining(","));
        return leader(v) + (members.isEmpty() ? "-" : members);
    }

    /** {@code view STATUS LEADER LEADER_AT }, the start of {@link #view()}'s line. */
    private String leader(RingView v) {
        return "view " + v.status() + " " + (v.leader() == null ? "-" : v.leader().name()) + " " + leaderAt + " ";
    }

    /**
     * CPU ns so far of this node's own thread (the event loop {@link RingNode#start} names
     * {@code ringchat-NAME-…}), of its sender thread, and of the process.
     */
    private String cpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String loopPrefix = "ringchat-" + node.config().name() + "-";
        String callerName = node.config().name() + "-bench-sender";
        long loop = 0;
        long caller = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long ns = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            if (info.getThreadName().startsWith(loopPrefix)) {
                loop += ns;
            } else if (info.getThreadName().equals(callerName)) {
                caller += ns;
            }
        }
        long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
        long[] jitAndVm = jitAndVmNs();
        return "cpu " + loop + " " + caller + " " + process + " " + jitAndVm[0] + " " + jitAndVm[1];
    }

    /**
     * CPU ns so far of the JVM's compiler threads and of its VM thread, which {@link ThreadMXBean}
     * does not list ({@link TaskCpu}); zeros where there is no {@code /proc}.
     */
    private static long[] jitAndVmNs() {
        Map<String, Long> ns = TaskCpu.byGroup("self", TaskCpu::jitOrVm);
        return new long[] {ns.getOrDefault(TaskCpu.JIT, 0L), ns.getOrDefault(TaskCpu.VM, 0L)};
    }

    /** After a full collection: the heap in use (the live data) and the heap the JVM has taken from the system. */
    private static String heap() {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return "heap " + heap.getUsed() + " " + heap.getCommitted();
    }

    private static String joined(long[] values) {
        return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    /** Leaves gracefully, bounded by the node's leave timeout. */
    void close() {
        node.close();
        sender.shutdownNow();
    }
}
