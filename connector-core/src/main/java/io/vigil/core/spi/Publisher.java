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
  default Map<String, TicketState> ticketStates(Map<String, String> ticketsByFingerprint) throws PublishException {
    return Map.of();
  }
}
