package io.siplane.location.cache;

import io.siplane.location.AddressOfRecord;

/**
 * A cache of something the location store holds per AOR (bindings, a subscriber's HA1), told by
 * {@link LocationEventsListener} when an AOR's bindings or subscriber changed on any replica. Any bean of this type
 * is told.
 */
public interface LocationChangeListener {

    /** The bindings or the subscriber of {@code aor} changed. */
    void changed(AddressOfRecord aor);

    /** Changes may have been missed (the subscription was (re)established, or an event was unreadable). */
    void allChanged();
}
