package io.siplane.locationservice.ops;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.location.LocationStore;

/**
 * Gauge {@code siplane.location.aors} (Prometheus: {@code siplane_location_aors}): AORs with at least
 * one binding. Counted in the background every refresh interval, so a scrape never waits on Redis;
 * NaN while the store cannot be reached.
 */
@Component
class BoundAorsGauge implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(BoundAorsGauge.class);

    private final LocationStore store;
    private final Duration refresh;
    private volatile double value = Double.NaN;

    BoundAorsGauge(LocationStore store, MeterRegistry registry,
            @Value("${siplane.metrics.aors-refresh:10s}") Duration refresh) {
        this.store = store;
        this.refresh = refresh;
        Gauge.builder("siplane.location.aors", this, g -> g.value)
                .description("Addresses-of-record with at least one binding")
                .register(registry);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::refresh, refresh);
    }

    void refresh() {
        try {
            value = store.countAors();
        } catch (RuntimeException e) {
            log.debug("Cannot count AORs: {}", e.getMessage());
            value = Double.NaN;
        }
    }
}
