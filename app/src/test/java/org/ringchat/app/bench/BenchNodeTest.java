package org.ringchat.app.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker's line protocol, on a ring of two members in this JVM. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class BenchNodeTest {

    private Ring ring;

    @AfterEach
    void close() {
        if (ring != null) {
            ring.close();
        }
    }

    @Test
    void membersCountTheirDeliveriesAndAgreeOnTheOrder() {
        // a ring of two, the second joining through the first
        ring = Ring.start(2, LocalMember::start, "t");
        Member leader = ring.leader();
        Member junior = ring.junior();
        Member.View view = junior.view();
        assertEquals("MEMBER", view.status());
        assertEquals(leader.name(), view.leader());
        assertEquals(List.of(leader.name(), junior.name()), view.members());
        // the same without the members, for polls of many
        assertEquals(new Member.View(view.status(), view.leader(), view.leaderAt(), List.of()), junior.leaderView());

        // the junior sends five lines of 50 characters; both members deliver them all, once, in one order
        long first = ring.expect(5);
        assertEquals("ok", junior.ask("send " + first + " 5 50 0"));
        Map<String, DeliverySummary> reports = ring.awaitDelivered(30_000);
        assertEquals(List.of(), Agreement.problems(reports, 5), reports.toString());
        assertEquals(5, junior.sentTimes().length);
        assertTrue(java.util.Arrays.stream(leader.deliveredTimes()).allMatch(t -> t != 0));

        // the next workload's ids follow on: the same five texts again would be strays
        long next = ring.expect(1);
        assertEquals(first + 5, next);
        assertEquals("ok", leader.ask("send " + first + " 1 50 0")); // an id of the last workload
        assertEquals("ok", leader.ask("send " + next + " 1 50 0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ring.reports().values().stream()
                .allMatch(DeliverySummary::complete));
        assertEquals(List.of(leader.name() + " delivered 1 messages the workload did not send (the first: id "
                + first + ", seq 6)", junior.name() + " delivered 1 messages the workload did not send (the first: id "
                + first + ", seq 6)"), Agreement.problems(ring.reports(), 1));

        assertTrue(junior.ask("nonsense").startsWith("error unknown command"));
    }

    @Test
    void awaitAnswersOnceEveryMessageIsDeliveredOrTheTimeIsUp() throws Exception {
        DeliveryRecord record = new DeliveryRecord();
        record.expect(10, 2);
        record.delivered(1, BenchText.of(10, 20), 100);
        long start = System.nanoTime();
        DeliverySummary partial = record.awaitComplete(50);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "it waited its time");
        assertEquals(1, partial.delivered());

        Thread late = new Thread(() -> record.delivered(2, BenchText.of(11, 20), 200));
        late.start();
        DeliverySummary whole = record.awaitComplete(TimeUnit.MINUTES.toMillis(1)); // seen within DeliveryRecord.AWAIT_CHECK_MS of the delivery
        assertTrue(whole.complete(), whole.line());
        assertEquals(200, whole.lastAt());
        late.join();
    }
}
