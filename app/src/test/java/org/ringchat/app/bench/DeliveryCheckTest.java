package org.ringchat.app.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's exactly-once and one-order check: {@link BenchText}, {@link DeliveryRecord}, {@link Agreement}. */
class DeliveryCheckTest {

    @Test
    void aTextCarriesItsIdAndHasTheSizeAsked() {
        assertEquals(100, BenchText.of(42, 100).length());
        assertEquals(42, BenchText.id(BenchText.of(42, 100)));
        // a size too small for the id: the id alone
        assertEquals("b123456", BenchText.of(123456, 3));
        assertEquals(123456, BenchText.id("b123456"));
        // anything else is not a bench message
        assertEquals(-1, BenchText.id("hello"));
        assertEquals(-1, BenchText.id("b"));
        assertEquals(-1, BenchText.id("b12x"));
        assertEquals(-1, BenchText.id("b99999999999999999999999"));
        // as bytes, the same text; read back from bytes, the same id
        byte[] out = new byte[101];
        for (long id : new long[] {0, 42, 123456, Long.MAX_VALUE}) {
            for (int size : new int[] {1, 3, 100}) {
                int length = BenchText.of(id, size, out);
                String text = new String(out, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
                assertEquals(BenchText.of(id, size), text);
                String line = "> a(127.0.0.1:1)[7]: " + text;
                byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                AsciiView view = new AsciiView().of(bytes, 0, bytes.length);
                assertEquals(BenchText.id(text), BenchText.id(view, PipeWorkload.chatText(view, 0)));
            }
        }
    }

    @Test
    void membersThatDeliveredEverythingOnceInOneOrderAgree() {
        Map<String, DeliverySummary> members = Map.of(
                "a", deliver(3, new long[] {1, 2, 3}, 0, 2, 1),
                "b", deliver(3, new long[] {1, 2, 3}, 0, 2, 1));
        assertEquals(List.of(), Agreement.problems(members, 3));
    }

    @Test
    void aMissingMessageIsFound() {
        Map<String, DeliverySummary> members = ordered(
                "a", deliver(3, new long[] {1, 2, 3}, 0, 2, 1),
                "b", deliver(3, new long[] {1, 2}, 0, 2));
        List<String> problems = Agreement.problems(members, 3);
        assertTrue(problems.contains("b delivered 2 of 3 messages"), problems.toString());
    }

    @Test
    void aDuplicateIsFoundEvenWithTheRightCountOfLines() {
        // b delivered id 0 twice (seq 1 and 3) and never id 1
        DeliveryRecord b = new DeliveryRecord();
        b.expect(0, 2);
        b.delivered(1, BenchText.of(0, 10), 10);
        b.delivered(2, BenchText.of(0, 10), 11);
        List<String> problems = Agreement.problems(ordered("a", deliver(2, new long[] {1, 2}, 0, 1), "b", b.summary()), 2);
        assertTrue(problems.contains("b delivered 1 messages twice"), problems.toString());
        assertTrue(problems.contains("b delivered 1 of 2 messages"), problems.toString());
    }

    @Test
    void anotherOrderIsFound() {
        Map<String, DeliverySummary> members = ordered(
                "a", deliver(2, new long[] {1, 2}, 0, 1),
                "b", deliver(2, new long[] {1, 2}, 1, 0));
        assertEquals(List.of("members delivered different orders: [[a], [b]]"), Agreement.problems(members, 2));
    }

    @Test
    void theSameOrderUnderOtherSequenceNumbersIsAnotherOrder() {
        // every member must number the ring's order the same way
        Map<String, DeliverySummary> members = ordered(
                "a", deliver(2, new long[] {1, 2}, 0, 1),
                "b", deliver(2, new long[] {5, 6}, 0, 1));
        assertEquals(1, Agreement.problems(members, 2).size());
    }

    @Test
    void sequenceNumbersGoingBackAndForeignMessagesAreFound() {
        DeliveryRecord r = new DeliveryRecord();
        r.expect(0, 2);
        r.delivered(5, BenchText.of(0, 10), 1);
        r.delivered(4, BenchText.of(1, 10), 2);
        r.delivered(6, "not ours", 3);
        r.delivered(7, BenchText.of(2, 10), 4); // beyond the ids expected
        List<String> problems = Agreement.problems(Map.of("a", r.summary()), 2);
        assertEquals(List.of("a delivered 2 messages the workload did not send (the first: not a bench line, seq 6)",
                "a delivered 1 messages out of sequence order"), problems);
    }

    @Test
    void aLateDeliveryOfAnEarlierWorkloadsMessageIsNoMatch() {
        // the ring's second workload has ids 10 and 11; id 3 is the first workload's
        DeliveryRecord r = new DeliveryRecord();
        r.expect(10, 2);
        r.delivered(1, BenchText.of(10, 10), 1);
        r.delivered(2, BenchText.of(3, 10), 2);
        r.delivered(3, BenchText.of(11, 10), 3);
        assertEquals(List.of("a delivered 1 messages the workload did not send (the first: id 3, seq 2)"),
                Agreement.problems(Map.of("a", r.summary()), 2));
    }

    @Test
    void expectForgetsTheLastWorkload() {
        DeliveryRecord r = new DeliveryRecord();
        r.expect(0, 1);
        r.delivered(1, BenchText.of(0, 10), 1);
        r.expect(0, 1);
        DeliveryRecord never = new DeliveryRecord();
        never.expect(0, 1);
        assertEquals(never.summary(), r.summary());
    }

    @Test
    void aSummaryTravelsAsOneLine() {
        DeliverySummary s = deliver(3, new long[] {7, 8, 9}, 2, 0, 1);
        assertEquals(s, DeliverySummary.parse(s.line()));
        assertTrue(s.line().startsWith("summary 3 3 0 0 0 "), s.line());
    }

    @Test
    void timesSayWhenEachIdWasSentAndDelivered() {
        DeliveryRecord r = new DeliveryRecord();
        r.expect(0, 3);
        r.sent(1, 100);
        r.delivered(1, BenchText.of(1, 10), 250);
        assertArrayEquals(new long[] {0, 250, 0}, r.deliveredTimes());
        assertArrayEquals(new long[] {0, 100, 0}, r.sentTimes());
        // an id's latency is the slowest member's delivery minus its send; ids not delivered everywhere are left out
        long[] other = {0, 300, 400};
        long[] sent = DeliveryRecord.merge(List.of(r.sentTimes(), new long[] {0, 0, 50}));
        assertArrayEquals(new long[] {0, 100, 50}, sent);
        assertArrayEquals(new long[] {200}, DeliveryRecord.latencies(List.of(r.deliveredTimes(), other), sent));
    }

    /** A member's summary after delivering ids {@code ids} under sequence numbers {@code seqs}, in that order. */
    private static DeliverySummary deliver(int expected, long[] seqs, long... ids) {
        DeliveryRecord r = new DeliveryRecord();
        r.expect(0, expected);
        for (int i = 0; i < ids.length; i++) {
            r.delivered(seqs[i], BenchText.of(ids[i], 20), 1000 + i);
        }
        return r.summary();
    }

    private static Map<String, DeliverySummary> ordered(String a, DeliverySummary sa, String b, DeliverySummary sb) {
        Map<String, DeliverySummary> m = new LinkedHashMap<>();
        m.put(a, sa);
        m.put(b, sb);
        return m;
    }
}
