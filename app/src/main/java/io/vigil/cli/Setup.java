package io.vigil.cli;

import io.vigil.app.VigilService;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.core.policy.Policy;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads what every command needs from a configuration file: the extension registry (with the plugins
 * folder the file names), the validated configuration and the policy. Problems of both files are
 * gathered and reported together; the policy's warnings (which do not make it invalid) are kept for
 * {@code validate} to print.
 */
record Setup(ExtensionRegistry registry, VigilConfig config, Policy policy, List<Problem> warnings)
    implements AutoCloseable {

  static Setup load(Path configFile, CliContext ctx) throws ProblemsException {
    ExtensionRegistry registry = ExtensionRegistry.load(ConfigLoader.pluginsFolder(configFile));
    List<Problem> problems = new ArrayList<>();
    for (String failure : registry.failures()) {
      int colon = failure.indexOf(": ");
      problems.add(new Problem(failure.substring(0, colon), 0, 0, failure.substring(colon + 2)));
    }
    VigilConfig config = null;
    Policy policy = null;
    List<Problem> warnings = List.of();
    try {
      config = new ConfigLoader(registry, ctx.env(), VigilService.CONFIG_SECTIONS).load(configFile);
    } catch (ProblemsException e) {
      problems.addAll(e.problems());
    }
    // the policy is checked even when the configuration has problems, so one pass reports them all
    java.util.Optional<Path> policyFile = config != null ? java.util.Optional.ofNullable(config.policy())
        : ConfigLoader.policyFile(configFile);
    if (policyFile.isPresent()) {
      try {
        PolicyLoader.Loaded loaded = PolicyLoader.loadWithWarnings(policyFile.get());
        policy = loaded.policy();
        warnings = loaded.warnings();
      } catch (ProblemsException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      registry.close();
      throw new ProblemsException(problems);
    }
    return new Setup(registry, config, policy, warnings);
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

  /** Opens the configured store (the caller closes it). */
  io.vigil.engine.store.Store openStore(java.time.Clock clock) {
    return io.vigil.engine.store.Store.open(config.storeUrl(), config.storeUser(), config.storePassword(), clock);
  }

  @Override
  public void close() {
    registry.close();
  }
}
