package io.siplane.location.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.siplane.location.Binding;
import io.siplane.location.ContactUpdate;
import io.siplane.location.ReceivedFrom;
import tools.jackson.databind.json.JsonMapper;

/** Binding ⇄ the compact JSON stored in the contacts hash (short field names keep memory per binding low). */
final class BindingCodec {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Stored(String uri, long exp, Double q, String cid, long cseq, List<String> path, String recv, String ua,
                  String inst, Integer regid, long reg) {
    }

    private final JsonMapper mapper = JsonMapper.builder().build();

    String encode(ContactUpdate c, long expiresAtMs, long nowMs, String callId, long cseq) {
        return mapper.writeValueAsString(new Stored(c.contactUri(), expiresAtMs, c.q().orElse(null), callId, cseq,
                c.path().isEmpty() ? null : c.path(), c.received().map(ReceivedFrom::text).orElse(null),
                c.userAgent().orElse(null), c.instanceId().orElse(null),
                c.regId().isPresent() ? c.regId().getAsInt() : null, nowMs));
    }

    /** The bindings among {@code jsons} (text or bytes) not expired at {@code now}, in preference order. */
    List<Binding> decodeLive(Collection<?> jsons, Instant now) {
        List<Binding> out = new ArrayList<>(jsons.size());
        for (Object json : jsons) {
            Binding b = decode(AsyncRedis.text(json));
            if (!b.isExpired(now)) {
                out.add(b);
            }
        }
        out.sort(Binding.PREFERENCE_ORDER);
        return out;
    }

    Binding decode(String json) {
        Stored s = mapper.readValue(json, Stored.class);
        return new Binding(s.uri(), Instant.ofEpochMilli(s.exp()), Optional.ofNullable(s.q()), s.cid(), s.cseq(),
                s.path() == null ? List.of() : s.path(),
                Optional.ofNullable(s.recv()).map(ReceivedFrom::parse), Optional.ofNullable(s.ua()),
                Optional.ofNullable(s.inst()), s.regid() == null ? OptionalInt.empty() : OptionalInt.of(s.regid()),
                Instant.ofEpochMilli(s.reg()));
    }
}
