package io.vigil.sandbox.keycloak;

import java.util.List;

/** Keycloak's paginatedStream: a null or negative first skips nothing, a null or negative max keeps all. */
final class Paging {
    private Paging() {
    }

    static <T> List<T> page(List<T> all, Integer first, Integer max) {
        var stream = all.stream();
        if (first != null && first > 0) {
            stream = stream.skip(first);
        }
        if (max != null && max >= 0) {
            stream = stream.limit(max);
        }
        return stream.toList();
    }
}
