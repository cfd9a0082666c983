package org.ringchat.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A small network of Linux network namespaces for end-to-end tests, built with iproute2 as root:
 * hosts plugged into switches, switches joined in a line by uplinks.
 *
 * <pre>
 *   rcl-PID-h1  rcl-PID-h2  rcl-PID-h3        rcl-PID-h4  rcl-PID-h5  rcl-PID-h6     (one namespace per host)
 *     eth0        eth0        eth0              eth0        eth0        eth0        10.213.7.1 ... .6 /24
 *      |           |           |                 |           |           |
 *      h1          h2          h3                h4          h5          h6         (switch ports)
 *   +------------ br1 -----------+ u1a ---- u1b +------------ br2 -----------+
 *                                rcl-PID-net (one namespace for every switch)
 * </pre>
 *
 * <p>Every switch (a Linux bridge) and every switch port lives in one namespace of its own,
 * {@code rcl-PID-net}, not in the machine's: nothing is added to the root namespace, so the lab
 * cannot disturb the machine's network, its firewall cannot touch the lab's traffic, and two labs
 * (two test JVMs) can run at once with the same addresses. A host has only {@code lo} and
 * {@code eth0}, so a process in it can only be reached at, and can only bind, its host's address.
 * Hosts are spread over the switches in order (6 hosts on 2 switches: 1–3 on the first, 4–6 on
 * the second).
 *
 * <p>Faults are links going down, as when a cable is pulled: {@link #cutUplink} takes the uplink
 * between two switches down (a clean two-way partition: each side still talks within itself,
 * and every host keeps its carrier, so packets to the other side just vanish), {@link #cutHost}
 * takes one host's switch port down (the host is alone). {@link #throttle} puts a token bucket
 * ({@code tc ... tbf}) on both directions of one host's link. Packet loss (the kernel here has
 * no {@code netem}) is nftables rules on the switch: {@link #dropFrom} drops a share of the IPv4
 * packets a host sends, {@link #dropTo} of those it receives, chosen at random
 * ({@code numgen random}); {@link #clearDrops} ends both. They need the {@code nft} command
 * ({@link #availability(boolean)}).
 *
 * <p>Namespaces are named {@code rcl-<pid>-<n>-…} after the test JVM and the lab's number in it. {@link #open} first deletes
 * the namespaces of labs whose JVM is gone (a crashed run); {@link #close} deletes this lab's
 * (the hosts' links and the switches go with them), and a shutdown hook does it if the JVM is
 * ended before {@code close}. End the processes running in the hosts before closing.
 */
final class NetnsLab implements AutoCloseable {

    /** The lab's /24: private, and not the machine's (which only matters to a reader; the lab is sealed off). */
    static final String SUBNET = "10.213.7";
    static final String PREFIX = "rcl-";
    private static final Pattern OURS = Pattern.compile("(" + Pattern.quote(PREFIX) + "(\\d+)-\\S+)");
    private static final long COMMAND_TIMEOUT_S = 20;
    /** A drop rule's counter in {@code nft list table}. */
    private static final Pattern DROP_COUNTER = Pattern.compile("counter packets (\\d+) bytes \\d+ drop");
    private static final AtomicInteger LABS = new AtomicInteger();

    private final String prefix;
    private final int hosts;
    private final int switches;
    private final List<String> namespaces = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetnsLab(String prefix, int hosts, int switches) {
        this.prefix = prefix;
        this.hosts = hosts;
        this.switches = switches;
        this.shutdownHook = new Thread(this::deleteNamespaces, "netns-lab-cleanup");
    }

    /** Whether this machine can build a lab, and if not, why not: for {@code Assumptions.assumeTrue}. */
    record Availability(boolean available, String reason) {
    }

    /** Checks: running as root, {@code ip} present, {@code ip netns add} works (tried, then undone). */
    static Availability availability() {
        return availability(false);
    }

    /**
     * As {@link #availability()}, and with {@code nftables} also that {@code nft} runs and can
     * add a bridge table in a namespace (tried in a probe namespace, then undone): what
     * {@link #dropFrom} and {@link #dropTo} need.
     */
    static Availability availability(boolean nftables) {
        Result uid = tryRun("id", "-u");
        if (uid.code != 0 || !uid.output.strip().equals("0")) {
            return new Availability(false, "network namespaces need root (uid is " + uid.output.strip() + ")");
        }
        Result ip = tryRun("ip", "-V");
        if (ip.code != 0) {
            return new Availability(false, "no usable `ip` command (install iproute2): " + ip.output.strip());
        }
        String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
        Result add = tryRun("ip", "netns", "add", probe);
        if (add.code != 0) {
            tryRun("ip", "netns", "delete", probe);
            return new Availability(false, "`ip netns add` fails here: " + add.output.strip());
        }
        if (nftables) {
            Result table = tryRun("ip", "netns", "exec", probe, "nft", "add", "table", "bridge", "probe");
            tryRun("ip", "netns", "delete", probe);
            if (table.code != 0) {
                return new Availability(false, "nftables unusable (install the Debian package nftables; .ci/run does as root): "
                        + table.output.strip());
            }
            return new Availability(true, "network namespaces and nftables available");
        }
        tryRun("ip", "netns", "delete", probe);
        return new Availability(true, "network namespaces available");
    }

    /** Builds {@code hosts} hosts on {@code switches} switches joined in a line; everything up. */
    static NetnsLab open(int hosts, int switches) {
        if (hosts < 1 || hosts > 250 || switches < 1 || switches > hosts) {
            throw new IllegalArgumentException(hosts + " hosts on " + switches + " switches");
        }
        deleteLeftovers();
        NetnsLab lab = new NetnsLab(PREFIX + ProcessHandle.current().pid() + "-" + LABS.incrementAndGet() + "-", hosts, switches);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build() {
        String net = addNamespace("net");
        for (int s = 1; s <= switches; s++) {
            run("ip", "-n", net, "link", "add", "br" + s, "type", "bridge");
            run("ip", "-n", net, "link", "set", "br" + s, "up");
        }
        for (int s = 1; s < switches; s++) {
            run("ip", "-n", net, "link", "add", "u" + s + "a", "type", "veth", "peer", "name", "u" + s + "b");
            plug(net, "u" + s + "a", "br" + s);
            plug(net, "u" + s + "b", "br" + (s + 1));
        }
        for (int h = 1; h <= hosts; h++) {
            String ns = addNamespace("h" + h);
            run("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "h" + h, "netns", net);
            plug(net, "h" + h, "br" + switchOf(h));
            run("ip", "-n", ns, "addr", "add", address(h) + "/24", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    private String addNamespace(String suffix) {
        String ns = prefix + suffix;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        return ns;
    }

    private static void plug(String net, String port, String bridge) {
        run("ip", "-n", net, "link", "set", port, "master", bridge);
        run("ip", "-n", net, "link", "set", port, "up");
    }

    int hosts() {
        return hosts;
    }

    /** The switch host {@code h} is plugged into, 1-based. */
    int switchOf(int host) {
        checkHost(host);
        return (host - 1) * switches / hosts + 1;
    }

    /** Host {@code h}'s address (1-based): {@code 10.213.7.h}. */
    String address(int host) {
        checkHost(host);
        return SUBNET + "." + host;
    }

    /** Host {@code h}'s namespace. */
    String namespace(int host) {
        checkHost(host);
        return prefix + "h" + host;
    }

    /** The command prefix that runs a program in host {@code h}: {@code ip netns exec <ns>}. */
    List<String> exec(int host) {
        return List.of("ip", "netns", "exec", namespace(host));
    }

    /** Takes the uplink between switch {@code s} and switch {@code s + 1} down: the network splits there. */
    void cutUplink(int s) {
        uplink(s, "down");
    }

    /** Brings the uplink between switch {@code s} and {@code s + 1} back up. */
    void healUplink(int s) {
        uplink(s, "up");
    }

    private void uplink(int s, String state) {
        if (s < 1 || s >= switches) {
            throw new IllegalArgumentException("no uplink " + s + " between " + switches + " switches");
        }
        run("ip", "-n", net(), "link", "set", "u" + s + "a", state);
        run("ip", "-n", net(), "link", "set", "u" + s + "b", state);
    }

    /** Takes host {@code h}'s switch port down: the host reaches nobody and nobody reaches it. */
    void cutHost(int host) {
        checkHost(host);
        run("ip", "-n", net(), "link", "set", "h" + host, "down");
    }

    /** Brings host {@code h}'s switch port back up. */
    void healHost(int host) {
        checkHost(host);
        run("ip", "-n", net(), "link", "set", "h" + host, "up");
    }

    /**
     * Limits host {@code h}'s link to {@code rate} (tc syntax, e.g. {@code "256kbit"}) both ways, with
     * a token bucket on its {@code eth0} (what it sends) and on its switch port (what it receives).
     */
    void throttle(int host, String rate) {
        checkHost(host);
        run(tbf(namespace(host), "eth0", rate));
        run(tbf(net(), "h" + host, rate));
    }

    /** Removes {@link #throttle}'s limit from host {@code h}'s link. */
    void unthrottle(int host) {
        checkHost(host);
        run("tc", "-n", namespace(host), "qdisc", "del", "dev", "eth0", "root");
        run("tc", "-n", net(), "qdisc", "del", "dev", "h" + host, "root");
    }

    /**
     * Drops {@code percent} % of the IPv4 packets host {@code h} sends, each chosen at random, at
     * its switch port (a bridge rule in the switches' namespace: the host sends them, the switch
     * loses them). ARP passes, so the loss stays one way: the others still learn where the host is.
     * With {@link #dropTo} at once, the link loses both ways. Ended by {@link #clearDrops}.
     */
    void dropFrom(int host, int percent) {
        drop(host, "iifname", percent);
    }

    /** Drops {@code percent} % of the IPv4 packets sent to host {@code h}, as {@link #dropFrom} does those it sends. */
    void dropTo(int host, int percent) {
        drop(host, "oifname", percent);
    }

    /** Ends {@link #dropFrom} and {@link #dropTo} on host {@code h}'s link (nothing if there were none). */
    void clearDrops(int host) {
        checkHost(host);
        tryRun("ip", "netns", "exec", net(), "nft", "delete", "table", "bridge", dropTable(host));
    }

    /** How many packets the drop rules of host {@code h} have dropped so far (0 without rules). */
    long dropped(int host) {
        checkHost(host);
        Result list = tryRun("ip", "netns", "exec", net(), "nft", "list", "table", "bridge", dropTable(host));
        long sum = 0;
        for (Matcher m = DROP_COUNTER.matcher(list.output); m.find(); ) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /**
     * One table per host ({@code bridge drops_hN}, its chain on the bridges' forward hook), so
     * clearing one host's rules is deleting its table. {@code side} is {@code iifname} (frames
     * the host's port receives from the host) or {@code oifname} (frames the port sends it).
     */
    private void drop(int host, String side, int percent) {
        checkHost(host);
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("drop " + percent + " %");
        }
        String table = dropTable(host);
        List<String> rule = new ArrayList<>(List.of(side, "h" + host, "ether", "type", "ip"));
        if (percent < 100) {
            rule.addAll(List.of("numgen", "random", "mod", "100", "<", String.valueOf(percent)));
        }
        rule.addAll(List.of("counter", "drop"));
        nft("add", "table", "bridge", table);
        nft("add", "chain", "bridge", table, "faults", "{", "type", "filter", "hook", "forward", "priority", "0;", "policy", "accept;", "}");
        nft(Stream.concat(Stream.of("add", "rule", "bridge", table, "faults"), rule.stream()).toArray(String[]::new));
    }

    /** Runs {@code nft args...} in the switches' namespace. */
    private void nft(String... args) {
        run(Stream.concat(Stream.of("ip", "netns", "exec", net(), "nft"), Stream.of(args)).toArray(String[]::new));
    }

    private static String dropTable(int host) {
        return "drops_h" + host;
    }

    private String net() {
        return prefix + "net";
    }

    private void checkHost(int host) {
        if (host < 1 || host > hosts) {
            throw new IllegalArgumentException("no host " + host + " of " + hosts);
        }
    }

    private static String[] tbf(String netns, String device, String rate) {
        // burst: what may pass at once above the rate; latency: how long a packet may wait before it is dropped
        return new String[] {"tc", "-n", netns, "qdisc", "replace", "dev", device, "root", "tbf",
            "rate", rate, "burst", "4kb", "latency", "400ms"};
    }

    /** Deletes every namespace of this lab, even when the test thread was interrupted (a timeout). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = Thread.interrupted();
        try {
            deleteNamespaces();
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook runs (or ran) anyway
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deleteNamespaces() {
        // hosts first, then the switches' namespace; deleting a namespace deletes its veth ends and their peers
        List<String> reversed = new ArrayList<>(namespaces);
        Collections.reverse(reversed);
        for (String ns : reversed) {
            tryRun("ip", "netns", "delete", ns);
        }
    }

    /** Deletes the namespaces of earlier labs whose JVM no longer runs. */
    static void deleteLeftovers() {
        Result list = tryRun("ip", "netns", "list");
        for (String line : list.output.split("\n")) {
            Matcher m = OURS.matcher(line.strip());
            if (m.lookingAt() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                tryRun("ip", "netns", "delete", m.group(1));
            }
        }
    }

    /** This lab's namespaces that exist right now (for tests of the cleanup). */
    List<String> existingNamespaces() {
        Result list = tryRun("ip", "netns", "list");
        List<String> found = new ArrayList<>();
        for (String line : list.output.split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(prefix)) {
                found.add(name);
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return hosts + " hosts on " + switches + " switches in " + prefix + "*";
    }

    private record Result(int code, String output) {
    }

    private static void run(String... command) {
        Result r = tryRun(command);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code + "): " + r.output.strip());
        }
    }

    /** Runs a command to its end (waiting through interrupts); its exit code and its output and errors together. */
    private static Result tryRun(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean interrupted = false;
            while (true) {
                try {
                    if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        return new Result(-1, "timed out: " + output);
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }
}
