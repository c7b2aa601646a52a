package io.siplane.location.cache;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;

import io.siplane.location.AddressOfRecord;

/**
 * Evicts cache entries on change events (channel {@code loc:events}, message = AOR): the near-cache's and those of
 * every other {@link LocationChangeListener}. Each time the subscription is (re)established the whole caches are
 * dropped, since events sent while it was down are lost.
 */
public class LocationEventsListener implements MessageListener, SubscriptionListener {

    private static final Logger log = LoggerFactory.getLogger(LocationEventsListener.class);
    private final List<LocationChangeListener> caches;

    public LocationEventsListener(List<? extends LocationChangeListener> caches) {
        this.caches = List.copyOf(caches);
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String aor = new String(message.getBody(), StandardCharsets.UTF_8);
        AddressOfRecord.tryParse(aor).ifPresentOrElse(a -> caches.forEach(c -> c.changed(a)), this::dropAll);
    }

    @Override
    public void onChannelSubscribed(byte[] channel, long count) {
        log.info("Subscribed to location change events; {} caches cleared", caches.size());
        dropAll();
    }

    @Override
    public void onChannelUnsubscribed(byte[] channel, long count) {
        dropAll();
    }

    private void dropAll() {
        caches.forEach(LocationChangeListener::allChanged);
    }
}
