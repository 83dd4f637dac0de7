package io.vigil.engine.config;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Secret;
import io.vigil.core.settings.Optional;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.Problems;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.core.settings.Validated;
import io.vigil.engine.internal.yaml.YamlBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Reads the configuration file and validates it as a whole before anything runs: every unknown key,
 * missing field, wrong type, unknown connector type and unset environment variable is reported with
 * file, line and column, in one {@link ProblemsException}. Connector settings are checked against
 * their factory's settings record, so plugin connectors are validated the same way.
 */
public final class ConfigLoader {
  private final ExtensionRegistry registry;
  private final Function<String, String> env;
  private final List<ConfigSection<?>> sections;

  /** A loader for the engine's keys only; any other top-level key is reported as unknown. */
  public ConfigLoader(ExtensionRegistry registry, Function<String, String> env) {
    this(registry, env, List.of());
  }

  /**
   * @param sections the sections the modules above the engine own (the server's, the scheduler's), bound with the
   *     same rules as the engine's keys
   */
  public ConfigLoader(ExtensionRegistry registry, Function<String, String> env, List<ConfigSection<?>> sections) {
    this.registry = registry;
    this.env = env;
    this.sections = List.copyOf(sections);
  }

  /** The keys at the top of the file. */
  record Root(@Optional StoreSection store, String policy, @Optional IdentitySection identity,
      Map<String, Node> connectors, @Optional String plugins) {}

  record StoreSection(String url, @Optional String user, @Optional Secret password) {}

  enum MatchMode { EMAIL, ATTRIBUTE }

  record IdentitySection(MatchMode match, @Optional String attribute) implements Validated {
    @Override
    public List<String> problems() {
      if (match == MatchMode.ATTRIBUTE && (attribute == null || attribute.isBlank())) {
        return List.of("identity.match is 'attribute' but no 'attribute' names the Keycloak user attribute holding "
            + "the Jira account id (e.g. attribute: jiraAccountId)");
      }
      if (match == MatchMode.EMAIL && attribute != null) {
        return List.of("identity.attribute is only used with match: attribute");
      }
      return List.of();
    }
  }

  /** The largest configuration file read (1 MiB); a larger one is refused before it is parsed. */
  public static final long MAX_BYTES = 1L << 20;

