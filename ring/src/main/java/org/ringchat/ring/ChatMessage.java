package org.ringchat.ring;

import org.ringchat.protocol.Member;

/**
 * A chat message as delivered, in the ring's total order.
 *
 * @param seq position in the ring's total order (1, 2, 3, … across leader changes)
 * @param sender who wrote it
 * @param msgId the sender's own number for it
 * @param stamp the Lamport time the leader stamped when it ordered the message: the same at
 *     every member, growing with {@code seq}
 * @param lamport this node's Lamport clock right after delivering it
 * @param room the room it was sent to
 * @param wallClockMs the leader's wall clock when it ordered the message (ms since the epoch; 0 if unknown)
 */
public record ChatMessage(long seq, Member sender, long msgId, String text, long stamp, long lamport, String room,
        long wallClockMs) {

    /** {@code Name(IP:port)[T]: text}, as every member shows it. */
    public String line() {
        return sender.display() + "[" + stamp + "]: " + text;
    }
}
