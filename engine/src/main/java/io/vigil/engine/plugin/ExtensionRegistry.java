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
  private final List<String> failures;

  private ExtensionRegistry(PluginManager plugins, List<String> failures) {
    this.plugins = plugins;
    this.failures = List.copyOf(failures);
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
    List<String> failures = new java.util.ArrayList<>();
    if (!roots.isEmpty()) {
      manager.loadPlugins();
      manager.startPlugins();
      failures.addAll(failures(manager, pluginsDir));
    }
    return new ExtensionRegistry(manager, failures);
  }

  /**
   * Each plugin in the folder that PF4J did not load or start, as "{@code path}: reason". PF4J only logs these and
   * carries on, which would leave a run without the plugin's checks and no one the wiser.
   */
  private static List<String> failures(PluginManager manager, Path dir) {
    List<String> out = new java.util.ArrayList<>();
    java.util.Set<Path> loaded = new java.util.HashSet<>();
    for (PluginWrapper w : manager.getPlugins()) {
      loaded.add(w.getPluginPath().toAbsolutePath().normalize());
      if (w.getPluginState() == org.pf4j.PluginState.FAILED) {
        Throwable t = w.getFailedException();
        out.add(w.getPluginPath() + ": the plugin " + w.getPluginId() + " failed to start"
            + (t == null ? "" : " (" + (t.getMessage() == null ? t.toString() : t.getMessage()) + ")"));
      }
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      files.filter(f -> {
        String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".jar") || name.endsWith(".zip");
      }).sorted().filter(f -> !loaded.contains(f.toAbsolutePath().normalize()))
          .filter(f -> !loaded.contains(unzipped(f)))
          .forEach(f -> out.add(f + ": not a loadable plugin (" + whyNot(f) + ")"));
    } catch (java.io.IOException e) {
      out.add(dir + ": cannot list the plugins folder (" + e.getMessage() + ")");
    }
    return out;
  }

  /** The folder PF4J unpacks a plugin zip to. */
  private static Path unzipped(Path zip) {
    String name = zip.getFileName().toString();
    return zip.resolveSibling(name.substring(0, name.lastIndexOf('.'))).toAbsolutePath().normalize();
  }

  private static String whyNot(Path jar) {
    try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
      java.util.jar.Manifest m = f.getManifest();
      boolean described = m != null && m.getMainAttributes().getValue("Plugin-Id") != null
          || f.getEntry("plugin.properties") != null;
      return described ? "PF4J rejected it; the log above says why" : "it has no Plugin-Id in its manifest";
    } catch (java.io.IOException e) {
      return "the file is not a readable jar: " + e.getMessage();
    }
  }

  /**
   * The plugins that could not be loaded, one line each naming the file; empty when all were. A configuration with
   * such a plugin is invalid: running without the plugin's checks would report findings as resolved.
   */
  public List<String> failures() {
    return failures;
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
