package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An error response in Keycloak's shape: {@code {"error": "..."}} plus, for OAuth errors, a description. */
final class ApiError extends RuntimeException {
    final int status;
    final String error;
    final String description;

    ApiError(int status, String error, String description) {
        super(error, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message, null);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message, null);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "HTTP 401 Unauthorized", null);
    }

    static ApiError forbidden() {
        return new ApiError(403, "HTTP 403 Forbidden", null);
    }

    ObjectNode body() {
        ObjectNode n = Representations.MAPPER.createObjectNode();
        n.put("error", error);
        if (description != null) {
            n.put("error_description", description);
        }
        return n;
    }
}
