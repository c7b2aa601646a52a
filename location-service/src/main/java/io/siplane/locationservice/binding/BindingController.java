package io.siplane.locationservice.binding;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.AorPage;
import io.siplane.location.Binding;
import io.siplane.location.LocationStore;
import io.siplane.locationservice.ApiProperties;
import io.siplane.locationservice.web.AddressOfRecordParameter;
import io.siplane.locationservice.web.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Bindings AOR → contacts: read one, list with a cursor, remove all of one AOR. */
@RestController
@RequestMapping(path = "/api/v1/bindings", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "bindings")
class BindingController {

    private final LocationStore store;
    private final Clock clock;
    private final ApiProperties properties;

    BindingController(LocationStore store, Clock clock, ApiProperties properties) {
        this.store = store;
        this.clock = clock;
        this.properties = properties;
    }

    @GetMapping("/{aor}")
    @Operation(summary = "The current contacts of an AOR; 404 when it has none")
    @ApiResponse(responseCode = "200", description = "The AOR's contacts, most preferred first")
    @ApiResponse(responseCode = "400", description = "Not an AOR", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "404", description = "No binding", content = @Content(mediaType = "application/problem+json"))
    AorBindingsView getBinding(@Parameter(example = "alice@example.com") @PathVariable("aor") String aorText) {
        AddressOfRecord aor = AddressOfRecordParameter.parse(aorText);
        Instant now = clock.instant();
        AorBindingsView view = AorBindingsView.of(aor, store.lookup(aor), now);
        if (view.contacts().isEmpty()) {
            throw ApiProblem.notFound("No binding for " + aor.uri() + ".");
        }
        return view;
    }

    @GetMapping
    @Operation(summary = "A page of AORs with their contacts, in lexical order; follow nextCursor for the next page")
    @ApiResponse(responseCode = "200", description = "One page")
    @ApiResponse(responseCode = "400", description = "Bad limit, domain or cursor", content = @Content(mediaType = "application/problem+json"))
    AorPageView listBindings(
            @Parameter(description = "only AORs of this domain") @RequestParam(name = "domain", required = false) String domain,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(name = "cursor", required = false) String cursor,
            @Parameter(description = "page size, 1.." + ApiProperties.MAX_PAGE_SIZE) @RequestParam(name = "limit", required = false) Integer limit) {
        int size = limit == null ? properties.defaultPageSize() : limit;
        if (size < 1 || size > ApiProperties.MAX_PAGE_SIZE) {
            throw ApiProblem.badRequest("limit must be between 1 and " + ApiProperties.MAX_PAGE_SIZE + ".");
        }
        Optional<String> domainFilter = Optional.ofNullable(domain).filter(d -> !d.isBlank()).map(BindingController::domain);
        AorPage page;
        try {
            page = store.list(domainFilter, Optional.ofNullable(cursor).filter(c -> !c.isEmpty()), size);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("The cursor is not one this API returned.");
        }
        Instant now = clock.instant();
        List<AorBindingsView> items = page.items().stream()
                .map(item -> AorBindingsView.of(item.aor(), item.bindings(), now))
                .filter(view -> !view.contacts().isEmpty())
                .toList();
        return new AorPageView(items, page.nextCursor().orElse(null));
    }

    @DeleteMapping("/{aor}")
    @Operation(summary = "Removes every contact of an AOR (204 also when it had none)")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "400", description = "Not an AOR", content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<Void> deleteBindings(@Parameter(example = "alice@example.com") @PathVariable("aor") String aorText) {
        store.removeAll(AddressOfRecordParameter.parse(aorText));
        return ResponseEntity.noContent().build();
    }

    private static String domain(String text) {
        String d = text.strip().toLowerCase(Locale.ROOT);
        if (!d.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '[' || c == ']' || c == ':')
                || d.length() > 253) {
            throw ApiProblem.badRequest("domain must be a host name or IP address.");
        }
        return d;
    }
}
