package org.ringchat.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    @Test
    void stdoutReadAsBytesGivesEveryLineWhateverTheReadsCutAndLongerThanTheBuffer() throws IOException {
        String longLine = "é".repeat(JavaProcess.STDOUT_BUFFER_BYTES); // two bytes a character
        String text = "one\ntwo\r\n\n" + longLine + "\nthree\nlast without an end";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // a stream that gives at most 7 bytes a read, cutting lines and characters
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        List<String> lines = new ArrayList<>();
        JavaProcess.readByteLines(trickle, (b, from, to, nanos) -> lines.add(new String(b, from, to - from,
                StandardCharsets.UTF_8)));
        assertEquals(List.of("one", "two", "", longLine, "three", "last without an end"), lines);
    }
}
