package io.siplane.locationservice.sweeper;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The expiry sweeper ({@code siplane.sweeper.*}).
 *
 * @param enabled         whether this instance sweeps (any number of instances may)
 * @param interval        pause between two runs
 * @param batchSize       AORs examined per store call
 * @param maxBatchesPerRun a run stops after this many full batches and lets the next run continue
 */
@ConfigurationProperties("siplane.sweeper")
public record SweeperProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") Duration interval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("20") int maxBatchesPerRun) {

    public SweeperProperties {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("siplane.sweeper.interval must be positive");
        }
        if (batchSize < 1 || maxBatchesPerRun < 1) {
            throw new IllegalArgumentException("siplane.sweeper.batch-size and max-batches-per-run must be at least 1");
        }
    }
}
