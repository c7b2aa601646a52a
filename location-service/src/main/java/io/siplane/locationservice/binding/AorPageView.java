package io.siplane.locationservice.binding;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** One page of the bindings listing. */
@Schema(name = "AorPage")
record AorPageView(
        List<AorBindingsView> items,
        @Schema(description = "Pass as ?cursor= to get the next page; null on the last page", nullable = true) String nextCursor) {
}
