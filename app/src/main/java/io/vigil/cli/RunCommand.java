package io.vigil.cli;

import io.vigil.app.VigilApp;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.RunStatus;
import java.nio.file.Path;
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
          new RunOptions(!incremental, dryRun, Set.of(), Set.of(), "cli"));
      return print(report, String.join(", ", setup.config().connectors().keySet()), json, ctx);
    }
  }

  static int print(RunReport report, String writtenTo, boolean json, CliContext ctx) {
    if (json) {
      ReportPrinter.json(report, ctx.out());
    } else {
      ReportPrinter.human(report, writtenTo, ctx.out());
      if (report.dryRun()) ReportPrinter.dryRunActions(report, ctx.out());
    }
    return report.status() == RunStatus.SUCCEEDED ? Main.OK : Main.PARTIAL;
  }
}
