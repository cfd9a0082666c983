package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.BindException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.JoinException;
import org.ringchat.ring.NameRefusedException;

class FailuresTest {

    private static final NodeAddress ME = new NodeAddress("127.0.0.1", 5000);

    @Test
    void bindFailureAnywhereInTheChainSaysThePortIsInUse() {
        Throwable e = new ExecutionException(new CompletionException(new BindException("Address already in use")));
        assertEquals("port 5000 is already in use on 127.0.0.1", Failures.describe(e, ME));
        assertEquals("cannot listen on 127.0.0.1:5000: Cannot assign requested address",
                Failures.describe(new BindException("Cannot assign requested address"), ME));
        // Netty's epoll transport says it in an IOException of its own
        assertEquals("port 5000 is already in use on 127.0.0.1", Failures.describe(
                new java.io.IOException("bind(..) failed with error(-98): Address already in use"), ME));
        assertEquals("cannot listen on 127.0.0.1:5000: Cannot assign requested address", Failures.describe(
                new java.io.IOException("bind(..) failed with error(-99): Cannot assign requested address"), ME));
    }

    @Test
    void joinFailureKeepsItsMessage() {
        Throwable e = new ExecutionException(new JoinException("nobody is listening at 127.0.0.1:5999"));
        assertEquals("nobody is listening at 127.0.0.1:5999", Failures.describe(e, ME));
    }

    @Test
    void aRefusedNameSaysWhatToDo() {
        Throwable e = new CompletionException(new NameRefusedException(
                "join refused by 127.0.0.1:5001: the name 'BOB' is taken by bob(127.0.0.1:5002)"));
        assertEquals("join refused by 127.0.0.1:5001: the name 'BOB' is taken by bob(127.0.0.1:5002);"
                + " choose another name with -n", Failures.describe(e, ME));
        // a node removed while hung whose name was taken meanwhile stops the same way, after joining
        Throwable later = new CompletionException(new NameRefusedException("removed from the ring, and cannot rejoin:"
                + " join refused by 127.0.0.1:5001: the name 'bob' is taken by BOB(127.0.0.1:5009)"));
        assertEquals("removed from the ring, and cannot rejoin: join refused by 127.0.0.1:5001: the name 'bob' is taken by"
                + " BOB(127.0.0.1:5009); choose another name with -n", Failures.describe(later));
    }

    @Test
    void otherFailuresShowTheInnermostMessageOrType() {
        assertEquals("boom", Failures.describe(new ExecutionException(new IllegalStateException("boom")), ME));
        assertEquals("IllegalStateException", Failures.describe(new IllegalStateException()));
    }
}
