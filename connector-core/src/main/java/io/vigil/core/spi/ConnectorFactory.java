package io.vigil.core.spi;

import org.pf4j.ExtensionPoint;

/**
 * Creates connectors of one type from their configuration. Found on the classpath and in plugin jars
 * through PF4J's {@code @Extension}. Implementations are stateless and thread-safe.
 */
public interface ConnectorFactory extends ExtensionPoint {
  /** The {@code type:} value this factory serves, e.g. {@code jira} or {@code keycloak}. */
  String type();

  /**
   * The record the connector's settings are bound to. Every key under the connector's entry except
   * {@code type} must be a component of this record, so unknown keys and wrong types are reported with
   * file and line before anything runs. Components of type {@link Secret} are masked everywhere.
   */
  Class<? extends Record> settingsType();

  /** Creates a connector; must not contact the remote system (that is {@link Source#check()}'s job). */
  Connector create(ConnectorConfig config, ConnectorContext context);
}
