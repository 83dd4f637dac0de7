package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;

/** A handler's answer: status and JSON body (null for none). */
record Reply(int status, JsonNode body) {
    static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    static Reply created(JsonNode body) {
        return new Reply(201, body);
    }

    static Reply noContent() {
        return new Reply(204, null);
    }
}
