package org.ringchat.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's correctness check over every member's {@link DeliverySummary}: every member
 * delivered every message of the workload exactly once, nothing else, and all in one order.
 */
final class Agreement {

    private Agreement() {
    }

    /** What is wrong, one line per problem; empty when the members agree. */
    static List<String> problems(Map<String, DeliverySummary> byMember, int expected) {
        List<String> problems = new ArrayList<>();
        if (byMember.isEmpty()) {
            problems.add("no member reported");
        }
        Map<Long, List<String>> byDigest = new LinkedHashMap<>();
        byMember.forEach((name, s) -> {
            if (s.expected() != expected) {
                problems.add(name + " expected " + s.expected() + " messages, not " + expected);
            }
            if (s.delivered() != expected) {
                problems.add(name + " delivered " + s.delivered() + " of " + expected + " messages");
            }
            if (s.duplicates() > 0) {
                problems.add(name + " delivered " + s.duplicates() + " messages twice");
            }
            if (s.foreign() > 0) {
                problems.add(name + " delivered " + s.foreign() + " messages the workload did not send (the first: "
                        + (s.foreignId() < 0 ? "not a bench line" : "id " + s.foreignId()) + ", seq " + s.foreignSeq()
                        + ")");
            }
            if (s.disorder() > 0) {
                problems.add(name + " delivered " + s.disorder() + " messages out of sequence order");
            }
            byDigest.computeIfAbsent(s.digest(), d -> new ArrayList<>()).add(name);
        });
        if (byDigest.size() > 1) {
            problems.add("members delivered different orders: " + byDigest.values());
        }
        return problems;
    }
}
