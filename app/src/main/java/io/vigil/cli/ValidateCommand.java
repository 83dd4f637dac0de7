package io.vigil.cli;

import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate", description = "Validate the configuration and the policy; print every problem.")
final class ValidateCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;

  ValidateCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    try (Setup setup = Setup.load(config, ctx)) {
      ctx.out().printf("%s is valid: %d connector(s) (%s), policy %s version %s, %d check(s)%s%n", config,
          setup.config().connectors().size(), String.join(", ", setup.config().connectors().keySet()),
          setup.config().policy(), setup.policy().version(), setup.registry().checks().size(),
          setup.registry().plugins().isEmpty() ? "" : ", plugins " + String.join(", ", setup.registry().plugins()));
      return Main.OK;
    } catch (ProblemsException e) {
      printProblems(e, ctx);
      return Main.REJECTED;
    }
  }

  static void printProblems(ProblemsException e, CliContext ctx) {
    ctx.err().println("vigil: " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
        + "; nothing was run:");
    for (Problem p : e.problems()) ctx.err().println("  " + p);
    ctx.err().flush();
  }
}
