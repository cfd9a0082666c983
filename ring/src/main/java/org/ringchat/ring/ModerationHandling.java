package org.ringchat.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.View;
import org.ringchat.ring.core.Names;

/**
 * The leader's directives ({@link Moderation}). The state they change (who is silenced, which
 * names are banned) is part of the leader's view, so every member holds it and a new leader
 * carries it on; the leader enforces it: it orders a silenced member's lines with no text, and
 * refuses a banned name at admission. Only the current leader moderates.
 */
final class ModerationHandling {

    private final NodeEffects fx;
    private final ViewHandling ring;

    ModerationHandling(NodeEffects fx, ViewHandling ring) {
        this.fx = fx;
        this.ring = ring;
    }

    /** Applies {@code action} to {@code name}; throws, saying why, when it cannot. */
    void moderate(Moderation action, String name) {
        if (!ring.isLeader() || ring.status() != RingView.Status.MEMBER) {
            View view = ring.inRing() ? ring.view() : null;
            String leader = view == null ? "none" : view.member(view.leader()).map(Member::display).orElse("none");
            throw new IllegalStateException("only the leader's directives count (the leader is " + leader + ")");
        }
        View view = ring.view();
        List<String> silenced = new ArrayList<>(view.silenced());
        List<String> banned = new ArrayList<>(view.banned());
        switch (action) {
            case SILENCE -> {
                Member m = member(view, name);
                if (view.isSilenced(m.name())) {
                    throw new IllegalArgumentException(m.name() + " is already silenced");
                }
                silenced.add(m.name());
            }
            case UNSILENCE -> {
                if (!silenced.removeIf(n -> same(n, name))) {
                    throw new IllegalArgumentException(name + " is not silenced");
                }
            }
            case REMOVE -> {
                Member m = member(view, name);
                // out first (it hears its own departure and stops), then its name banned
                ring.remove(Map.of(m.address(), Departure.Reason.REMOVED));
                // and disconnected, once its departure has had time to reach it (a close now could drop it)
                fx.schedule("DisconnectRemovedTask", fx.config.probeTimeoutMs(), () -> {
                    if (!ring.inRing() || !ring.contains(m.address())) {
                        fx.disconnect(m.address());
                    }
                });
                view = ring.view();
                silenced.removeIf(n -> same(n, m.name()));
                banned.add(m.name());
            }
            case UNBAN -> {
                if (!banned.removeIf(n -> same(n, name))) {
                    throw new IllegalArgumentException(name + " is not banned");
                }
            }
        }
        ring.publish(view.withModeration(silenced, banned), List.of());
    }

    /** Whether two names are the same name, whatever their case (Unicode's caseless match, as for uniqueness). */
    private static boolean same(String a, String b) {
        return Names.Key.of(a).clash(Names.Key.of(b)) == Names.Clash.SAME;
    }

    /** The member called {@code name} (whatever its case), other than this leader. */
    private Member member(View view, String name) {
        Optional<Member> found = view.members().stream().filter(m -> same(m.name(), name)).findFirst();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no member is called " + name);
        }
        if (found.get().address().equals(fx.self())) {
            throw new IllegalArgumentException("the leader cannot do that to itself");
        }
        return found.get();
    }
}
