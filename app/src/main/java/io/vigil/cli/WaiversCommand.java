package io.vigil.cli;

import io.vigil.core.model.Waiver;
import io.vigil.engine.store.Store;
import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "waivers", description = "List active waivers (or all), or revoke one.")
final class WaiversCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;
  @Option(names = "--all", description = "include expired and revoked waivers") boolean all;
  @Option(names = "--revoke", paramLabel = "ID", description = "revoke the waiver with this id") String revoke;
  @Option(names = "--by", defaultValue = "${sys:user.name}", description = "who revokes (default: the OS user)") String by;

  WaiversCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    try (Setup setup = Setup.load(config, ctx);
        Store store = setup.openStore(ctx.clock())) {
      if (revoke != null) {
        store.waivers().revoke(revoke, by);
        ctx.out().println("waiver " + revoke + " revoked; its findings open again on the next run if still observed");
        return Main.OK;
      }
      List<Waiver> waivers = all ? store.waivers().all() : store.waivers().active(ctx.clock().instant());
      if (waivers.isEmpty()) ctx.out().println(all ? "no waivers recorded" : "no active waivers");
      for (Waiver w : waivers) {
        String status = store.waivers().revokedAt(w.id()).map(t -> "revoked " + t)
            .orElse(w.expiresAt().isAfter(ctx.clock().instant()) ? "active" : "expired");
        ctx.out().printf("%s  %-8s %-40s approver %-16s until %s  %s%n", w.id(), status,
            w.fingerprint().isEmpty() ? "rule " + w.ruleId() + " " + w.subjectPattern() : "finding " + w.fingerprint(),
            w.approver(), w.expiresAt(), w.reason());
      }
      return Main.OK;
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, ctx);
      return Main.REJECTED;
    } catch (IllegalArgumentException e) {
      ctx.err().println("vigil: " + e.getMessage());
      return Main.REJECTED;
    }
  }
}
