package io.siplane.registrar.badinput;

import java.util.Map;
import java.util.Set;

import io.siplane.testsupport.torture.AbstractRfc4475TortureTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** RFC 4475 / RFC 5118 torture messages against the real registrar over UDP and TCP. */
class Rfc4475TortureTest extends AbstractRfc4475TortureTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputRegistrar.shared();
    }

    @Override
    protected Map<String, Set<Integer>> roleExpectations() {
        return Map.of(
                // RFC 3261 §10.3: every REGISTER for our domain is challenged first
                "dblreq", Set.of(401), "cparam01", Set.of(401), "cparam02", Set.of(401), "regescrt", Set.of(401),
                // RFC 4475 §3.3.7: an unknown Authorization scheme gets a challenge in a scheme we know
                "regaut01", Set.of(401),
                // RFC 4475 §3.3.4: "A registrar would reject this request with a 400 Bad Request response, since the
                // To: header field is required to contain a SIP or SIPS URI as an AOR"
                "unksm2", Set.of(400));
    }
}
