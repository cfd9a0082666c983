package org.ringchat.app.bench;

/** A workload cannot go on: a member did not answer, or a condition was not met in time. */
final class BenchFailure extends RuntimeException {

    BenchFailure(String message) {
        super(message);
    }
}
