package io.vigil.engine.store;

import io.vigil.core.spi.Action;
import java.time.Instant;

/**
 * An action waiting for (or done by) one publisher.
 *
 * @param action the action; its id is the outbox id
 * @param publisher the publisher (connector name) that applies it
 * @param status pending, done
 * @param attempts how many times publishing it failed
 * @param lastError the last failure, empty if none
 * @param externalRef what the publisher reported (the ticket key) once done
 */
public record OutboxEntry(Action action, String runId, String publisher, String status, int attempts, String lastError,
    Instant createdAt, Instant doneAt, String externalRef) {

  public static final String PENDING = "pending";
  public static final String DONE = "done";
}
