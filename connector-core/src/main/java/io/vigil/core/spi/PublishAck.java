package io.vigil.core.spi;

/** How a publisher confirms an action; the pipeline marks it done in the store when called. */
@FunctionalInterface
public interface PublishAck {
  /**
   * The system of record confirmed the action.
   *
   * @param externalRef what the action created or touched there (the ticket key), for later actions
   */
  void done(Action action, String externalRef);
}
