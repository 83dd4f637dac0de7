package io.vigil.cli;

import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.core.spi.ActivityLedger;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.Source;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate", description = "Validate the configuration and the policy; print every problem.")
final class ValidateCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;
  @Option(names = "--connect", description = "also connect to every enabled source and check its address, credentials"
      + " and permissions (reads only; writes nothing)") boolean connect;

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
      for (Problem w : setup.warnings()) ctx.out().println("  warning: " + w);
      return connect ? connect(setup) : Main.OK;
    } catch (ProblemsException e) {
      printProblems(e, ctx);
      return Main.REJECTED;
    }
  }

  /** Calls every enabled source's {@code check()}; prints what each found; 1 when any is not fully usable. */
  private int connect(Setup setup) {
    int failed = 0;
    ConnectorContext context = new ConnectorContext(ctx.clock(), new NoLedger(),
        setup.config().file().toAbsolutePath().getParent());
    for (ConnectorConfig c : setup.config().connectors().values()) {
      if (!c.enabled()) {
        ctx.out().printf("  %-12s disabled, not contacted%n", c.name());
        continue;
      }
      ConnectionStatus status;
      Connector connector = null;
      try {
        connector = setup.registry().factory(c.type()).orElseThrow().create(c, context);
        java.util.Optional<Source> source = connector.source();
        if (source.isEmpty()) {
          ctx.out().printf("  %-12s publishes only; nothing to check%n", c.name());
          continue;
        }
        status = source.get().check(setup.policy());
        status = withRegistration(setup, source.get(), status);
      } catch (RuntimeException e) {
        status = ConnectionStatus.failed(ConnectionStatus.State.ERROR, "could not be checked: "
            + (e.getMessage() == null ? e.toString() : e.getMessage()));
      } finally {
        if (connector != null) connector.close();
      }
      if (!status.isOk()) failed++;
      ctx.out().printf("  %-12s %s: %s%n", c.name(), describe(status.state()), status.message());
      for (String p : status.missingPermissions()) ctx.out().printf("  %-12s   missing permission: %s%n", "", p);
      for (String w : status.warnings()) ctx.out().printf("  %-12s   warning: %s%n", "", w);
    }
    if (failed > 0) {
      ctx.err().printf("vigil: %d of %d source(s) cannot be used as configured%n", failed,
          setup.config().connectors().values().stream().filter(ConnectorConfig::enabled).count());
      return Main.REJECTED;
    }
    return Main.OK;
  }

  /**
   * With {@code events.jira.register}, whether the Jira source's credentials could register the webhook (a read):
   * a refusal makes the source's status that refusal, so {@code validate --connect} fails before {@code serve} would.
   */
  private static ConnectionStatus withRegistration(Setup setup, Source source, ConnectionStatus status) {
    io.vigil.engine.events.EventsConfig.Jira jira = setup.config().section(io.vigil.engine.events.EventsConfig.SECTION).jira();
    if (jira == null || jira.register() == null || !status.isOk()
        || !(source instanceof io.vigil.core.spi.WebhookRegistration target)
        || !(jira.source().isEmpty() || jira.source().equals(source.name()))) {
      return status;
    }
    ConnectionStatus registration = target.checkRegistration();
    if (!registration.isOk()) return registration;
    java.util.List<String> warnings = new java.util.ArrayList<>(status.warnings());
    return new ConnectionStatus(status.state(), status.message() + "; " + registration.message(),
        status.missingPermissions(), warnings);
  }

  private static String describe(ConnectionStatus.State state) {
    return switch (state) {
      case OK -> "ok";
      case UNREACHABLE -> "UNREACHABLE";
      case UNAUTHENTICATED -> "CREDENTIALS REFUSED";
      case PERMISSIONS_MISSING -> "PERMISSIONS MISSING";
      case ERROR -> "ERROR";
    };
  }

  /** A ledger that remembers nothing: checking a connection records no activity. */
  private static final class NoLedger implements ActivityLedger {
    @Override
    public void recordSeen(String source, String identityId, Instant at) {}

    @Override
    public Map<String, Instant> lastSeen(String source) {
      return Map.of();
    }
  }

  static void printProblems(ProblemsException e, CliContext ctx) {
    ctx.err().println("vigil: " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
        + "; nothing was run:");
    for (Problem p : e.problems()) ctx.err().println("  " + p);
    ctx.err().flush();
  }
}
