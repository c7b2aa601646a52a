package io.siplane.locationservice.sweeper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import io.siplane.location.LocationStore;
import io.siplane.location.LocationUnavailableException;

/**
 * Deletes expired contacts from the store even when nobody reads them: every interval it asks the
 * store to sweep the due entries of its expiry index, batch after batch while batches come back full.
 */
@Component
public class ExpirySweeper implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final LocationStore store;
    private final SweeperProperties properties;
    private boolean failing;

    public ExpirySweeper(LocationStore store, SweeperProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (properties.enabled()) {
            registrar.addFixedDelayTask(this::sweep, properties.interval());
        } else {
            log.info("Expiry sweeper disabled (siplane.sweeper.enabled=false)");
        }
    }

    /** One run; returns the number of AORs examined. Never throws: the next run simply tries again. */
    public synchronized int sweep() {
        int total = 0;
        try {
            for (int batch = 0; batch < properties.maxBatchesPerRun(); batch++) {
                int examined = store.sweepExpired(properties.batchSize());
                total += examined;
                if (examined < properties.batchSize()) {
                    break;
                }
            }
            if (failing) {
                log.info("Expiry sweeper reaches the location store again");
                failing = false;
            }
        } catch (LocationUnavailableException e) {
            if (!failing) {
                log.warn("Expiry sweeper cannot reach the location store, retrying every {}: {}", properties.interval(), e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            log.error("Expiry sweep failed", e);
        }
        return total;
    }
}
