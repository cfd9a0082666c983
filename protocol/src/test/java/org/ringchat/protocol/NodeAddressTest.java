package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class NodeAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:5000      | 127.0.0.1      | 5000",
        "localhost:1         | localhost      | 1",
        "node-b.example:65535| node-b.example | 65535",
        "host:0              | host           | 0",
        "[::1]:5000          | ::1            | 5000",
        "[fe80::1%eth0]:7000 | fe80::1%eth0   | 7000",
        "[2001:db8::7]:80    | 2001:db8::7    | 80",
    })
    void parsesHostAndPortAndFormatsBackTheSame(String text, String host, int port) {
        // parse splits at the last colon and unwraps a bracketed IPv6 host
        NodeAddress address = NodeAddress.parse(text);
        assertEquals(new NodeAddress(host, port), address);

        // formatting gives back the text it came from
        assertEquals(text, address.toString());
    }

    @Test
    void ipv6HostIsFormattedInBrackets() {
        assertEquals("[::1]:5000", new NodeAddress("::1", 5000).toString());
        assertEquals("10.0.0.1:5000", new NodeAddress("10.0.0.1", 5000).toString());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "",
        "host",
        "host:",
        ":5000",
        "host:port",
        "host:50 00",
        "host:-1",
        "host:65536",
        "host:99999999999",
        "[]:5000",
        "[::1]",
        "[::1]:",
        "::1",
        "fe80::1",
        "::1:5000",
        "[::1:5000",
    })
    void badTextIsRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse(text));
    }

    @Test
    void nullTextIsRejected() {
        assertThrows(NullPointerException.class, () -> NodeAddress.parse(null));
    }

    @Test
    void constructorRejectsEmptyHostAndPortsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new NodeAddress("", 5000));
        assertThrows(IllegalArgumentException.class, () -> new NodeAddress("h", -1));
        assertThrows(IllegalArgumentException.class, () -> new NodeAddress("h", 65536));
        assertThrows(NullPointerException.class, () -> new NodeAddress(null, 5000));

        // both ends of the port range are fine
        assertEquals(0, new NodeAddress("h", 0).port());
        assertEquals(65535, new NodeAddress("h", 65535).port());
    }

    @Test
    void orderIsByHostThenPortAndAgreesWithEquals() {
        // sorted: host first, then port numerically (not as text)
        List<NodeAddress> sorted = new ArrayList<>(List.of(
                NodeAddress.parse("b:1"), NodeAddress.parse("a:10000"),
                NodeAddress.parse("a:9"), NodeAddress.parse("a:10")));
        sorted.sort(null);
        assertEquals(List.of(NodeAddress.parse("a:9"), NodeAddress.parse("a:10"),
                NodeAddress.parse("a:10000"), NodeAddress.parse("b:1")), sorted);

        // compareTo is zero exactly for equal addresses
        assertEquals(0, NodeAddress.parse("a:9").compareTo(new NodeAddress("a", 9)));
        assertTrue(NodeAddress.parse("a:9").compareTo(NodeAddress.parse("a:10")) < 0);
    }
}
