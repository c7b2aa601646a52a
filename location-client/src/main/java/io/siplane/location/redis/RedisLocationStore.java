package io.siplane.location.redis;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.AorPage;
import io.siplane.location.Binding;
import io.siplane.location.ContactLimitPolicy;
import io.siplane.location.LocationStore;
import io.siplane.location.RegisterResult;
import io.siplane.location.RegisterUpdate;
import io.siplane.location.Subscriber;

/**
 * The location store on Redis (standalone, Sentinel or Cluster), one part per concern: {@link RedisBindings} (the
 * contacts of each AOR, REGISTER), {@link RedisSubscribers}, {@link AorListing} (paging) and {@link ExpirySweep};
 * this class only puts them behind the {@link LocationStore} interface its callers use. Schema: {@link RedisSchema}
 * and location-client/README.md.
 */
public class RedisLocationStore implements LocationStore {

    private final StringRedisTemplate redis;
    private final RedisBindings bindings;
    private final RedisSubscribers subscribers;
    private final AorListing listing;
    private final ExpirySweep sweep;

    public RedisLocationStore(StringRedisTemplate redis, RedisGuard guard, Clock clock, int maxContactsPerAor,
                              ContactLimitPolicy contactLimitPolicy) {
        this.redis = redis;
        AsyncRedis async = new AsyncRedis(redis.getRequiredConnectionFactory());
        BindingIndexes indexes = new BindingIndexes(redis, async, guard);
        this.bindings = new RedisBindings(redis, async, guard, indexes, clock, maxContactsPerAor, contactLimitPolicy);
        this.subscribers = new RedisSubscribers(redis, async, guard, indexes);
        this.listing = new AorListing(redis, guard, clock);
        this.sweep = new ExpirySweep(redis, guard, indexes, clock);
    }

    @Override
    public RegisterResult register(RegisterUpdate update) {
        return bindings.register(update);
    }

    @Override
    public CompletionStage<RegisterResult> registerAsync(RegisterUpdate update) {
        return bindings.registerAsync(update);
    }

    @Override
    public List<Binding> lookup(AddressOfRecord aor) {
        return bindings.lookup(aor);
    }

    @Override
    public boolean isSubscriber(AddressOfRecord aor) {
        return subscribers.exists(aor);
    }

    @Override
    public boolean removeContact(AddressOfRecord aor, String contactKey) {
        return bindings.removeContact(aor, contactKey);
    }

    @Override
    public int removeAll(AddressOfRecord aor) {
        return bindings.removeAll(aor);
    }

    @Override
    public AorPage list(Optional<String> domain, Optional<String> cursor, int limit) {
        return listing.list(domain, cursor, limit);
    }

    @Override
    public boolean createSubscriber(Subscriber s) {
        return subscribers.create(s);
    }

    @Override
    public Optional<Subscriber> findSubscriber(AddressOfRecord aor) {
        return subscribers.find(aor);
    }

    @Override
    public CompletionStage<Optional<Subscriber>> findSubscriberAsync(AddressOfRecord aor) {
        return subscribers.findAsync(aor);
    }

    @Override
    public boolean deleteSubscriber(AddressOfRecord aor) {
        return subscribers.delete(aor);
    }

    @Override
    public long countAors() {
        return listing.countAors();
    }

    @Override
    public int sweepExpired(int batchSize) {
        return sweep.sweepExpired(batchSize);
    }

    @Override
    public boolean ping() {
        try {
            String pong = redis.execute((RedisCallback<String>) RedisConnection::ping);
            return "PONG".equalsIgnoreCase(pong);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
