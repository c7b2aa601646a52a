package io.siplane.redirect.badinput;

import java.util.Map;
import java.util.Set;

import io.siplane.testsupport.torture.AbstractRfc4475TortureTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** RFC 4475 / RFC 5118 torture messages against the real redirect server over UDP and TCP. */
class Rfc4475TortureTest extends AbstractRfc4475TortureTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputRedirect.shared();
    }

    @Override
    protected Map<String, Set<Integer>> roleExpectations() {
        return Map.of(
                // RFC 4475 §3.3.2/§3.3.3: a Request-URI scheme the element does not serve
                "unkscm", Set.of(416), "novelsc", Set.of(416, 404),
                // RFC 3261 §8.2.2.3: an unsupported Require
                "bext01", Set.of(420),
                // RFC 4475 §3.3.11, RFC 3261 §16.3 step 3
                "zeromf", Set.of(483, 200));
    }
}
