package io.siplane.location.cache;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Starts the change-event subscription without holding up (or failing) the application's start-up: when Redis is
 * not reachable yet, the service starts anyway (readiness reports Redis DOWN) and the subscription is retried in
 * the background until it succeeds. Until then the near-cache only keeps answers for {@code fresh-for}.
 */
public class LocationEventsSubscription implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LocationEventsSubscription.class);

    private final RedisMessageListenerContainer container;
    private final Duration retryInterval;
    private volatile ScheduledExecutorService starter;

    public LocationEventsSubscription(RedisMessageListenerContainer container, Duration retryInterval) {
        this.container = container;
        this.retryInterval = retryInterval;
        container.setAutoStartup(false);
    }

    @Override
    public synchronized void start() {
        if (starter != null) {
            return;
        }
        starter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "location-events-subscriber");
            t.setDaemon(true);
            return t;
        });
        starter.execute(this::tryStart);
    }

    private void tryStart() {
        try {
            container.start();
            if (container.isRunning()) {
                return;
            }
        } catch (RuntimeException e) {
            log.warn("Location change events not subscribed yet ({}); retrying every {} ms", e.getMessage(),
                    retryInterval.toMillis());
            try {
                container.stop();
            } catch (RuntimeException ignored) {
                // it was not running
            }
        }
        ScheduledExecutorService s = starter;
        if (s != null && !s.isShutdown()) {
            s.schedule(this::tryStart, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService s = starter;
        starter = null;
        if (s != null) {
            s.shutdownNow();
        }
        if (container.isRunning()) {
            container.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return starter != null;
    }

    /** Before the services that read through the cache take traffic, after the Redis connection factory. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2000;
    }
}
