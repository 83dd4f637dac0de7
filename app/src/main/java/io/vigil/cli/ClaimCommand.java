package io.vigil.cli;

import io.vigil.app.VigilApp;
import io.vigil.core.spi.Claim;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.Publisher;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.engine.run.RunListener;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "claim", description = "Show which Vigil installation holds each publisher's system of record (the"
    + " Jira compliance project), or take it over for this installation with --takeover. Exit 0 when this"
    + " installation holds every one, 1 otherwise.")
final class ClaimCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;
  @Option(names = "--takeover", description = "claim every publisher's system for this installation, whoever holds it")
  boolean takeover;
  @Option(names = "--by", defaultValue = "${sys:user.name}", description = "who takes over (default: the OS user)") String by;

  ClaimCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    try (Setup setup = Setup.load(config, ctx);
        VigilApp app = VigilApp.open(setup.config(), setup.registry(), ctx.clock(), RunListener.NONE)) {
      String me = app.store().installationId();
      ctx.out().println("this installation: " + me);
      boolean allOurs = true;
      for (Connector c : app.connectors()) {
        if (c.publisher().isEmpty()) continue;
        Publisher p = c.publisher().get();
        try {
          Claim claim = p.claim(takeover);
          if (takeover && claim.ours()) {
            app.store().audit().append(by, "claim.takeover", claim.system(), "installation=" + me);
          }
          allOurs &= claim.ours();
          ctx.out().println(c.name() + ": " + claim.system() + " — " + (claim.holder().isEmpty()
              ? (claim.ours() ? "needs no claim" : "not claimed yet (the first run that writes claims it)")
              : (claim.ours() ? "held by this installation" : "held by installation " + claim.holder())
                  + (claim.since().isEmpty() ? "" : " since " + claim.since())));
        } catch (PublishException e) {
          allOurs = false;
          ctx.err().println("vigil: " + e.getMessage());
        }
      }
      if (!allOurs && !takeover) {
        ctx.out().println("Another installation writes there; take over only once it has stopped: vigil claim --config "
            + config + " --takeover");
      }
      return allOurs ? Main.OK : Main.REJECTED;
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, ctx);
      return Main.REJECTED;
    }
  }
}
