package org.ringchat.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The extra JVM flags of the bench's child processes ({@code RINGCHAT_BENCH_JVM_FLAGS}). */
class JavaProcessTest {

    @Test
    void extraFlagsAreSplitOnSpacesAndNameTheChild() {
        assertEquals(List.of("-Xlog:jfr+startup=error", "-XX:StartFlightRecording=filename=/tmp/jfr/n2.jfr"),
                JavaProcess.extraJvmFlags("  -Xlog:jfr+startup=error   -XX:StartFlightRecording=filename=/tmp/jfr/{name}.jfr ", "n2"));
        assertEquals(List.of(), JavaProcess.extraJvmFlags(null, "n1"));
        assertEquals(List.of(), JavaProcess.extraJvmFlags(" ", "n1"));
    }
}
