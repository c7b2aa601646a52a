package io.siplane.locationservice.subscriber;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.locationservice.web.AddressOfRecordParameter;
import io.siplane.locationservice.web.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Subscribers: who may register. Only digest hashes (HA1) are stored; the password is hashed and forgotten. */
@RestController
@RequestMapping(path = "/api/v1/subscribers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "subscribers")
class SubscriberController {

    private static final Logger log = LoggerFactory.getLogger(SubscriberController.class);

    private final LocationStore store;
    private final Clock clock;

    SubscriberController(LocationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Creates a subscriber; 409 when username@domain exists")
    @ApiResponse(responseCode = "201", description = "Created; Location names the new subscriber")
    @ApiResponse(responseCode = "400", description = "Invalid fields, listed in errors[]", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "Exists already", content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<SubscriberView> createSubscriber(@RequestBody NewSubscriber request) {
        try {
            List<Map<String, String>> problems = request.problems();
            if (!problems.isEmpty()) {
                throw ApiProblem.badRequest("The subscriber is not valid.").with("errors", problems);
            }
            Subscriber subscriber = Subscriber.withPassword(request.username(), request.domain(), request.password(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS)); // the store keeps milliseconds
            if (!store.createSubscriber(subscriber)) {
                throw ApiProblem.conflict("The subscriber " + subscriber.aor().uri() + " exists already.");
            }
            log.info("Created subscriber {}", subscriber.aor());
            URI location = URI.create("/api/v1/subscribers/"
                    + UriUtils.encodePathSegment(subscriber.username() + "@" + subscriber.domain(), "UTF-8"));
            return ResponseEntity.created(location).body(SubscriberView.of(subscriber));
        } finally {
            if (request.password() != null) {
                Arrays.fill(request.password(), '\0');
            }
        }
    }

    @GetMapping("/{id}")
    @Operation(summary = "A subscriber (never its password or hashes)")
    @ApiResponse(responseCode = "200", description = "The subscriber")
    @ApiResponse(responseCode = "404", description = "No such subscriber", content = @Content(mediaType = "application/problem+json"))
    SubscriberView getSubscriber(@Parameter(description = "user@domain", example = "alice@example.com") @PathVariable("id") String id) {
        AddressOfRecord aor = AddressOfRecordParameter.parse(id);
        return store.findSubscriber(aor).map(SubscriberView::of)
                .orElseThrow(() -> ApiProblem.notFound("No subscriber " + aor.uri() + "."));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Deletes a subscriber and its bindings; 404 when there is none")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such subscriber", content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<Void> deleteSubscriber(@Parameter(description = "user@domain", example = "alice@example.com") @PathVariable("id") String id) {
        AddressOfRecord aor = AddressOfRecordParameter.parse(id);
        if (!store.deleteSubscriber(aor)) {
            throw ApiProblem.notFound("No subscriber " + aor.uri() + ".");
        }
        log.info("Deleted subscriber {}", aor);
        return ResponseEntity.noContent().build();
    }
}
