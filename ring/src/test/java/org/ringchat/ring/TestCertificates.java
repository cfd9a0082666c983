package org.ringchat.ring;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ringchat.ring.transport.TlsFiles;

/**
 * A certificate authority made at test time, and node certificates it signs (CN = the node's name,
 * an IP address as subject alternative name), written as PEM files the way {@code openssl} would.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;

    /** A new CA whose files go to {@code dir}. */
    public TestCertificates(Path dir, String caName) {
        try {
            this.dir = Files.createDirectories(dir);
            this.caKeys = keys();
            X500Name subject = new X500Name("CN=" + caName);
            JcaX509v3CertificateBuilder b = builder(subject, subject, caKeys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            this.ca = sign(b, caKeys.getPrivate());
            this.caFile = write(caName + "-ca.pem", ca);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path caFile() {
        return caFile;
    }

    /** A certificate for {@code name} at {@code ip}, signed by this CA. */
    public TlsFiles node(String name, String ip) {
        try {
            KeyPair keys = keys();
            JcaX509v3CertificateBuilder b = builder(new X500Name("CN=" + ca.getSubjectX500Principal().getName().substring(3)),
                    new X500Name("CN=" + name), keys);
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
            X509Certificate cert = sign(b, caKeys.getPrivate());
            Path certFile = write(name + ".pem", cert);
            Path keyFile = writeKey(name + ".key", keys.getPrivate());
            return new TlsFiles(certFile, keyFile, caFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey issuerKey) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private Path write(String file, Object pem) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(pem);
        }
        return Files.writeString(dir.resolve(file), text.toString());
    }

    private Path writeKey(String file, PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(new JcaPKCS8Generator(key, null));
        }
        return Files.writeString(dir.resolve(file), text.toString());
    }
}