  public VigilConfig load(Path file) throws ProblemsException {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ProblemsException(List.of(new Problem(file.toString(), 0, 0, "the configuration file is " + size
            + " bytes; at most " + MAX_BYTES + " (1 MiB) are read, so this is not a Vigil configuration")));
      }
      text = YamlBinder.readUtf8(file);
    } catch (IOException e) {
      throw new ProblemsException(List.of(new Problem(file.toString(), 0, 0,
          "cannot read the configuration file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
    }
    return parse(file, text);
  }

  public VigilConfig parse(Path file, String text) throws ProblemsException {
    Problems problems = new Problems(file.toString());
    YamlBinder binder = new YamlBinder(problems, env);
    Node node = YamlBinder.parse(text, problems);
    problems.throwIfAny();
    Set<String> sectionKeys = sections.stream().map(ConfigSection::key).collect(Collectors.toSet());
    Root root = binder.bind(node, Root.class, sectionKeys);
    Map<String, Object> bound = new LinkedHashMap<>();
    for (ConfigSection<?> section : sections) {
      Node value = valueNode(node, section.key());
      if (value != null && !YamlBinder.isNull(value)) {
        Object v = binder.bind(value, section.type());
        if (v != null) bound.put(section.key(), v);
      }
    }
    Map<String, ConnectorConfig> connectors = new LinkedHashMap<>();
    if (node instanceof MappingNode top) {
      NodeTuple section = YamlBinder.lookup(top).get("connectors");
      if (section != null && section.getValueNode() instanceof MappingNode entries) {
        for (var e : YamlBinder.lookup(entries).entrySet()) connector(binder, e.getKey(), e.getValue(), connectors);
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    Path policy = null;
    Node policyNode = valueNode(node, "policy");
    if (policyNode instanceof org.yaml.snakeyaml.nodes.ScalarNode scalar && !YamlBinder.isNull(scalar)) {
      policy = dir.resolve(scalar.getValue()).normalize();
      if (!Files.isRegularFile(policy)) problems.at(policyNode, "the policy file " + policy + " does not exist");
    }
    problems.throwIfAny();
    IdentityMatch match = root.identity() == null || root.identity().match() == MatchMode.EMAIL
        ? IdentityMatch.EMAIL : IdentityMatch.byAttribute(root.identity().attribute());
    StoreSection store = root.store();
    return VigilConfig.builder(file)
        .storeUrl(store == null ? VigilConfig.DEFAULT_STORE_URL : store.url())
        .storeUser(store == null || store.user() == null ? "" : store.user())
        .storePassword(store == null ? null : store.password())
        .policy(policy)
        .identityMatch(match)
        .connectors(connectors)
        .plugins(dir.resolve(root.plugins() == null ? "plugins" : root.plugins()).normalize())
        .sections(bound)
        .build();
  }

  /**
   * The plugins folder a configuration file names (or {@code plugins/} beside it), read before the file is validated:
   * the plugins' connector types are needed to validate it. A file that cannot be read or parsed gives the default;
   * the full load reports its problems.
   */
  public static Path pluginsFolder(Path configFile) {
    Path dir = configFile.toAbsolutePath().getParent();
    try {
      if (Files.size(configFile) > MAX_BYTES) return dir.resolve("plugins");
      Node node = YamlBinder.parse(Files.readString(configFile, StandardCharsets.UTF_8), new Problems(configFile.toString()));
      Node plugins = valueNode(node, "plugins");
      if (plugins instanceof org.yaml.snakeyaml.nodes.ScalarNode s && !YamlBinder.isNull(s)) return dir.resolve(s.getValue());
    } catch (IOException e) {
      // reported by the full load
    }
    return dir.resolve("plugins");
  }

  /**
   * The policy file a configuration file names, read without validating the rest, so the policy's problems can be
   * reported together with the configuration's; empty when the file cannot be read or names no existing policy.
   */
  public static java.util.Optional<Path> policyFile(Path configFile) {
    try {
      if (Files.size(configFile) > MAX_BYTES) return java.util.Optional.empty();
      Node node = YamlBinder.parse(Files.readString(configFile, StandardCharsets.UTF_8), new Problems(configFile.toString()));
      Node policy = valueNode(node, "policy");
      if (policy instanceof org.yaml.snakeyaml.nodes.ScalarNode s && !YamlBinder.isNull(s)) {
        Path file = configFile.toAbsolutePath().getParent().resolve(s.getValue()).normalize();
        if (Files.isRegularFile(file)) return java.util.Optional.of(file);
      }
    } catch (IOException | RuntimeException e) {
      // reported by the full load
    }
    return java.util.Optional.empty();
  }

  private void connector(YamlBinder binder, String name, NodeTuple entry, Map<String, ConnectorConfig> out) {
    Problems problems = binder.problems();
    if (!(entry.getValueNode() instanceof MappingNode settings)) {
      problems.at(entry.getValueNode(), "connector '" + name + "' must be a mapping with a 'type' and its settings");
      return;
    }
    NodeTuple typeEntry = YamlBinder.lookup(settings).get("type");
    if (typeEntry == null) {
      problems.at(entry.getKeyNode(), "connector '" + name + "' has no 'type' (one of: " + knownTypes() + ")");
      return;
    }
    String type = binder.text(typeEntry.getValueNode(), "a connector type");
    if (type == null) return;
    java.util.Optional<ConnectorFactory> factory = registry.factory(type);
    if (factory.isEmpty()) {
      problems.at(typeEntry.getValueNode(), "unknown connector type '" + type + "' for connector '" + name
          + "'; known types: " + knownTypes() + " (plugin connectors come from jars in the plugins folder)");
      return;
    }
    boolean enabled = true;
    NodeTuple enabledEntry = YamlBinder.lookup(settings).get("enabled");
    if (enabledEntry != null) {
      Boolean value = binder.bind(enabledEntry.getValueNode(), Boolean.class);
      if (value != null) enabled = value;
    }
    Object bound = binder.bind(settings, factory.get().settingsType(), Set.of("type", "enabled"));
    if (bound != null) out.put(name, new ConnectorConfig(name, type, bound, enabled));
  }

  private String knownTypes() {
    String types = registry.connectorFactories().stream().map(ConnectorFactory::type).collect(Collectors.joining(", "));
    return types.isEmpty() ? "none installed" : types;
  }

  private static Node valueNode(Node root, String key) {
    if (root instanceof MappingNode m) {
      NodeTuple t = YamlBinder.lookup(m).get(key);
      if (t != null) return t.getValueNode();
    }
    return null;
  }
}
