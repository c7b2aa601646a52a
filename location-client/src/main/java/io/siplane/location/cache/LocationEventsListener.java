package io.siplane.location.cache;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;

import io.siplane.location.AddressOfRecord;

/**
 * Evicts near-cache entries on change events (channel {@code loc:events}, message = AOR). Each time the
 * subscription is (re)established the whole cache is dropped, since events sent while it was down are lost.
 */
public class LocationEventsListener implements MessageListener, SubscriptionListener {

    private static final Logger log = LoggerFactory.getLogger(LocationEventsListener.class);
    private final CachedBindingLookup cache;

    public LocationEventsListener(CachedBindingLookup cache) {
        this.cache = cache;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String aor = new String(message.getBody(), StandardCharsets.UTF_8);
        AddressOfRecord.tryParse(aor).ifPresentOrElse(cache::invalidate, cache::invalidateAll);
    }

    @Override
    public void onChannelSubscribed(byte[] channel, long count) {
        log.info("Subscribed to location change events; near-cache cleared");
        cache.invalidateAll();
    }

    @Override
    public void onChannelUnsubscribed(byte[] channel, long count) {
        cache.invalidateAll();
    }
}
