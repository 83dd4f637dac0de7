package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * An error answer. Rendered in the shape of the API family it answers for: the platform's and Assets'
 * {@code {"errorMessages":[…],"errors":{…}}}, or JSM's {@code {"errorMessage":"…"}}.
 */
final class JiraError extends RuntimeException {
    final int status;
    final List<String> messages;
    final Map<String, String> fieldErrors;

    JiraError(int status, List<String> messages, Map<String, String> fieldErrors) {
        super(status + " " + messages + " " + fieldErrors, null, false, false);
        this.status = status;
        this.messages = List.copyOf(messages);
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    static JiraError of(int status, String message) {
        return new JiraError(status, List.of(message), Map.of());
    }

    static JiraError field(int status, String field, String message) {
        return new JiraError(status, List.of(), Map.of(field, message));
    }

    static JiraError badRequest(String message) {
        return of(400, message);
    }

    static JiraError issueNotFound() {
        return of(404, "Issue does not exist or you do not have permission to see it.");
    }

    static JiraError forbidden(String permission) {
        return of(403, "You do not have the permission " + permission + " required for this operation.");
    }

    ObjectNode body(boolean serviceDesk) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (serviceDesk) {
            String text = messages.isEmpty() ? String.join("; ", fieldErrors.values()) : String.join(" ", messages);
            n.put("errorMessage", text);
            return n;
        }
        messages.forEach(n.putArray("errorMessages")::add);
        if (!n.has("errorMessages")) {
            n.putArray("errorMessages");
        }
        ObjectNode errors = n.putObject("errors");
        fieldErrors.forEach(errors::put);
        return n;
    }
}
