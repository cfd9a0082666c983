package org.ringchat.ring.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletableFuture;
import org.ringchat.protocol.Envelope;
import org.ringchat.protocol.Message.LinkCheckAnswer;
import org.ringchat.protocol.NodeAddress;

/**
 * The asking end of a check connection: sends its one {@code LinkCheck} and completes the
 * verdict with the answer (null when the claimed node confirms), or with why there was none.
 */
final class LinkCheckHandler extends SimpleChannelInboundHandler<Envelope> {

    private final Envelope question;
    private final NodeAddress asked;
    private final CompletableFuture<String> verdict;

    LinkCheckHandler(Envelope question, NodeAddress asked, CompletableFuture<String> verdict) {
        this.question = question;
        this.asked = asked;
        this.verdict = verdict;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(question); // under a secret, it waits for the handshake
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
        if (envelope.message() instanceof LinkCheckAnswer answer && asked.equals(envelope.from())) {
            verdict.complete(answer.yours() ? null : asked + " says it did not open that connection");
        } else {
            verdict.complete(asked + " answered the check with " + envelope.type());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        verdict.complete(asked + " closed the check connection without answering");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        verdict.complete("the check of " + asked + " failed: " + cause.getMessage());
        ctx.close();
    }
}
