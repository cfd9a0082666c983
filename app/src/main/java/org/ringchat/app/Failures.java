package org.ringchat.app;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.ringchat.protocol.NodeAddress;
import org.ringchat.ring.ForeignProtocolException;
import org.ringchat.ring.JoinException;
import org.ringchat.ring.NameRefusedException;

/** Turns what went wrong into the one line a user sees after {@code error: }. */
final class Failures {

    private Failures() {
    }

    /** Why a node could not start or join. */
    static String describe(Throwable error, NodeAddress address) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException || isBindFailure(t)) {
                // Netty's epoll transport: "bind(..) failed with error(-99): Cannot assign requested address"
                String why = String.valueOf(t.getMessage()).replaceFirst("^bind\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "");
                if (why.toLowerCase().contains("in use")) {
                    return "port " + address.port() + " is already in use on " + address.host();
                }
                return "cannot listen on " + address + ": " + why;
            }
            if (t instanceof ForeignProtocolException) {
                return t.getMessage() + " Check -na/--peer-address and -np/--peer-port";
            }
            if (t instanceof JoinException) {
                return describe(t);
            }
        }
        return describe(error);
    }

    /** Any other failure: the innermost message worth showing, and what to do about a refused name. */
    static String describe(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof NameRefusedException) {
            return t.getMessage() + "; choose another name with -n";
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    /**
     * What the operating system said about a file: {@code Permission denied}, {@code Read-only file
     * system}, {@code Not a directory}... (Java puts only the path in the message of some of them).
     */
    static String reason(IOException error) {
        if (error instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (error instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (error instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (error instanceof FileAlreadyExistsException) {
            return "Not a directory"; // a directory was wanted where a file is
        }
        return describe(error);
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Native transports report bind errors as their own exception types. */
    private static boolean isBindFailure(Throwable t) {
        String message = t.getMessage();
        return message != null && message.startsWith("bind(..) failed");
    }
}
