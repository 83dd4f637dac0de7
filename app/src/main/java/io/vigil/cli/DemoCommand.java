package io.vigil.cli;

import io.vigil.server.ServerConfig;
import io.vigil.app.VigilApp;
import io.vigil.app.VigilService;
import io.vigil.cli.demo.DemoOrg;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Runs Vigil over the demo organisation: the JSM and Keycloak sandboxes seeded with"
    + " Acme Corp (or --org), an H2 store in a temporary folder.")
final class DemoCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--json", description = "print one JSON document per run on standard output") boolean json;
  @Option(names = "--serve", description = "keep the server and the sandboxes up afterwards") boolean serve;
  @Option(names = "--port", defaultValue = "8080", description = "the server's port with --serve (default 8080)") int port;
  @Option(names = "--org", description = "an organisation folder: vigil.yaml, policy.yaml, jira.json, realm.json"
      + " [, activity.json]") Path org;
  @Option(names = "--store", description = "keep the demo's store and what it wrote to the sandbox Jira in this folder,"
      + " so the next demo with the same folder continues this one") Path storeDir;
  @Option(names = "--plugins", description = "a folder of plugin jars to load into the demo (copied into the demo's"
      + " plugins folder)") Path plugins;
  @Option(names = "--runs", defaultValue = "1", description = "how many runs in a row (the second writes nothing new)") int runs;

  DemoCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1) {
      ctx.err().println("vigil: --runs must be at least 1");
      return Main.REJECTED;
    }
    Path dir = storeDir != null ? Files.createDirectories(storeDir) : Files.createTempDirectory("vigil-demo");
    try {
      return demo(dir);
    } finally {
      if (storeDir == null) deleteQuietly(dir); // a temporary demo leaves nothing behind; --store keeps its folder
    }
  }

  /** Removes a folder and everything in it, as far as it can; what is left is named on standard error. */
  private void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
          // left behind; reported below
        }
      });
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // reported below
    }
    if (Files.exists(dir)) ctx.err().println("vigil: could not remove the demo's temporary folder " + dir);
  }

  private int demo(Path dir) throws Exception {
    DemoOrg demo;
    try {
      demo = DemoOrg.start(org, dir.resolve("org"));
    } catch (IllegalArgumentException | IllegalStateException e) {
      ctx.err().println("vigil: " + e.getMessage());
      return Main.REJECTED;
    }
    Path journal = dir.resolve("jira-journal.json");
    try (demo) {
      if (plugins != null && !copyPlugins(plugins, demo.config().getParent().resolve("plugins"))) return Main.REJECTED;
      if (storeDir != null && Files.exists(journal)) {
        // the JSM sandbox starts from its dataset; what earlier demos wrote into it is replayed, so this one continues
        int replayed = demo.jira().replayJournal(journal);
        if (!json) ctx.out().println("Continuing the demo in " + dir + ": replayed " + replayed + " earlier write(s) to Jira.");
      }
      String store = "jdbc:h2:file:" + dir.resolve("vigil").toAbsolutePath();
      CliContext demoCtx = ctx.withEnv(demo.env(ctx.env(), store, "http://localhost:" + port));
      Setup setup = Setup.loadOrReport(demo.config(), demoCtx, ctx);
      if (setup == null) return Main.REJECTED;
      try (setup) {
        int exit = runs(demo, setup, dir);
        if (!serve) {
          if (storeDir != null) demo.jira().saveJournal(journal);
          return exit;
        }
        return serve(demo, setup, storeDir == null ? null : journal, dir);
      }
    }
  }

  /** Copies the plugin jars of a folder into the demo's plugins folder; false (said why) when there is nothing to copy. */
  private boolean copyPlugins(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      ctx.err().println("vigil: --plugins " + from + " is not a folder of plugin jars");
      return false;
    }
    Files.createDirectories(to);
    try (var jars = Files.list(from)) {
      for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
        Files.copy(jar, to.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return true;
  }

  /** The demo's runs, through an app of their own that is closed before any server opens the store. */
  private int runs(DemoOrg demo, Setup setup, Path dir) {
    try (VigilApp app = VigilApp.open(setup.config(), setup.registry(), ctx.clock(), Progress.on(ctx))) {
      if (!json) {
        ctx.out().println("Vigil demo — " + demo.name() + "\n  JSM sandbox      " + demo.jiraUrl()
            + "\n  Keycloak sandbox " + demo.keycloakUrl() + "\n  store and configuration in " + dir + "\n");
      }
      int exit = Main.OK;
      // the register's manual requirement, attested once, so the Reports page shows an attestation
      String attested = io.vigil.cli.demo.DemoHistory.attest(app.store(), setup.policy());
      for (int i = 1; i <= runs; i++) {
        if (!json && runs > 1) ctx.out().println("— run " + i + " of " + runs);
        RunReport report = app.pipeline().run(setup.policy(), new RunOptions(true, false, Set.of(), Set.of(), "demo"));
        exit = Math.max(exit, RunCommand.print(report, "the JSM sandbox", json, ctx, WritePlan.jira(setup.config())));
      }
      if (!json) {
        ctx.out().println("\nThe JSM sandbox now holds " + demo.jira().issuesWithLabel("vigil").size()
            + " compliance ticket(s) and " + demo.jira().issuesWithLabel("security-incident").size()
            + " issue(s) flagged as security incidents.");
        whatIf(app, demo);
      }
      int seeded = io.vigil.cli.demo.DemoHistory.seed(app.store());
      if (!json) requirements(app, setup, attested, seeded);
      return exit;
    }
  }

  /** The register's counts after the runs, and what the demo added for the Reports page. */
  private void requirements(VigilApp app, Setup setup, String attested, int seeded) {
    var report = new io.vigil.engine.report.RequirementsRegister(app.store()).report(setup.policy(),
        io.vigil.engine.report.RequirementsRegister.Filter.ALL);
    java.util.function.Function<String, Long> n = s -> report.byStatus().getOrDefault(s, 0L);
    ctx.out().println("Requirements: " + report.requirements().size() + " — " + n.apply("validated") + " validated, "
        + n.apply("failing") + " failing, " + n.apply("accepted-risk") + " accepted risk, "
        + n.apply("not-validated") + " not validated (vigil report lists them).");
    if (!attested.isEmpty()) ctx.out().println("  " + attested + " is a manual requirement, attested by the demo.");
    if (seeded > 0) {
      ctx.out().println("  " + seeded + " weekly KPI snapshots before this run were seeded for the Reports page's"
          + " trends (marked \"seeded\").");
    }
  }

  /**
   * Prints the what-if comment on each pending access request, as the approver sees it in the JSM sandbox: the one
   * comment an issue finding keeps there (security-incident flags write theirs otherwise, without this marker).
   */
  private void whatIf(VigilApp app, DemoOrg demo) {
    var findings = app.store().withHandle(h -> app.store().findings().all(h)).values().stream()
        .filter(f -> f.finding().flag() != null && f.status() == io.vigil.core.model.FindingStatus.OPEN)
        .sorted(java.util.Comparator.comparing(f -> f.finding().subject().id())).toList();
    for (var f : findings) {
      String key = f.finding().subject().id();
      if (!demo.jira().hasIssue(key)) continue;
      String marker = io.vigil.jira.JiraPublisher.commentMarker(f.fingerprint());
      demo.jira().issue(key).internalComments().stream().filter(c -> c.text().contains(marker)).findFirst()
          .ifPresent(c -> ctx.out().println("\nWhat-if comment on pending access request " + key
              + " (internal, before anyone approves):\n" + c.text().indent(2).stripTrailing()));
    }
  }

  /** Keeps the sandboxes up and serves the console and API over the demo, without sign-in, on loopback only. */
  private int serve(DemoOrg demo, Setup setup, Path journal, Path dir) throws Exception {
    var server = setup.config().section(ServerConfig.SECTION);
    var config = setup.config().withSection(ServerConfig.SECTION, new ServerConfig("127.0.0.1", port, server.zone(),
        false, "demo", null, "http://localhost:" + port, server.policyCheckSeconds(),
        server.shutdownSeconds()));
    VigilService service = VigilService.start(config, setup.registry(), ctx.clock(), true, Consoles.forServe());
    return ServeCommand.serveUntilStopped(service, () -> {
      if (journal != null) demo.jira().saveJournal(journal);
      // stopped by a signal the JVM exits once this hook ends, before call() could clean up
      if (storeDir == null) deleteQuietly(dir);
    }, ctx, "\nVigil demo console on http://localhost:" + service.port() + "/console/ — no sign-in (loopback only). Ctrl-C stops it.");
  }
}
