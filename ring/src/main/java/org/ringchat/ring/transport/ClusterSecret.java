package org.ringchat.ring.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every member of a ring shares. It never travels: each connection proves knowledge
 * of it in a challenge–response over fresh nonces ({@link SecureChannelHandler}), and derives from
 * it, and from those nonces, the keys that encrypt and authenticate that connection's frames. The
 * bytes given are hashed once into the key used here; what is kept is that hash, never the text.
 */
public final class ClusterSecret {

    /** Fewest bytes a secret may have: shorter ones are too easy to guess offline from a recorded handshake. */
    public static final int MIN_BYTES = 16;

    private final byte[] key;

    private ClusterSecret(byte[] key) {
        this.key = key;
    }

    /** From the secret's bytes (a file's contents, trailing line breaks removed, or an environment variable). */
    public static ClusterSecret of(byte[] secret) {
        int end = secret.length;
        while (end > 0 && (secret[end - 1] == '\n' || secret[end - 1] == '\r')) {
            end--;
        }
        if (end < MIN_BYTES) {
            throw new IllegalArgumentException("the secret is too short: at least " + MIN_BYTES + " bytes");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("ringchat secret v1".getBytes(StandardCharsets.US_ASCII));
            sha.update(secret, 0, end);
            return new ClusterSecret(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** HMAC-SHA256 under the secret of a label and some parts. */
    byte[] mac(String label, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** Never the secret, in any log line. */
    @Override
    public String toString() {
        return "ClusterSecret[hidden]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSecret other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }
}
