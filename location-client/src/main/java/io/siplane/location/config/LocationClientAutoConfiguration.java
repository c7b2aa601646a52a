package io.siplane.location.config;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.location.LocationStore;
import io.siplane.location.NonceCountStore;
import io.siplane.location.cache.CachedBindingLookup;
import io.siplane.location.cache.LocationChangeListener;
import io.siplane.location.cache.LocationEventsListener;
import io.siplane.location.cache.LocationEventsSubscription;
import io.siplane.location.redis.RedisGuard;
import io.siplane.location.redis.RedisLocationStore;
import io.siplane.location.redis.RedisNonceCounts;
import io.siplane.location.redis.RedisSchema;

/**
 * Gives every service that has Redis configured a {@link LocationStore} and, as the primary
 * {@link io.siplane.location.BindingLookup}, the near-cache kept fresh by change events.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@EnableConfigurationProperties(LocationClientProperties.class)
public class LocationClientAutoConfiguration {

    /** Fail fast while disconnected instead of queueing commands until a reconnect. */
    @Bean
    LettuceClientOptionsBuilderCustomizer siplaneLettuceClientOptions(Environment env, LocationClientProperties props) {
        return builder -> {
            builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).autoReconnect(true)
                    // the command timeout bounds asynchronous commands too (the registrar's path), not only blocking ones
                    .timeoutOptions(TimeoutOptions.enabled());
            if (!env.containsProperty("spring.data.redis.connect-timeout")) {
                builder.socketOptions(SocketOptions.builder().connectTimeout(props.connectTimeout()).build());
            }
        };
    }

    @Bean
    LettuceClientConfigurationBuilderCustomizer siplaneLettuceCommandTimeout(Environment env, LocationClientProperties props) {
        return builder -> {
            if (!env.containsProperty("spring.data.redis.timeout")) {
                builder.commandTimeout(props.commandTimeout());
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    Clock locationClock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    RedisGuard locationRedisGuard(ObjectProvider<MeterRegistry> meters) {
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(RedisGuard.circuitBreakerConfig());
        RetryRegistry retries = RetryRegistry.of(RedisGuard.retryConfig());
        meters.ifAvailable(registry -> {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(registry);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        });
        return new RedisGuard(circuitBreakers.circuitBreaker("location-store"), retries.retry("location-store"));
    }

    @Bean
    @ConditionalOnMissingBean(LocationStore.class)
    @ConditionalOnBean(RedisConnectionFactory.class)
    RedisLocationStore locationStore(RedisConnectionFactory connectionFactory, RedisGuard guard, Clock clock,
                                     LocationClientProperties props) {
        return new RedisLocationStore(new StringRedisTemplate(connectionFactory), guard, clock,
                props.maxContactsPerAor(), props.contactLimitPolicy());
    }

    @Bean
    @Primary
    @ConditionalOnBean(LocationStore.class)
    CachedBindingLookup cachedBindingLookup(LocationStore store, Clock clock, LocationClientProperties props) {
        return new CachedBindingLookup(store, clock, props.cache().freshFor(), props.cache().staleIfError(),
                props.cache().maxSize());
    }

    @Bean
    @ConditionalOnBean(CachedBindingLookup.class)
    LocationEventsListener locationEventsListener(ObjectProvider<LocationChangeListener> caches) {
        return new LocationEventsListener(caches.orderedStream().toList());
    }

    /** The digest nonce-counts the registrar and proxy replicas share. */
    @Bean
    @ConditionalOnMissingBean(NonceCountStore.class)
    @ConditionalOnBean(RedisConnectionFactory.class)
    RedisNonceCounts redisNonceCounts(RedisConnectionFactory connectionFactory, RedisGuard guard) {
        return new RedisNonceCounts(new StringRedisTemplate(connectionFactory), guard);
    }

    @Bean
    @ConditionalOnBean(LocationEventsListener.class)
    RedisMessageListenerContainer locationEventsContainer(RedisConnectionFactory connectionFactory,
                                                          LocationEventsListener listener) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        // Every REGISTER publishes an event. The container's default executor starts a new thread per message
        // (thousands per second under load, in every service that caches); an eviction is a map removal, so it
        // runs on the Lettuce thread that received the message (the Lettuce subscription needs no executor).
        container.setTaskExecutor(new SyncTaskExecutor());
        container.setRecoveryInterval(1000L);
        container.setAutoStartup(false);
        container.addMessageListener(listener, new ChannelTopic(RedisSchema.EVENTS_CHANNEL));
        return container;
    }

    @Bean
    @ConditionalOnBean(name = "locationEventsContainer")
    LocationEventsSubscription locationEventsSubscription(
            @org.springframework.beans.factory.annotation.Qualifier("locationEventsContainer") RedisMessageListenerContainer container) {
        return new LocationEventsSubscription(container, java.time.Duration.ofSeconds(1));
    }
}
