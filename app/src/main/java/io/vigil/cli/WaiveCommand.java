package io.vigil.cli;

import io.vigil.core.model.Waiver;
import io.vigil.engine.store.Store;
import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "waive", description = "Accept a risk: waive one finding, or one rule for subjects matching a pattern.")
final class WaiveCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;

  @ArgGroup(exclusive = true, multiplicity = "1") Target target;

  static final class Target {
    @Option(names = "--finding", description = "the finding's fingerprint") String fingerprint;
    @ArgGroup(exclusive = false) ByRule byRule;
  }

  static final class ByRule {
    @Option(names = "--rule", required = true, description = "the rule id") String rule;
    @Option(names = "--subject", defaultValue = "*", description = "glob over kind:id, e.g. identity:* (default *)") String subject;
  }

  @Option(names = "--reason", required = true, description = "why the risk is accepted") String reason;
  @Option(names = "--approver", required = true, description = "who accepts it: the email, username or Jira account of an identity; never the finding's subject, nor the requester, assignee or an approver of its issue") String approver;
  @Option(names = "--expires", required = true, description = "expiry date (YYYY-MM-DD, end of that day UTC) or instant") String expires;
  @Option(names = "--by", defaultValue = "${sys:user.name}", description = "who records it (default: the OS user)") String by;

  WaiveCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    Instant expiry;
    try {
      expiry = expires.length() == 10 ? LocalDate.parse(expires).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(expires);
    } catch (DateTimeParseException e) {
      ctx.err().println("vigil: --expires '" + expires + "' is neither a date (2026-12-31) nor an instant (2026-12-31T18:00:00Z)");
      return Main.REJECTED;
    }
    try (Setup setup = Setup.load(config, ctx);
        Store store = setup.openStore(ctx.clock())) {
      Waiver request = target.fingerprint != null
          ? new Waiver("new", target.fingerprint, "", "", reason, approver, expiry, null, by)
          : new Waiver("new", "", target.byRule.rule, target.byRule.subject, reason, approver, expiry, null, by);
      Waiver w = store.waivers().add(request, by);
      ctx.out().printf("waiver %s recorded: %s, approved by %s until %s%n", w.id(),
          w.fingerprint().isEmpty() ? "rule " + w.ruleId() + " for " + w.subjectPattern() : "finding " + w.fingerprint(),
          w.approver(), w.expiresAt());
      return Main.OK;
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, ctx);
      return Main.REJECTED;
    } catch (IllegalArgumentException e) {
      ctx.err().println("vigil: the waiver was not recorded: " + e.getMessage());
      return Main.REJECTED;
    }
  }
}
