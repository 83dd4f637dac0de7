package io.vigil.server.api;

import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Policy;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.run.RunControl;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.Store;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.scheduler.RunProgress;
import io.vigil.scheduler.Schedule;
import io.vigil.server.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * What the API's handlers do beyond reading the store, shared with the web console so both follow the same
 * rules: run a schedule now, a run's progress, connectors' status without secrets, recording and listing
 * waivers, validating a policy file. Refusals are {@link ApiException}s naming the field at fault.
 */
public final class Operations {
  private final VigilApi api;
  private final Map<String, Connector> live;

  Operations(VigilApi api) {
    this.api = api;
    this.live = api.connectors().stream().collect(Collectors.toMap(Connector::name, Function.identity(), (a, b) -> a));
  }

  /** A run started by "run now". */
  public record Started(String runId, String schedule) {}

  /** Runs a schedule now on this node, in the audit log as {@code run.start}. */
  public Started runNow(Schedule s, String actor) {
    RunControl run = api.runs().start(s.runOptions(actor + " (run now: " + s.name() + ")"));
    api.store().audit().append(actor, "run.start", "run " + run.runId(), "schedule " + s.name() + " run now");
    return new Started(run.runId(), s.name());
  }

  /**
   * Confirms what a finished run held back only by a plausibility guard: starts a full run of just those checks that
   * resolves what they no longer find, in the audit log as {@code run.confirm-resolve} naming the run confirmed.
   *
   * @throws ApiException 404 for an unknown run, 409 while it runs or when it held back nothing a person can confirm
   */
  public Started confirmResolve(String runId, String actor) {
    RunRecord r = record(runId).orElseThrow(() -> runNotFound(runId));
    if (r.finishedAt() == null) {
      throw ApiException.conflict("run " + runId + " has not finished; confirm its held-back resolutions once it has");
    }
    java.util.Set<String> checks = new java.util.TreeSet<>();
    r.heldBack().stream().filter(io.vigil.engine.store.HeldBack::confirmable)
        .forEach(h -> checks.add(h.check()));
    if (checks.isEmpty()) {
      throw ApiException.conflict("run " + runId + " held back nothing a person can confirm: "
          + (r.heldBack().isEmpty() ? "no check was held back" : "its checks were held back because a source failed or"
          + " was not read fully; fix that and run again"));
    }
    RunControl run = api.runs().start(new io.vigil.engine.run.RunOptions(true, false, java.util.Set.of(), checks,
        actor + " (confirming run " + runId + ")", true));
    api.store().audit().append(actor, "run.confirm-resolve", "run " + run.runId(),
        "confirms the resolutions run " + runId + " held back for " + String.join(", ", checks));
    return new Started(run.runId(), "");
  }

  /**
   * Asks a run to stop, wherever it runs, in the audit log as {@code run.cancel}. False when it is not queued or
   * running anywhere.
   */
  public boolean cancel(String runId, String actor) {
    if (!api.runs().cancel(runId, actor)) return false;
    api.store().audit().append(actor, "run.cancel", "run " + runId, "");
    return true;
  }

  /** A run's progress: live while this node runs it, else from its record. */
  public RunProgress progress(String id) {
    Optional<RunProgress> live = api.runs().progress(id);
    if (live.isPresent()) return live.get();
    RunRecord r = record(id).orElseThrow(() -> runNotFound(id));
    // run by another node, or before this node started: its record is all there is
    Map<String, RunProgress.SourceProgress> sources = new LinkedHashMap<>();
    r.stats().forEach((name, s) -> sources.put(name, new RunProgress.SourceProgress(s.items(), s.apiCalls())));
    boolean running = r.finishedAt() == null;
    return new RunProgress(r.id(), r.triggeredBy(), r.startedAt(), running ? "running" : "finished", sources,
        sources.values().stream().mapToLong(RunProgress.SourceProgress::apiCalls).sum(), running ? null : r.findings(),
        running ? 0 : r.actions(), "", running ? null : r.status().id());
  }

  public Optional<RunRecord> record(String id) {
    return api.store().withHandle((Handle h) -> api.store().runs().get(h, id));
  }

  static ApiException runNotFound(String id) {
    return ApiException.notFound("no run has the id '" + id + "' (GET /api/v1/runs lists them)");
  }

  /** A configured connector: settings with every secret masked, and what its source's check() says now. */
  public record ConnectorView(String name, String type, boolean enabled, boolean source, boolean publisher,
      Object settings, ConnectionStatus status) {}

