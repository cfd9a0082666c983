package org.ringchat.ring.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * A node's mutual-TLS identity: its certificate chain and private key (PEM, the key in PKCS#8),
 * and the CA that signs every member's certificate. Every link is then TLS 1.3 both ways: a peer
 * whose certificate the CA did not sign is refused, and a peer's certificate must name the address
 * it claims (an IP address among its subject alternative names) and its name (the common name).
 */
public record TlsFiles(Path certificate, Path key, Path ca) {

    public TlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ca, "ca");
    }

    /** The server side (connections this node accepts): a client certificate is required. */
    SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    .trustManager(ca.toFile()).clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS files: " + e.getMessage(), e);
        }
    }

    /** The client side (links this node opens). */
    SslContext clientContext() {
        try {
            return SslContextBuilder.forClient().keyManager(certificate.toFile(), key.toFile())
                    .trustManager(ca.toFile()).protocols("TLSv1.3").build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS files: " + e.getMessage(), e);
        }
    }

    /** Reads and checks the files; an {@link IllegalArgumentException} saying what is wrong otherwise. */
    public void check() {
        serverContext();
        clientContext();
    }
}
