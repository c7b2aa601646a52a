package io.siplane.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.location.cache.CachedBindingLookup;
import io.siplane.location.redis.RedisSchema;
import io.siplane.testsupport.RedisFixture;

/**
 * The store's contract, run against a standalone Redis here and against a Redis Cluster by
 * {@link RedisClusterLocationStoreTest}.
 */
@SpringBootTest(classes = StoreTestApplication.class, properties = {
        "siplane.location.max-contacts-per-aor=100",
        "siplane.location.cache.fresh-for=30s",
        "siplane.location.cache.stale-if-error=60s"})
class RedisLocationStoreTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
    }

    @Autowired
    protected LocationStore store;
    @Autowired
    BindingLookup lookup;
    @Autowired
    protected RedisConnectionFactory connectionFactory;

    private static AddressOfRecord freshAor() {
        return AddressOfRecord.parse("sip:user-" + UUID.randomUUID() + "@store.test");
    }

    private static ContactUpdate contact(String uri, int expires, double q) {
        return new ContactUpdate(uri, expires, Optional.of(q), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty());
    }

    private StringRedisTemplate redis() {
        return new StringRedisTemplate(connectionFactory);
    }

    @Test
    void registeredContactsAreReturnedByQThenNewestWithAllTheirFields() {
        AddressOfRecord aor = freshAor();
        ContactUpdate full = new ContactUpdate("sip:alice@192.0.2.1:5060;transport=tcp", 3600, Optional.of(0.5),
                List.of("<sip:edge.example.com;lr>"), Optional.of(new ReceivedFrom("TCP", "192.0.2.1", 40000)),
                Optional.of("Phone/1.0"), Optional.of("<urn:uuid:00000000-0000-0000-0000-000000000001>"), OptionalInt.of(1));
        store.register(RegisterUpdate.of(aor, "call-1", 1, List.of(full, contact("sip:alice@192.0.2.2", 3600, 0.9))));
        RegisterResult result = store.register(RegisterUpdate.of(aor, "call-2", 1, List.of(contact("sip:alice@192.0.2.3", 3600, 0.9))));

        assertThat(result).isInstanceOf(RegisterResult.Applied.class);
        List<Binding> bindings = store.lookup(aor);
        assertThat(bindings).extracting(Binding::contactUri)
                .containsExactly("sip:alice@192.0.2.3", "sip:alice@192.0.2.2", "sip:alice@192.0.2.1:5060;transport=tcp");
        Binding b = bindings.get(2);
        assertThat(b.q()).contains(0.5);
        assertThat(b.path()).containsExactly("<sip:edge.example.com;lr>");
        assertThat(b.received()).contains(new ReceivedFrom("tcp", "192.0.2.1", 40000));
        assertThat(b.userAgent()).contains("Phone/1.0");
        assertThat(b.instanceId()).contains("<urn:uuid:00000000-0000-0000-0000-000000000001>");
        assertThat(b.regId()).hasValue(1);
        assertThat(b.callId()).isEqualTo("call-1");
        assertThat(b.expiresIn(java.time.Instant.now())).isBetween(3590L, 3600L);
        assertThat(redis().opsForHash().size(RedisSchema.contactsKey(aor))).isEqualTo(3);
    }

    @Test
    void anOlderCSeqForTheSameCallIdDoesNotOverwriteANewerOne() {
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "call-x", 10, List.of(contact("sip:a@192.0.2.1", 600, 1.0))));

        RegisterResult stale = store.register(RegisterUpdate.of(aor, "call-x", 9, List.of(contact("sip:a@192.0.2.1", 60, 0.1))));

        assertThat(stale).isInstanceOf(RegisterResult.StaleCSeq.class);
        Binding kept = store.lookup(aor).get(0);
        assertThat(kept.cseq()).isEqualTo(10);
        assertThat(kept.q()).contains(1.0);
        assertThat(kept.expiresIn(java.time.Instant.now())).isGreaterThan(500);
    }

    @Test
    void theSameCSeqAgainIsARetransmissionAndIsAnsweredWithTheBindings() {
        AddressOfRecord aor = freshAor();
        RegisterUpdate update = RegisterUpdate.of(aor, "call-r", 5, List.of(contact("sip:a@192.0.2.1", 600, 1.0)));
        store.register(update);

        RegisterResult again = store.register(update);

        assertThat(again).isInstanceOf(RegisterResult.Applied.class);
        assertThat(again.bindings()).hasSize(1);
    }

    @Test
    void anotherCallIdUpdatesTheBindingWhateverItsCSeq() {
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "call-old", 50, List.of(contact("sip:a@192.0.2.1", 600, 1.0))));

        RegisterResult result = store.register(RegisterUpdate.of(aor, "call-new", 1, List.of(contact("sip:a@192.0.2.1", 300, 0.3))));

        assertThat(result.bindings()).singleElement().satisfies(b -> {
            assertThat(b.callId()).isEqualTo("call-new");
            assertThat(b.q()).contains(0.3);
        });
    }

    @Test
    void expiresZeroRemovesOneContactAndStarRemovesAll() {
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "c", 1, List.of(contact("sip:a@192.0.2.1", 600, 1), contact("sip:a@192.0.2.2", 600, 1))));

        RegisterResult one = store.register(RegisterUpdate.of(aor, "c", 2, List.of(ContactUpdate.of("sip:a@192.0.2.1", 0))));
        assertThat(one.bindings()).extracting(Binding::contactUri).containsExactly("sip:a@192.0.2.2");

        RegisterResult staleStar = store.register(RegisterUpdate.removeAll(aor, "c", 0));
        assertThat(staleStar).isInstanceOf(RegisterResult.StaleCSeq.class);
        assertThat(store.lookup(aor)).hasSize(1);

        RegisterResult all = store.register(RegisterUpdate.removeAll(aor, "c", 3));
        assertThat(all.bindings()).isEmpty();
        assertThat(redis().hasKey(RedisSchema.contactsKey(aor))).isFalse();
        assertThat(redis().opsForZSet().score(RedisSchema.AOR_INDEX, RedisSchema.indexMember(aor))).isNull();
    }

    @Test
    void contactUrisDifferingOnlyInHostCaseAreOneBinding() {
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "c", 1, List.of(contact("sip:a@Host.Example.com", 600, 1))));
        store.register(RegisterUpdate.of(aor, "c", 2, List.of(contact("sip:a@host.example.com", 600, 1))));
        assertThat(store.lookup(aor)).hasSize(1);
    }

    @Test
    void fiftyThreadsUpdatingOneAorConcurrentlyLoseNoContact() throws Exception {
        AddressOfRecord aor = freshAor();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RegisterResult>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                start.await();
                return store.register(RegisterUpdate.of(aor, "device-" + n, 1,
                        List.of(contact("sip:device" + n + "@192.0.2.10:" + (5000 + n), 600, 1))));
            }));
        }
        start.countDown();
        for (Future<RegisterResult> f : results) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(RegisterResult.Applied.class);
        }
        pool.shutdown();

        assertThat(store.lookup(aor)).hasSize(50);
        assertThat(redis().opsForHash().size(RedisSchema.contactsKey(aor))).isEqualTo(50);
    }

    @Test
    void aContactRegisteredForTwoSecondsIsGoneFromRedisWithinThreeWithoutBeingRead() {
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "c", 1, List.of(contact("sip:short@192.0.2.1", 2, 1))));
        assertThat(redis().hasKey(RedisSchema.contactsKey(aor))).isTrue();
        assertThat(redis().opsForZSet().score(RedisSchema.AOR_INDEX, RedisSchema.indexMember(aor))).isNotNull();

        // what location-service's scheduler does once a second
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            store.sweepExpired(1000);
            assertThat(redis().hasKey(RedisSchema.contactsKey(aor))).isFalse();
            assertThat(redis().opsForZSet().score(RedisSchema.AOR_INDEX, RedisSchema.indexMember(aor))).isNull();
            assertThat(redis().opsForZSet().score(RedisSchema.EXPIRY_INDEX, aor.uri())).isNull();
        });
    }

    @Test
    void theSweeperKeepsLiveContactsOfAnAorWhoseOtherContactExpired() {
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "c", 1, List.of(contact("sip:short@192.0.2.1", 1, 1), contact("sip:long@192.0.2.1", 600, 1))));
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            store.sweepExpired(1000);
            assertThat(redis().opsForHash().size(RedisSchema.contactsKey(aor))).isEqualTo(1);
        });
        assertThat(store.lookup(aor)).extracting(Binding::contactUri).containsExactly("sip:long@192.0.2.1");
        Double next = redis().opsForZSet().score(RedisSchema.EXPIRY_INDEX, aor.uri());
        assertThat(next).isNotNull().isGreaterThan((double) System.currentTimeMillis() + 500_000);
    }

    @Test
    void pagingWithTheCursorOverTenThousandAorsReturnsEachExactlyOnce() {
        String domain = "page-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            AddressOfRecord aor = AddressOfRecord.of("u" + i, domain);
            expected.add(aor.uri());
            store.register(RegisterUpdate.of(aor, "c" + i, 1, List.of(ContactUpdate.of("sip:u" + i + "@192.0.2.1", 600))));
        }
        List<String> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            AorPage page = store.list(Optional.of(domain), cursor, 777);
            page.items().forEach(item -> seen.add(item.aor().uri()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor.isPresent() && pages < 100);

        assertThat(seen).hasSize(10_000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(expected);
        assertThat(pages).isEqualTo(13);
    }

    @Test
    void tooManyContactsDropTheLeastRecentlyRegistered() throws InterruptedException {
        AddressOfRecord aor = freshAor();
        for (int i = 0; i < 101; i++) {
            store.register(RegisterUpdate.of(aor, "c" + i, 1, List.of(ContactUpdate.of("sip:d" + i + "@192.0.2.1", 600))));
            if (i == 0) {
                Thread.sleep(5); // the first one is strictly the oldest
            }
        }
        List<Binding> bindings = store.lookup(aor);
        assertThat(bindings).hasSize(100).extracting(Binding::contactUri).doesNotContain("sip:d0@192.0.2.1");
    }

    @Test
    void subscribersKeepOnlyDigestHashesAndCanBeDeletedWithTheirBindings() {
        AddressOfRecord aor = freshAor();
        Subscriber s = Subscriber.withPassword(aor.user(), aor.domain(), "s3cret-pass".toCharArray(), java.time.Instant.now());
        assertThat(store.createSubscriber(s)).isTrue();
        assertThat(store.createSubscriber(s)).isFalse();

        Subscriber found = store.findSubscriber(aor).orElseThrow();
        assertThat(found.ha1Md5()).isEqualTo(DigestHashes.ha1("MD5", aor.user(), aor.domain(), "s3cret-pass".toCharArray()));
        assertThat(redis().opsForHash().values(RedisSchema.subscriberKey(aor))).noneMatch(v -> String.valueOf(v).contains("s3cret"));
        assertThat(store.isSubscriber(aor)).isTrue();

        store.register(RegisterUpdate.of(aor, "c", 1, List.of(ContactUpdate.of("sip:x@192.0.2.1", 600))));
        assertThat(store.deleteSubscriber(aor)).isTrue();
        assertThat(store.findSubscriber(aor)).isEmpty();
        assertThat(store.lookup(aor)).isEmpty();
        assertThat(store.deleteSubscriber(aor)).isFalse();
    }

    @Test
    void theNearCacheIsInvalidatedByChangeEventsLongBeforeItGoesStale() {
        assertThat(lookup).isInstanceOf(CachedBindingLookup.class);
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "c", 1, List.of(ContactUpdate.of("sip:first@192.0.2.1", 600))));
        assertThat(lookup.lookup(aor)).hasSize(1);

        store.register(RegisterUpdate.of(aor, "c", 2, List.of(ContactUpdate.of("sip:second@192.0.2.1", 600))));

        // fresh-for is 30 s here: only the event can make the second contact visible this soon
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(lookup.lookup(aor)).hasSize(2));
    }

    private static <T> T completed(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void registerAsyncAppliesAnUpdateAsRegisterDoesIndexesTheAorAndKeepsTheCallIdCSeqRule() throws Exception {
        AddressOfRecord aor = freshAor();

        RegisterResult first = completed(store.registerAsync(RegisterUpdate.of(aor, "async-call", 5,
                List.of(contact("sip:async@192.0.2.10", 600, 0.7)))));
        RegisterResult stale = completed(store.registerAsync(RegisterUpdate.of(aor, "async-call", 4,
                List.of(contact("sip:async@192.0.2.10", 300, 0.7)))));
        RegisterResult query = completed(store.registerAsync(RegisterUpdate.of(aor, "async-call", 6, List.of())));

        assertThat(first).isInstanceOf(RegisterResult.Applied.class);
        assertThat(first.bindings()).extracting(Binding::contactUri).containsExactly("sip:async@192.0.2.10");
        assertThat(stale).isInstanceOf(RegisterResult.StaleCSeq.class);
        assertThat(query.bindings()).extracting(Binding::contactUri).containsExactly("sip:async@192.0.2.10");
        assertThat(store.lookup(aor)).extracting(Binding::cseq).containsExactly(5L);
        assertThat(redis().opsForZSet().score(RedisSchema.EXPIRY_INDEX, aor.uri())).isNotNull();
        assertThat(store.list(Optional.of("store.test"), Optional.empty(), 1000).items())
                .extracting(AorBindings::aor).contains(aor);
    }

    @Test
    void registerAsyncRemovingTheLastBindingTakesTheAorOutOfTheListing() throws Exception {
        AddressOfRecord aor = freshAor();
        completed(store.registerAsync(RegisterUpdate.of(aor, "c", 1, List.of(contact("sip:gone@192.0.2.11", 600, 1.0)))));

        RegisterResult removed = completed(store.registerAsync(RegisterUpdate.removeAll(aor, "c", 2)));

        assertThat(removed.bindings()).isEmpty();
        assertThat(redis().opsForZSet().score(RedisSchema.AOR_INDEX, RedisSchema.indexMember(aor))).isNull();
    }

    @Test
    void aScriptRedisNoLongerKnowsIsLoadedAgainOnItsNextAsynchronousUse() throws Exception {
        AddressOfRecord aor = freshAor();
        completed(store.registerAsync(RegisterUpdate.of(aor, "c", 1, List.of(contact("sip:a@192.0.2.12", 600, 1.0)))));
        redis().execute((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
            connection.scriptingCommands().scriptFlush();
            return null;
        });

        RegisterResult result = completed(store.registerAsync(RegisterUpdate.of(aor, "c", 2,
                List.of(contact("sip:b@192.0.2.12", 600, 1.0)))));

        assertThat(result.bindings()).extracting(Binding::contactUri).containsExactlyInAnyOrder("sip:a@192.0.2.12", "sip:b@192.0.2.12");
    }

    @Test
    void findSubscriberAsyncReadsWhatFindSubscriberReads() throws Exception {
        AddressOfRecord aor = freshAor();
        Subscriber subscriber = Subscriber.withPassword(aor.user(), aor.host(), "pw".toCharArray(), java.time.Instant.ofEpochMilli(1234));
        store.createSubscriber(subscriber);

        assertThat(completed(store.findSubscriberAsync(aor))).contains(subscriber).isEqualTo(store.findSubscriber(aor));
        assertThat(completed(store.findSubscriberAsync(freshAor()))).isEmpty();
    }

    @Test
    void aBindingUsesLittleRedisMemory() {
        AddressOfRecord aor = freshAor();
        store.register(RegisterUpdate.of(aor, "a84b4c76e66710@pc33.example.com", 314159, List.of(new ContactUpdate(
                "sip:alice@198.51.100.7:5060;transport=udp", 3600, Optional.of(1.0), List.of("<sip:gw.example.com;lr>"),
                Optional.of(new ReceivedFrom("udp", "198.51.100.7", 5060)), Optional.of("Softphone/2.1"),
                Optional.empty(), OptionalInt.empty()))));
        org.springframework.data.redis.core.script.RedisScript<Long> memoryUsage =
                org.springframework.data.redis.core.script.RedisScript.of("return redis.call('MEMORY', 'USAGE', KEYS[1])", Long.class);
        Long bytes = redis().execute(memoryUsage, List.of(RedisSchema.contactsKey(aor)));
        assertThat(bytes).isNotNull().isLessThan(1024L);
    }
}
