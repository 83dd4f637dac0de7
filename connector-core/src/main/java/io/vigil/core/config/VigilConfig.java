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
 * @param server how {@code vigil serve} listens, signs users in and shares work with other nodes
 */
public record VigilConfig(Path file, String storeUrl, String storeUser, Secret storePassword, Path policy,
    IdentityMatch identityMatch, Map<String, ConnectorConfig> connectors, Path plugins,
    Map<String, ScheduleConfig> schedules, ServerConfig server) {

  public VigilConfig {
    schedules = schedules == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(schedules));
    server = server == null ? ServerConfig.defaults() : server;
  }

  public VigilConfig(Path file, String storeUrl, String storeUser, Secret storePassword, Path policy,
      IdentityMatch identityMatch, Map<String, ConnectorConfig> connectors, Path plugins,
      Map<String, ScheduleConfig> schedules) {
    this(file, storeUrl, storeUser, storePassword, policy, identityMatch, connectors, plugins, schedules, null);
  }

  public VigilConfig(Path file, String storeUrl, String storeUser, Secret storePassword, Path policy,
      IdentityMatch identityMatch, Map<String, ConnectorConfig> connectors, Path plugins) {
    this(file, storeUrl, storeUser, storePassword, policy, identityMatch, connectors, plugins, Map.of(), null);
  }

  public VigilConfig withServer(ServerConfig s) {
    return new VigilConfig(file, storeUrl, storeUser, storePassword, policy, identityMatch, connectors, plugins, schedules, s);
  }

  public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./data/vigil";
}
