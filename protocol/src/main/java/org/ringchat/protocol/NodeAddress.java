package org.ringchat.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * Where a node listens: its identity on the ring. Written on the wire as {@code "host:port"}
 * ({@code "[::1]:5000"} for IPv6 hosts).
 */
public record NodeAddress(String host, int port) implements Comparable<NodeAddress> {

    public NodeAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port} or {@code [v6host]:port}. */
    @JsonCreator
    public static NodeAddress parse(String text) {
        Objects.requireNonNull(text, "address");
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not host:port: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("IPv6 host must be in brackets, e.g. [::1]:5000: " + text);
        }
        try {
            return new NodeAddress(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text, e);
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /*
     * equals and hashCode by hand: a record's own go through a method handle that the JIT inlines
     * late, and addresses are compared and hashed for every message (issue 10's profile: 6-8 % of
     * a sending member's loop while the bench ran). The same values as the record's, so the
     * order of hash sets and maps, and with it every simulated run, is unchanged.
     */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeAddress a && port == a.port && host.equals(a.host);
    }

    @Override
    public int hashCode() {
        return 31 * host.hashCode() + port;
    }

    @Override
    public int compareTo(NodeAddress o) {
        int c = host.compareTo(o.host);
        return c != 0 ? c : Integer.compare(port, o.port);
    }
}
