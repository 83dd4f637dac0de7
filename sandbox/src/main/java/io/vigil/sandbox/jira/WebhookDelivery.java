package io.vigil.sandbox.jira;

/**
 * One delivery the sandbox made to a webhook: which webhook and URL, the event and issue, whether it was signed, and
 * the receiver's answer (0: none — unreachable or timed out).
 */
public record WebhookDelivery(long webhookId, String url, String event, String issueKey, boolean signed, int status) {
}
