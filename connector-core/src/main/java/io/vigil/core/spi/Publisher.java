package io.vigil.core.spi;

import java.util.List;
import java.util.Map;

/**
 * Applies actions to a system of record, idempotently: applying an action that was already applied
 * (the process died before it could acknowledge it) must not write it twice. Thread-safe.
 */
public interface Publisher {
  /** The connector name. */
  String name();

  /**
   * Applies a batch in order, acknowledging each action as soon as the system confirmed it. Throws
   * {@link PublishException} at the first action that cannot be applied; the ones acknowledged before
   * stay done, the rest stay in the outbox for the next run.
   */
  void publish(List<Action> batch, PublishAck ack) throws PublishException;

  /**
   * Reads back the tickets Vigil opened, so the reconciler can respect those a person closed or deleted. Keys
   * are fingerprints, values ticket keys; the answer has an entry for each ticket it could read. The default
   * reads nothing (the system has no tickets to close).
   */
  /**
   * Who holds this publisher's system of record (see {@link Claim}); with {@code takeOver}, claims it for this
   * installation first, whoever held it. The default needs no claim. A publisher that claims checks the claim before
   * every batch and throws {@link PublishException} naming both installations when another holds it.
   */
  default Claim claim(boolean takeOver) throws PublishException {
    return Claim.notNeeded(name());
  }

  default Map<String, TicketState> ticketStates(Map<String, String> ticketsByFingerprint) throws PublishException {
    return Map.of();
  }
}
