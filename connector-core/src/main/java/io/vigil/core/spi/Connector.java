package io.vigil.core.spi;

import java.util.Optional;

/**
 * A configured connection to one system: a source of data, a place to publish to, or both. Closing it
 * releases its connections and threads.
 */
public interface Connector extends AutoCloseable {
  /** The configuration entry's name. */
  String name();

  default Optional<Source> source() {
    return Optional.empty();
  }

  default Optional<Publisher> publisher() {
    return Optional.empty();
  }

  /** Where customers' security reports are delivered through this connection, if it delivers them. */
  default Optional<ReportChannel> reports() {
    return Optional.empty();
  }

  @Override
  default void close() {}
}
