package io.siplane.location;

import java.util.List;
import java.util.Optional;

/** One page of {@link LocationStore#list}: AORs in lexical order, and the cursor of the next page if any. */
public record AorPage(List<AorBindings> items, Optional<String> nextCursor) {
    public AorPage {
        items = List.copyOf(items);
    }
}
