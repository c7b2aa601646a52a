package io.siplane.location;

import java.util.List;

/** The outcome of {@link LocationStore#register(RegisterUpdate)}. */
public sealed interface RegisterResult {

    /** The bindings of the AOR after the operation, in {@link Binding#PREFERENCE_ORDER}. */
    List<Binding> bindings();

    /** The changes were applied (or it was a query, or a repeat of the same CSeq). */
    record Applied(List<Binding> bindings) implements RegisterResult {
        public Applied {
            bindings = List.copyOf(bindings);
        }
    }

    /** RFC 3261 §10.3 step 7: an older CSeq for the same Call-ID; nothing was changed. */
    record StaleCSeq(List<Binding> bindings) implements RegisterResult {
        public StaleCSeq {
            bindings = List.copyOf(bindings);
        }
    }

    /** More contacts than allowed per AOR under the {@link ContactLimitPolicy#REJECT} policy; nothing was changed. */
    record TooManyContacts(int limit, List<Binding> bindings) implements RegisterResult {
        public TooManyContacts {
            bindings = List.copyOf(bindings);
        }
    }
}
