package io.siplane.testsupport.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;

/** In-dialog requests between two agents that set up a call directly. */
class DialogTest {

    @Test
    void eitherPartyCanHangUpWithTheDialogsTagsAndTheirOwnCSeq() throws Exception {
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp()) {
            Request invite = caller.request(Request.INVITE, callee.contactUri("bob")).ownContact("alice", "").build();
            CompletableFuture<Response> answer = caller.sendAsync(invite, SipTarget.loopback(callee.port()));
            ReceivedRequest received = callee.awaitRequest(Duration.ofSeconds(5));
            Response ok = received.response(200);
            received.respond(ok);
            Response okAtCaller = answer.get(10, TimeUnit.SECONDS);
            caller.ack(invite, okAtCaller);
            assertThat(callee.awaitRequest(Duration.ofSeconds(5)).method()).isEqualTo(Request.ACK);

            Dialog callerSide = Dialog.asCaller(caller, invite, okAtCaller);
            Dialog calleeSide = Dialog.asCallee(callee, received.request(), ok);
            CompletableFuture<Response> byeAnswer = calleeSide.sendAsync(Request.BYE);
            ReceivedRequest bye = caller.awaitRequest(Duration.ofSeconds(5));
            bye.respond(200);

            assertThat(byeAnswer.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
            assertThat(bye.method()).isEqualTo(Request.BYE);
            assertThat(bye.request().getRequestURI().toString()).isEqualTo(caller.contactUri("alice"));
            assertThat(((FromHeader) bye.request().getHeader(FromHeader.NAME)).getTag())
                    .isEqualTo(((ToHeader) ok.getHeader(ToHeader.NAME)).getTag());
            assertThat(((ToHeader) bye.request().getHeader(ToHeader.NAME)).getTag())
                    .isEqualTo(((FromHeader) invite.getHeader(FromHeader.NAME)).getTag());
            assertThat(((CSeqHeader) bye.request().getHeader(CSeqHeader.NAME)).getSeqNumber()).isEqualTo(1);
            assertThat(callerSide.request(Request.BYE).getRequestURI().toString()).isEqualTo(callee.contactUri("test"));
            assertThat(((CSeqHeader) callerSide.request(Request.BYE).getHeader(CSeqHeader.NAME)).getSeqNumber())
                    .isGreaterThan(((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber());
            assertThat(callerSide.routeSet()).isEmpty();
        }
    }
}
