package org.ringchat.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up's examples are valid messages that survive the codec, and it runs once per JVM. */
class CodecWarmUpTest {

    @Test
    void everyExampleSurvivesTheCodec() {
        assertDoesNotThrow(CodecWarmUp::exercise);
    }

    @Test
    void runsOncePerJvm() {
        CodecWarmUp.run();
        assertTrue(CodecWarmUp.started());
        assertDoesNotThrow(CodecWarmUp::run); // returns at once
    }
}