  public List<ConnectorView> connectors() {
    List<ConnectorView> out = new ArrayList<>();
    for (ConnectorConfig c : api.connectorConfigs()) {
      Connector connector = live.get(c.name());
      boolean source = connector != null && connector.source().isPresent();
      boolean publisher = connector != null && connector.publisher().isPresent();
      ConnectionStatus status = !c.enabled() ? null
          : source ? check(connector) : ConnectionStatus.ok("publishes only; it is checked when it publishes", List.of());
      out.add(new ConnectorView(c.name(), c.type(), c.enabled(), source, publisher, SafeSettings.of(c.settings()), status));
    }
    return out;
  }

  private static ConnectionStatus check(Connector connector) {
    try {
      return connector.source().orElseThrow().check();
    } catch (RuntimeException e) {
      // check() must not throw; one that does is reported, without its message (it might carry a secret)
      return ConnectionStatus.failed(ConnectionStatus.State.ERROR, "the connector's check failed with "
          + e.getClass().getSimpleName() + "; the server log has the details");
    }
  }

  /**
   * A waiver request: one finding (fingerprint), or one rule for subjects matching a glob over {@code kind:id}
   * (default {@code *}); expires is a date (the end of that day, UTC) or an instant.
   */
  public record WaiverRequest(String fingerprint, String rule, String subject, String reason, String approver,
      String expires) {}

  /** A waiver with whether it is active, expired or revoked. */
  public record WaiverView(Waiver waiver, String state, Instant revokedAt) {}

  /** Records a waiver under the rules of {@code vigil waive}; the store writes the audit entry. */
  public Waiver addWaiver(WaiverRequest b, String actor) {
    boolean byFinding = b.fingerprint() != null && !b.fingerprint().isBlank();
    boolean byRule = b.rule() != null && !b.rule().isBlank();
    if (byFinding == byRule) {
      throw ApiException.badField(byFinding ? "rule" : "fingerprint",
          "a waiver names either one finding (fingerprint) or one rule (rule, with an optional subject glob), not both or neither");
    }
    require("reason", b.reason());
    require("approver", b.approver());
    require("expires", b.expires());
    Instant expiry = expiry(b.expires());
    Waiver request = byFinding
        ? new Waiver("new", b.fingerprint().trim(), "", "", b.reason(), b.approver(), expiry, null, actor)
        : new Waiver("new", "", b.rule().trim(), b.subject(), b.reason(), b.approver(), expiry, null, actor);
    try {
      return api.store().waivers().add(request, actor);
    } catch (io.vigil.engine.store.Waivers.ApproverRefused e) {
      throw ApiException.badField("approver", "the waiver was not recorded: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the waiver was not recorded: " + e.getMessage());
    }
  }

  /** The active waivers, or all of them. */
  public List<WaiverView> waivers(boolean all) {
    Store store = api.store();
    Instant now = store.clock().instant();
    List<Waiver> waivers = all ? store.waivers().all() : store.waivers().active(now);
    return waivers.stream().map(w -> {
      Instant revoked = store.waivers().revokedAt(w.id()).orElse(null);
      String state = revoked != null ? "revoked" : w.expiresAt().isAfter(now) ? "active" : "expired";
      return new WaiverView(w, state, revoked);
    }).toList();
  }

  public void revokeWaiver(String id, String actor) {
    try {
      api.store().waivers().revoke(id, actor);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(e.getMessage() + " (GET /api/v1/waivers lists the active ones)");
    }
  }

  private static void require(String field, String value) {
    if (value == null || value.isBlank()) throw ApiException.badField(field, "a waiver needs '" + field + "'");
  }

  private static Instant expiry(String expires) {
    try {
      return expires.length() == 10 ? LocalDate.parse(expires).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(expires);
    } catch (DateTimeParseException e) {
      throw ApiException.badField("expires", "'" + expires
          + "' is neither a date (2026-12-31, meaning the end of that day UTC) nor an instant (2026-12-31T18:00:00Z)");
    }
  }

  /** The policy in force. */
  public record PolicyView(String version, int requirements, List<String> ruleIds) {}

  public record ProblemView(int line, int column, String message) {}

  /** Whether an uploaded policy would be accepted, with every problem's line and column. */
  public record Validation(boolean valid, String version, Integer requirements, List<ProblemView> problems) {}

  public PolicyView policy() {
    Policy p = api.policy().get();
    return new PolicyView(p.version(), p.requirements().size(), p.requirements().keySet().stream().sorted().toList());
  }

  /** Validates a policy file's text; changes nothing. */
  public Validation validatePolicy(String text) {
    try {
      Policy p = PolicyLoader.parse("uploaded policy", text);
      return new Validation(true, p.version(), p.requirements().size(), List.of());
    } catch (ProblemsException e) {
      return new Validation(false, null, null, e.problems().stream()
          .map(pr -> new ProblemView(pr.line(), pr.column(), pr.message())).toList());
    }
  }
}
