package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import tools.jackson.databind.JsonNode;

class BindingPagingTest extends ApiTestSupport {

    private static final int AORS = 10_000;

    @Test
    void pagingWithTheCursorOver10000AorsReturnsEachExactlyOnce() throws Exception {
        String domain = "paging-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        List<AddressOfRecord> aors = IntStream.range(0, AORS)
                .mapToObj(i -> AddressOfRecord.of("user" + i, domain)).toList();
        inParallel(aors, aor -> bind(aor, ContactUpdate.of("sip:" + aor.user() + "@192.0.2.1", 600)));
        try {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var response = get("/api/v1/bindings?domain=" + domain + "&limit=777"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode page = json(response);
                page.get("items").values().forEach(item -> seen.add(item.get("aor").asString()));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
                pages++;
            } while (cursor != null && pages <= AORS);

            assertThat(pages).isEqualTo(13);
            assertThat(seen).hasSize(AORS).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(aors.stream().map(AddressOfRecord::uri).toList());
            assertThat(seen).isSorted();
        } finally {
            inParallel(aors, store::removeAll);
        }
    }

    private static void inParallel(List<AddressOfRecord> aors, Consumer<AddressOfRecord> action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (AddressOfRecord aor : aors) {
                done.add(pool.submit(() -> action.accept(aor)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
