package org.ringchat.ring.sim;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.NodeAddress;

/**
 * Every address one node has heard of: its own, the one it joined through, and each address in a
 * frame it read. A node can only ever connect to (probe, merge with, rejoin through) an address it
 * heard of, so live nodes that fall into sets none of whose members heard of a member of another
 * set can never form one ring ({@link #apart}): a partition that outlasted every node that knew
 * both sides. The set is larger than what the node remembers (it forgets), never smaller, so the
 * simulation expects one ring unless not even this can join them.
 */
final class HeardOf {

    /** Record components per class that may hold an address; a class without any maps to an empty list. */
    private static final Map<Class<?>, List<RecordComponent>> COMPONENTS = new HashMap<>();

    private final Set<NodeAddress> addresses = new TreeSet<>();

    HeardOf(NodeAddress self, NodeAddress joinVia) {
        addresses.add(self);
        if (joinVia != null) {
            addresses.add(joinVia);
        }
    }

    /**
     * A frame this node read. Chat, heartbeats and pings carry no address but their sender's, and
     * are most frames: they are not searched.
     */
    void read(Envelope envelope) {
        addresses.add(envelope.from());
        Message m = envelope.message();
        if (m instanceof Message.ChatDeliver || m instanceof Message.ChatSubmit || m instanceof Message.ChatAck
                || m instanceof Message.Heartbeat || m instanceof Message.Ping || m instanceof Message.Pong) {
            return;
        }
        collect(m, addresses, 0);
    }

    boolean heard(NodeAddress address) {
        return addresses.contains(address);
    }

    /**
     * The nodes, in sets joined by "one heard of the other" (either way); one set when they can
     * all reach each other. In node order.
     */
    static List<List<SimNode>> apart(List<SimNode> nodes) {
        List<List<SimNode>> sets = Components.of(nodes, (a, b) -> a.heardOf.heard(b.address));
        sets.forEach(set -> set.sort((x, y) -> Integer.compare(x.index, y.index)));
        return sets;
    }

    private static void collect(Object o, Set<NodeAddress> out, int depth) {
        if (o == null || depth > 8 || o instanceof Message.ChatDeliver) {
            return; // (a history's lines, in catch-ups and joins: their senders are members the frame names anyway)
        }
        if (o instanceof NodeAddress a) {
            out.add(a);
        } else if (o instanceof Collection<?> c) {
            c.forEach(e -> collect(e, out, depth + 1));
        } else if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                collect(k, out, depth + 1);
                collect(v, out, depth + 1);
            });
        } else if (o instanceof Optional<?> opt) {
            opt.ifPresent(v -> collect(v, out, depth + 1));
        } else if (o.getClass().isRecord()) {
            for (RecordComponent rc : components(o.getClass())) {
                try {
                    collect(rc.getAccessor().invoke(o), out, depth + 1);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + rc + " of " + o.getClass(), e);
                }
            }
        }
    }

    private static synchronized List<RecordComponent> components(Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, t -> {
            List<RecordComponent> out = new ArrayList<>();
            for (RecordComponent rc : t.getRecordComponents()) {
                Class<?> c = rc.getType();
                if (!c.isPrimitive() && c != String.class && !c.isEnum() && !Number.class.isAssignableFrom(c)) {
                    rc.getAccessor().setAccessible(true);
                    out.add(rc);
                }
            }
            return List.copyOf(out);
        });
    }
}
