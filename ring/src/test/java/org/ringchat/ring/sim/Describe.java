package org.ringchat.ring.sim;

import java.util.List;
import java.util.stream.Collectors;
import org.ringchat.protocol.Departure;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Member;
import org.ringchat.protocol.Message;
import org.ringchat.protocol.Message.ChatDeliver;
import org.ringchat.protocol.View;
import org.ringchat.ring.RingView;

/** Short, name-based renderings of frames and views for the trace. */
final class Describe {

    private Describe() {
    }

    static String message(Envelope e, Trace t) {
        return body(e.message(), t) + " T" + e.lamport();
    }

    private static String body(Message m, Trace t) {
        if (m instanceof ChatDeliver d) {
            return "ChatDeliver(#" + d.seq() + " term " + d.term() + " " + d.text() + " id " + d.msgId() + ")";
        } else if (m instanceof Message.ChatSubmit s) {
            return "ChatSubmit(id " + s.msgId() + " " + s.text() + ")";
        } else if (m instanceof Message.Heartbeat h) {
            return "Heartbeat(t" + h.term() + "v" + h.version() + ")";
        } else if (m instanceof Message.MembershipUpdate u) {
            return "MembershipUpdate(" + view(u.view(), t) + departed(u.departed()) + ")";
        } else if (m instanceof Message.MembershipChange c) {
            return "MembershipChange(t" + c.baseTerm() + "v" + c.baseVersion() + " -> t" + c.term() + "v" + c.version()
                    + " leader " + t.name(c.leader()) + " joined "
                    + c.joined().stream().map(Member::name).collect(Collectors.joining(",", "[", "]"))
                    + departed(c.departed()) + ")";
        } else if (m instanceof Message.NotMember n) {
            return "NotMember(" + view(n.view(), t) + ")";
        } else if (m instanceof Message.JoinAccepted a) {
            return "JoinAccepted(rank " + a.you().rank() + " " + view(a.view(), t) + " next id " + a.nextMsgId()
                    + " history " + a.history().size() + ")";
        } else if (m instanceof Message.JoinRequest r) {
            return "JoinRequest(" + r.name() + " after #" + r.afterSeq() + ")";
        } else if (m instanceof Message.Election e) {
            return "Election(" + t.name(e.candidate().address()) + " rank " + e.candidate().rank() + " term " + e.term() + ")";
        } else if (m instanceof Message.Elected e) {
            return "Elected(" + t.name(e.leader().address()) + " term " + e.term() + ")";
        } else if (m instanceof Message.SyncRequest s) {
            return "SyncRequest(term " + s.term() + " after #" + s.afterSeq() + ")";
        } else if (m instanceof Message.SyncReply s) {
            return "SyncReply(term " + s.term() + " delivered #" + s.deliveredSeq() + " entries "
                    + s.entries().stream().map(d -> "#" + d.seq()).collect(Collectors.joining(",")) + ")";
        } else if (m instanceof Message.Probe p) {
            return "Probe(" + t.name(p.target()) + " nonce " + p.nonce() + ")";
        } else if (m instanceof Message.ProbeResult p) {
            return "ProbeResult(" + t.name(p.target()) + " alive " + p.alive() + ")";
        } else if (m instanceof Message.Suspect s) {
            return "Suspect(" + t.name(s.suspect()) + (s.connectionLost() ? " connection lost" : "") + ")";
        } else if (m instanceof Message.Pong p) {
            return "Pong(nonce " + p.nonce() + " t" + p.term() + "v" + p.version() + ")";
        } else if (m instanceof Message.Ping p) {
            return "Ping(nonce " + p.nonce() + ")";
        } else if (m instanceof Message.MergeHandover h) {
            return "MergeHandover(" + h.ring() + ", invite " + h.invite() + ", base #" + h.base() + ", " + h.entries().size() + " entries"
                    + (h.entries().isEmpty() ? "" : " #" + h.entries().get(0).seq() + "..#"
                            + h.entries().get(h.entries().size() - 1).seq()) + (h.last() ? ", last" : "") + ")";
        } else if (m instanceof Message.RingMerged r) {
            return "RingMerged(" + view(r.view(), t) + ", rewind to #" + r.rewindTo() + ", " + r.entries().size()
                    + " entries" + (r.last() ? ", last" : "") + ")";
        }
        return m.toString();
    }

    static String view(View v, Trace t) {
        return "t" + v.term() + "v" + v.version() + " leader " + t.name(v.leader()) + " "
                + v.members().stream().map(Member::name).collect(Collectors.joining(",", "[", "]"));
    }

    private static String departed(List<Departure> departed) {
        if (departed.isEmpty()) {
            return "";
        }
        return " departed " + departed.stream().map((Departure d) -> d.member().name() + ":" + d.reason())
                .collect(Collectors.joining(","));
    }

    static String view(RingView v) {
        return v.status() + " leader " + (v.leader() == null ? "-" : v.leader().name()) + " term " + v.term()
                + " members " + v.members().stream().map(m -> m.name() + "#" + m.rank()).collect(Collectors.joining(",", "[", "]"))
                + " next " + v.next().name() + " prev " + v.previous().name()
                + " delivered #" + v.deliveredSeq() + " unconfirmed " + v.unconfirmed();
    }
}
