package io.siplane.locationservice.ops;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.siplane.location.LocationStore;
import io.siplane.location.LocationUnavailableException;

/** Health component {@code locationStore}: UP when the store answers a ping; part of the readiness group. */
@Component
class LocationStoreHealthIndicator implements HealthIndicator {

    private final LocationStore store;

    LocationStoreHealthIndicator(LocationStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        try {
            return store.ping() ? Health.up().build() : Health.down().withDetail("reason", "no answer to ping").build();
        } catch (LocationUnavailableException e) {
            return Health.down().withDetail("reason", "unavailable").build();
        }
    }
}
