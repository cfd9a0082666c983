package org.ringchat.ring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ringchat.protocol.WireFormat;

/**
 * A connection between two holders of the {@link ClusterSecret}. Before anything else, each side
 * sends a fresh 32-byte nonce; on the other's nonce, each sends an HMAC under the secret of its
 * role and both nonces; each checks the other's. A peer without the secret fails there, learns
 * nothing (no frame of the ring is sent before), and is closed with a WARN line. Then every frame
 * body is encrypted and authenticated with AES-256-GCM, under a key per direction derived from
 * the secret and both nonces, and a frame counter as the GCM nonce: a passive listener learns
 * nothing, and a frame injected, changed, replayed or reordered fails to decrypt and closes the
 * connection.
 *
 * <p>Sits between the frame decoder (frame bodies in) and the envelope codec (whole frames out);
 * what the node writes before the handshake is done waits here, in order.
 */
final class SecureChannelHandler extends ChannelDuplexHandler {

    /** Bytes a GCM tag adds to every frame body. */
    static final int TAG_BYTES = 16;
    private static final int NONCE_BYTES = 32;
    private static final byte[] MAGIC = {'R', 'C', 'S', '1'};
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Whether {@code bytes}, the first to arrive on a connection, may be the start of a challenge
     * (its length, then the magic), as far as they go. Does not move the reader index.
     */
    static boolean mayBeChallenge(ByteBuf bytes) {
        byte[] start = new byte[WireFormat.LENGTH_BYTES + MAGIC.length];
        start[WireFormat.LENGTH_BYTES - 1] = (byte) (MAGIC.length + NONCE_BYTES);
        System.arraycopy(MAGIC, 0, start, WireFormat.LENGTH_BYTES, MAGIC.length);
        int n = Math.min(start.length, bytes.readableBytes());
        for (int i = 0; i < n; i++) {
            if (bytes.getByte(bytes.readerIndex() + i) != start[i]) {
                return false;
            }
        }
        return true;
    }

    /** What the node hears of a handshake that failed on a link it opened. */
    interface Failure {
        void authenticationFailed(String why);
    }

    private enum Phase {
        /** Waiting for the peer's nonce. */
        CHALLENGED,
        /** Sent our proof; waiting for the peer's. */
        PROVING,
        /** Both proved: frames flow, encrypted. */
        OPEN
    }

    private final ClusterSecret secret;
    private final boolean opener;
    private final Failure failure;
    private final byte[] ownNonce = new byte[NONCE_BYTES];
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private Phase phase = Phase.CHALLENGED;
    private byte[] peerNonce;
    private Cipher sealer;
    private Cipher opener0;
    private SecretKeySpec sealKey;
    private SecretKeySpec openKey;
    private long sealed;
    private long opened;

