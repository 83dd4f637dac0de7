package io.vigil.core.spi;

/**
 * One entry under {@code connectors:} in the configuration, already validated and bound to the
 * factory's {@link ConnectorFactory#settingsType() settings type}.
 *
 * @param name the entry's name (the key under {@code connectors:}), used in logs, stats and schedules
 * @param type the connector type, matching {@link ConnectorFactory#type()}
 * @param settings the bound settings object
 * @param enabled {@code enabled:} in the entry (default true); a disabled connector is not created, and no
 *     schedule may name it
 */
public record ConnectorConfig(String name, String type, Object settings, boolean enabled) {
  public ConnectorConfig(String name, String type, Object settings) {
    this(name, type, settings, true);
  }

  public <T> T settings(Class<T> type) {
    return type.cast(settings);
  }
}
