package io.vigil.cli;

import io.vigil.app.VigilApp;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.RunStatus;
import io.vigil.jira.config.JiraSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = "One run against the configured systems.")
final class RunCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;
  @Option(names = "--dry-run", description = "plan the actions, print them, write nothing anywhere") boolean dryRun;
  @Option(names = "--json", description = "print one JSON document on standard output") boolean json;
  @Option(names = "--incremental", description = "read sources from their cursors instead of in full") boolean incremental;
  @Option(names = "--confirm-resolve", description = "resolve what the plausibility guard held back: a check resolving"
      + " more than guard.maxResolveShare of its open findings at once, a source reading nothing where it read much")
  boolean confirmResolve;

  RunCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    Setup setup = Setup.loadOrReport(config, ctx, ctx);
    if (setup == null) return Main.REJECTED;
    try (setup; VigilApp app = dryRun
        ? VigilApp.openForDryRun(setup.config(), setup.registry(), ctx.clock(), Progress.on(ctx))
        : VigilApp.open(setup.config(), setup.registry(), ctx.clock(), Progress.on(ctx))) {
      RunReport report = app.pipeline().run(setup.policy(),
          new RunOptions(!incremental, dryRun, Set.of(), Set.of(), "cli", confirmResolve));
      // only publishers are written to: Keycloak, a source only, is never named here
      List<String> publishers = app.connectors().stream().filter(c -> c.publisher().isPresent())
          .map(io.vigil.core.spi.Connector::name).toList();
      return print(report, publishers.isEmpty() ? "no publisher" : String.join(", ", publishers), json, ctx,
          WritePlan.jira(setup.config()));
    }
  }

  static int print(RunReport report, String writtenTo, boolean json, CliContext ctx) {
    return print(report, writtenTo, json, ctx, null);
  }

  static int print(RunReport report, String writtenTo, boolean json, CliContext ctx, JiraSettings jira) {
    if (json) {
      ReportPrinter.json(report, jira, ctx.out());
    } else {
      ReportPrinter.human(report, writtenTo, ctx.out());
      if (report.dryRun()) ReportPrinter.dryRunActions(report, jira, ctx.out());
    }
    return report.status() == RunStatus.SUCCEEDED ? Main.OK : Main.PARTIAL;
  }
}
