package io.vigil.core.config;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.Secret;
import java.nio.file.Path;
import java.util.Map;

/**
 * A validated configuration.
 *
 * @param file the configuration file
 * @param storeUrl JDBC URL of the store
 * @param storeUser database user; empty for none
 * @param storePassword database password; null for none
 * @param policy the policy file, resolved against the configuration's folder
 * @param identityMatch how service desk accounts are matched to identities
 * @param connectors the connectors by name, in file order
 * @param plugins the plugins folder, resolved against the configuration's folder
 * @param schedules the schedules that seed the database on first start, by name, in file order
 */
public record VigilConfig(Path file, String storeUrl, String storeUser, Secret storePassword, Path policy,
    IdentityMatch identityMatch, Map<String, ConnectorConfig> connectors, Path plugins,
    Map<String, ScheduleConfig> schedules) {

  public VigilConfig {
    schedules = schedules == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(schedules));
  }

  public VigilConfig(Path file, String storeUrl, String storeUser, Secret storePassword, Path policy,
      IdentityMatch identityMatch, Map<String, ConnectorConfig> connectors, Path plugins) {
    this(file, storeUrl, storeUser, storePassword, policy, identityMatch, connectors, plugins, Map.of());
  }

  public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./data/vigil";
}
