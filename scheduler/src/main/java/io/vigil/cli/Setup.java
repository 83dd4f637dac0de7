package io.vigil.cli;

import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.VigilConfig;
import io.vigil.core.plugin.ExtensionRegistry;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.PolicyLoader;
import io.vigil.core.yaml.Problem;
import io.vigil.core.yaml.ProblemsException;
import io.vigil.core.yaml.YamlBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Loads what every command needs from a configuration file: the extension registry (with the plugins
 * folder the file names), the validated configuration and the policy. Problems of both files are
 * gathered and reported together.
 */
record Setup(ExtensionRegistry registry, VigilConfig config, Policy policy) implements AutoCloseable {

  static Setup load(Path configFile, CliContext ctx) throws ProblemsException {
    ExtensionRegistry registry = ExtensionRegistry.load(pluginsFolder(configFile));
    List<Problem> problems = new ArrayList<>();
    VigilConfig config = null;
    Policy policy = null;
    try {
      config = new ConfigLoader(registry, ctx.env()).load(configFile);
    } catch (ProblemsException e) {
      problems.addAll(e.problems());
    }
    if (config != null) {
      try {
        policy = PolicyLoader.load(config.policy());
      } catch (ProblemsException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      registry.close();
      throw new ProblemsException(problems);
    }
    return new Setup(registry, config, policy);
  }

  /**
   * Loads as {@link #load} does; on problems prints them all (for {@code ctx}'s user) and returns null, so the
   * command exits with {@link Main#REJECTED}.
   */
  static Setup loadOrReport(Path configFile, CliContext ctx, CliContext reportTo) {
    try {
      return load(configFile, ctx);
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, reportTo);
      return null;
    }
  }

  /** The plugins folder named in the file (or {@code plugins/} beside it), read before full validation. */
  private static Path pluginsFolder(Path configFile) {
    Path dir = configFile.toAbsolutePath().getParent();
    try {
      var problems = new io.vigil.core.yaml.Problems(configFile.toString());
      var node = YamlBinder.parse(Files.readString(configFile), problems);
      if (node instanceof MappingNode m) {
        var entry = YamlBinder.lookup(m).get("plugins");
        if (entry != null && entry.getValueNode() instanceof ScalarNode s) return dir.resolve(s.getValue());
      }
    } catch (IOException e) {
      // reported by the full load
    }
    return dir.resolve("plugins");
  }

  /** Opens the configured store (the caller closes it). */
  io.vigil.core.store.Store openStore(java.time.Clock clock) {
    return io.vigil.core.store.Store.open(config.storeUrl(), config.storeUser(), config.storePassword(), clock);
  }

  @Override
  public void close() {
    registry.close();
  }
}
