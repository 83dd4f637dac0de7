package io.vigil.engine.plugin;

import io.vigil.core.spi.Check;
import io.vigil.core.spi.ConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * The extensions Vigil runs with: those on the classpath (the bundled connectors and checks, found
 * through the {@code META-INF/extensions.idx} PF4J's annotation processor writes for every
 * {@code @Extension}) and those in plugin jars dropped into the plugins folder. Built once by the
 * composition root and passed on through constructors. Immutable after construction; thread-safe.
 */
public final class ExtensionRegistry implements AutoCloseable {
  private final PluginManager plugins;
  private final Map<String, ConnectorFactory> factories;
  private final List<Check> checks;

  private ExtensionRegistry(PluginManager plugins) {
    this.plugins = plugins;
    Map<String, ConnectorFactory> byType = new LinkedHashMap<>();
    for (ConnectorFactory f : plugins.getExtensions(ConnectorFactory.class)) {
      ConnectorFactory previous = byType.putIfAbsent(f.type(), f);
      if (previous != null && previous.getClass() != f.getClass()) {
        throw new IllegalStateException("two connector factories claim the type '" + f.type() + "': "
            + previous.getClass().getName() + " and " + f.getClass().getName());
      }
    }
    this.factories = Map.copyOf(byType);
    Map<String, Check> byName = new LinkedHashMap<>();
    for (Check c : plugins.getExtensions(Check.class)) byName.putIfAbsent(c.name(), c);
    this.checks = byName.values().stream().sorted(Comparator.comparing(Check::name)).toList();
  }

  /**
   * Loads the classpath extensions and every plugin in {@code pluginsDir}.
   *
   * @param pluginsDir the plugins folder; null or missing means classpath extensions only
   */
  public static ExtensionRegistry load(Path pluginsDir) {
    List<Path> roots = pluginsDir != null && Files.isDirectory(pluginsDir) ? List.of(pluginsDir) : List.of();
    PluginManager manager = new DefaultPluginManager(roots);
    if (!roots.isEmpty()) {
      manager.loadPlugins();
      manager.startPlugins();
    }
    return new ExtensionRegistry(manager);
  }

  public List<ConnectorFactory> connectorFactories() {
    return factories.values().stream().sorted(Comparator.comparing(ConnectorFactory::type)).toList();
  }

  public Optional<ConnectorFactory> factory(String type) {
    return Optional.ofNullable(factories.get(type));
  }

  /** Every check, bundled and from plugins, by name. */
  public List<Check> checks() {
    return checks;
  }

  /** The ids and versions of the loaded plugins, e.g. {@code acme-checks@1.0.0}. */
  public List<String> plugins() {
    return plugins.getPlugins().stream()
        .map(PluginWrapper::getDescriptor).map(d -> d.getPluginId() + "@" + d.getVersion()).sorted().toList();
  }

  @Override
  public void close() {
    plugins.stopPlugins();
    plugins.unloadPlugins();
  }
}