    /** @param opener true on the side that opened the connection */
    SecureChannelHandler(ClusterSecret secret, boolean opener, Failure failure) {
        this.secret = secret;
        this.opener = opener;
        this.failure = failure;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        RANDOM.nextBytes(ownNonce);
        ByteBuf challenge = ctx.alloc().buffer(WireFormat.LENGTH_BYTES + MAGIC.length + NONCE_BYTES);
        challenge.writeInt(MAGIC.length + NONCE_BYTES).writeBytes(MAGIC).writeBytes(ownNonce);
        ctx.writeAndFlush(challenge, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf body = (ByteBuf) msg;
        try {
            switch (phase) {
                case CHALLENGED -> challenged(ctx, body);
                case PROVING -> proved(ctx, body);
                case OPEN -> ctx.fireChannelRead(open(ctx, body));
            }
        } finally {
            body.release();
        }
    }

    private void challenged(ChannelHandlerContext ctx, ByteBuf body) {
        if (body.readableBytes() != MAGIC.length + NONCE_BYTES
                || !MessageDigest.isEqual(ByteBufUtil.getBytes(body, body.readerIndex(), MAGIC.length), MAGIC)) {
            throw new CorruptedFrameException("not a ringchat secured connection (no challenge first)");
        }
        peerNonce = ByteBufUtil.getBytes(body, body.readerIndex() + MAGIC.length, NONCE_BYTES);
        byte[] proof = secret.mac(opener ? "opener proof" : "acceptor proof", transcript());
        ByteBuf out = ctx.alloc().buffer(WireFormat.LENGTH_BYTES + proof.length);
        out.writeInt(proof.length).writeBytes(proof);
        ctx.writeAndFlush(out, ctx.voidPromise());
        phase = Phase.PROVING;
    }

    private void proved(ChannelHandlerContext ctx, ByteBuf body) {
        byte[] expected = secret.mac(opener ? "acceptor proof" : "opener proof", transcript());
        if (!MessageDigest.isEqual(ByteBufUtil.getBytes(body), expected)) {
            if (opener) {
                // our own link: the node hears of it (a joiner says "authentication failed"), no WARN
                failure.authenticationFailed("the peer does not hold the ring's secret");
                ctx.close();
                return;
            }
            throw new CorruptedFrameException("authentication failed: the peer does not hold the ring's secret");
        }
        sealKey = new SecretKeySpec(secret.mac(opener ? "opener to acceptor" : "acceptor to opener", transcript()), "AES");
        openKey = new SecretKeySpec(secret.mac(opener ? "acceptor to opener" : "opener to acceptor", transcript()), "AES");
        try {
            sealer = Cipher.getInstance("AES/GCM/NoPadding");
            opener0 = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
        phase = Phase.OPEN;
        while (!waiting.isEmpty()) {
            Object[] entry = (Object[]) waiting.poll();
            write(ctx, entry[0], (ChannelPromise) entry[1]);
        }
        ctx.flush();
    }

    /** The nonces in a fixed order (the opener's first), so that both sides compute the same. */
    private byte[] transcript() {
        byte[] first = opener ? ownNonce : peerNonce;
        byte[] second = opener ? peerNonce : ownNonce;
        return ByteBuffer.allocate(2 * NONCE_BYTES).put(first).put(second).array();
    }

    private ByteBuf open(ChannelHandlerContext ctx, ByteBuf body) {
        byte[] cipherText = ByteBufUtil.getBytes(body);
        try {
            opener0.init(Cipher.DECRYPT_MODE, openKey, iv(opened++));
            return ctx.alloc().buffer(cipherText.length).writeBytes(opener0.doFinal(cipherText));
        } catch (GeneralSecurityException e) {
            throw new CorruptedFrameException("a frame failed authentication (changed, injected or replayed)");
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (phase != Phase.OPEN) {
            waiting.add(new Object[] {msg, promise});
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            // a whole frame: the length, then the body, which is sealed
            int length = frame.getInt(frame.readerIndex());
            byte[] plain = ByteBufUtil.getBytes(frame, frame.readerIndex() + WireFormat.LENGTH_BYTES, length);
            sealer.init(Cipher.ENCRYPT_MODE, sealKey, iv(sealed++));
            byte[] sealedBody = sealer.doFinal(plain);
            ByteBuf out = ctx.alloc().buffer(WireFormat.LENGTH_BYTES + sealedBody.length);
            out.writeInt(sealedBody.length).writeBytes(sealedBody);
            ctx.write(out, promise);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a frame", e);
        } finally {
            frame.release();
        }
    }

    /** The GCM nonce of frame number {@code n}: never reused under one key, since each connection has its own keys. */
    private static GCMParameterSpec iv(long n) {
        return new GCMParameterSpec(TAG_BYTES * 8, ByteBuffer.allocate(12).putInt(0).putLong(n).array());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (Object entry : waiting) {
            ReferenceCountUtil.release(((Object[]) entry)[0]);
        }
        waiting.clear();
    }
}
