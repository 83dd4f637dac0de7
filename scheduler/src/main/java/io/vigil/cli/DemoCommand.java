package io.vigil.cli;

import io.vigil.app.VigilApp;
import io.vigil.cli.demo.DemoOrganisation;
import io.vigil.cli.demo.MemoryJira;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.plugin.ExtensionRegistry;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.PolicyLoader;
import io.vigil.core.run.RunOptions;
import io.vigil.core.run.RunReport;
import io.vigil.core.store.Store;
import io.vigil.core.yaml.ProblemsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "One full run over the demo organisation, with an H2 store in a temporary folder.")
final class DemoCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--json", description = "print one JSON document on standard output") boolean json;
  @Option(names = "--serve", description = "keep the server and the sandboxes up afterwards") boolean serve;
  @Option(names = "--port", defaultValue = "8080", description = "the server's port with --serve (default 8080)") int port;
  @Option(names = "--org", description = "seed the sandboxes from another organisation folder") Path org;
  @Option(names = "--store", description = "keep the store here, so the next demo run continues this one") Path storeDir;

  DemoCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    if (serve || org != null) {
      ctx.err().println("vigil: demo " + (serve ? "--serve" : "--org") + " needs the JSM and Keycloak sandboxes and the"
          + " server, which this build does not include yet; run 'vigil demo' without it");
      return Main.REJECTED;
    }
    Path dir = storeDir != null ? Files.createDirectories(storeDir) : Files.createTempDirectory("vigil-demo");
    Policy policy;
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/policy.yaml")) {
      if (in == null) throw new IllegalStateException("the demo policy is missing from this build");
      policy = PolicyLoader.parse("demo/policy.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, ctx);
      return Main.REJECTED;
    }
    MemoryJira jira = DemoOrganisation.serviceDesk();
    try (ExtensionRegistry registry = ExtensionRegistry.load(null);
        Store store = Store.open("jdbc:h2:file:" + dir.resolve("vigil").toAbsolutePath(), ctx.clock());
        VigilApp app = new VigilApp(store, List.of(jira, DemoOrganisation.identityProvider(ctx.clock().instant())), registry.checks(), IdentityMatch.EMAIL, ctx.clock(),
            Progress.on(ctx))) {
      if (!json) ctx.out().println("Vigil demo — Acme Corp (in-memory service desk and realm), store in " + dir + "\n");
      RunReport report = app.pipeline().run(policy, new RunOptions(true, false, Set.of(), Set.of(), "demo"));
      return RunCommand.print(report, "the demo service desk", json, ctx);
    }
  }
}
