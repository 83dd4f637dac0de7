package io.vigil.engine.config;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.Secret;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated configuration: the engine's own keys, and the sections other modules declared (see
 * {@link ConfigSection}). Immutable.
 *
 * @param file the configuration file
 * @param storeUrl JDBC URL of the store
 * @param storeUser database user; empty for none
 * @param storePassword database password; null for none
 * @param policy the policy file, resolved against the configuration's folder
 * @param identityMatch how service desk accounts are matched to identities
 * @param connectors the connectors by name, in file order
 * @param plugins the plugins folder, resolved against the configuration's folder
 * @param sections the bound sections other modules declared, by key; a section absent from the file is absent here
 */
public record VigilConfig(Path file, String storeUrl, String storeUser, Secret storePassword, Path policy,
    IdentityMatch identityMatch, Map<String, ConnectorConfig> connectors, Path plugins, Map<String, Object> sections) {

  public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./data/vigil";

  public VigilConfig {
    Objects.requireNonNull(file, "file");
    storeUrl = storeUrl == null ? DEFAULT_STORE_URL : storeUrl;
    storeUser = storeUser == null ? "" : storeUser;
    identityMatch = identityMatch == null ? IdentityMatch.EMAIL : identityMatch;
    connectors = Collections.unmodifiableMap(new LinkedHashMap<>(connectors == null ? Map.of() : connectors));
    plugins = plugins == null ? file.toAbsolutePath().getParent().resolve("plugins") : plugins;
    sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections == null ? Map.of() : sections));
  }

  /** The section as bound from the file, or its defaults when the file has none. */
  public <T> T section(ConfigSection<T> section) {
    return section.cast(sections.get(section.key()));
  }

  /** The same configuration with one section replaced (the demo serves on its own address). */
  public <T> VigilConfig withSection(ConfigSection<T> section, T value) {
    Map<String, Object> s = new LinkedHashMap<>(sections);
    s.put(section.key(), value);
    return toBuilder().sections(s).build();
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  public Builder toBuilder() {
    return new Builder(file).storeUrl(storeUrl).storeUser(storeUser).storePassword(storePassword).policy(policy)
        .identityMatch(identityMatch).connectors(connectors).plugins(plugins).sections(sections);
  }

  /** Builds a configuration in code (tests, the demo); every value but the file has a default. */
  public static final class Builder {
    private final Path file;
    private String storeUrl = DEFAULT_STORE_URL;
    private String storeUser = "";
    private Secret storePassword;
    private Path policy;
    private IdentityMatch identityMatch = IdentityMatch.EMAIL;
    private Map<String, ConnectorConfig> connectors = Map.of();
    private Path plugins;
    private Map<String, Object> sections = Map.of();

    private Builder(Path file) {
      this.file = file;
    }

    public Builder storeUrl(String v) {
      storeUrl = v;
      return this;
    }

    public Builder storeUser(String v) {
      storeUser = v;
      return this;
    }

    public Builder storePassword(Secret v) {
      storePassword = v;
      return this;
    }

    public Builder policy(Path v) {
      policy = v;
      return this;
    }

    public Builder identityMatch(IdentityMatch v) {
      identityMatch = v;
      return this;
    }

    public Builder connectors(Map<String, ConnectorConfig> v) {
      connectors = v;
      return this;
    }

    public Builder plugins(Path v) {
      plugins = v;
      return this;
    }

    public Builder sections(Map<String, Object> v) {
      sections = v;
      return this;
    }

    public VigilConfig build() {
      return new VigilConfig(file, storeUrl, storeUser, storePassword, policy, identityMatch, connectors, plugins,
          sections);
    }
  }
}
