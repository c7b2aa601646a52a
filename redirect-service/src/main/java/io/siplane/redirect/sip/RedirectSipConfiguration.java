package io.siplane.redirect.sip;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.chain.StockSteps;

/** The redirect server's request handling: one chain, read top to bottom (the README lists it). */
@Configuration(proxyBeanMethods = false)
public class RedirectSipConfiguration {

    @Bean
    RequestChain redirectChain(RedirectSteps steps) {
        return RequestChain.named("redirect")
                // RFC 3261 §17.2.1: the ACK of our non-2xx answer ends here
                .step("absorb ACK", StockSteps.absorbAck())
                // RFC 3261 §9.2: statelessly there is no INVITE transaction to cancel (it was answered at once)
                .step("CANCEL 481", steps.counted(StockSteps.cancelWithoutTransaction()))
                .step("OPTIONS to us 200", steps.counted(
                        StockSteps.optionsToSelf(steps::addressedToServer, RedirectSteps.ALLOWED, List.of("application/sdp"))))
                .step("Max-Forwards 483", steps.counted(StockSteps.maxForwards()))
                // RFC 3261 §8.2.2.3: we support no extension a UAS could be required to
                .step("Require 420", steps.counted(StockSteps.requireSupported("Require", List.of())))
                // the redirect server is never part of a dialog
                .step("in-dialog 481", steps.counted(StockSteps.outOfDialogOnly()))
                .step("Request-URI scheme 416", steps.counted(StockSteps.sipUriOnly()))
                .step("our domain 404", steps::ourDomainOnly)
                .step("lookup 302/480/404/503", steps::lookUpAndRedirect)
                .build();
    }
}
