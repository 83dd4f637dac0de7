package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One write the sandbox received (POST, PUT or DELETE that changes state; searches are reads).
 *
 * @param method   HTTP method
 * @param path     request path, e.g. {@code /rest/api/3/issue/ITSM-1}
 * @param issueKey the issue it concerned (the created one for a create), or null
 * @param body     the request body as sent (null when it had none or it was not JSON)
 * @param status   the status the sandbox answered
 * @param time     when it arrived
 * @param accountId who sent it
 */
public record RecordedWrite(String method, String path, String issueKey, JsonNode body, int status, Instant time,
                            String accountId) {
}
