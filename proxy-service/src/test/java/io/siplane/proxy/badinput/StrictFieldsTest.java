package io.siplane.proxy.badinput;

import io.siplane.testsupport.torture.AbstractStrictFieldsTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Numeric fields and URI ports out of RFC 3261's grammar or range against the real proxy over UDP and TCP: 400 naming the field. */
class StrictFieldsTest extends AbstractStrictFieldsTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputProxy.shared();
    }
}
