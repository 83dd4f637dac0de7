package io.vigil.engine.run;
import io.vigil.engine.store.SourceStats;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.FindingState;
import io.vigil.engine.internal.run.Reconciler;
import io.vigil.engine.internal.run.CountingSink;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.engine.store.HeldBack;
import io.vigil.engine.store.RunWarning;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.Finding;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.core.spi.Publisher;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.TicketState;
import io.vigil.core.spi.Source;
import io.vigil.engine.store.RunLock;
import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: collect → evaluate → reconcile → publish → report.
 *
 * <p>Sources collect in parallel, each into its own part of the inventory; a source that fails
 * contributes nothing and keeps its cursor. Finding states, their events, the new outbox actions and
 * the advanced cursors commit in one transaction; only then are actions published, each marked done
 * once its publisher confirmed it. A dry run stops after reconcile and writes nothing anywhere.
 *
 * <p>Runs lock the connectors they use ({@link RunLock}): runs over disjoint connectors may run at once, in this
 * process or on other nodes; runs sharing a connector take turns.
 */
public final class RunPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(RunPipeline.class);
  private static final int BATCH = 50;

  private final Store store;
  private final List<Source> sources;
  private final List<Check> checks;
  private final List<Publisher> publishers;
  private final Clock clock;
  private final IdentityMatch identityMatch;
  private final RunListener listener;
  private final Reconciler reconciler = new Reconciler();
  private final double maxResolveShare;

  public RunPipeline(Store store, List<Source> sources, List<Check> checks, List<Publisher> publishers, Clock clock,
      IdentityMatch identityMatch, RunListener listener) {
    this(store, sources, checks, publishers, clock, identityMatch, listener,
        io.vigil.engine.config.GuardConfig.DEFAULT_MAX_RESOLVE_SHARE);
  }

  /**
   * @param maxResolveShare the plausibility guard ({@code guard.maxResolveShare}): the largest share of a check's open
   *     findings one run may resolve at once, unless the run's options confirm it
   */
  public RunPipeline(Store store, List<Source> sources, List<Check> checks, List<Publisher> publishers, Clock clock,
      IdentityMatch identityMatch, RunListener listener, double maxResolveShare) {
    this.maxResolveShare = maxResolveShare;
    this.store = store;
    this.sources = List.copyOf(sources);
    this.checks = List.copyOf(checks);
    this.publishers = List.copyOf(publishers);
    this.clock = clock;
    this.identityMatch = identityMatch;
    this.listener = listener;
  }

  public RunReport run(Policy policy, RunOptions options) {
    return run(policy, options, RunControl.forRunAt(clock.instant()));
  }

  /**
   * Runs under the given control: the run takes its id, and stops at the next step once cancelled
   * (status {@link RunStatus#CANCELLED}). Cancelled before the commit, it changes nothing but its own
   * record; cancelled while publishing, the actions not yet published stay queued for the next run.
   */
  public RunReport run(Policy policy, RunOptions options, RunControl control) {
    if (options.dryRun()) return locked(policy, options, control, Set.of()); // writes nothing: needs no lock
    Set<String> resources = resources(options);
    try (RunLock.Held lock = store.runLock().acquire(resources, LOCK_WAIT)) {
      return locked(policy, options, control, resources);
    }
  }

  /**
   * What a run locks: the sources it reads (their cursors, and the findings of checks that read only them) and the
   * publishers it drains (their outbox rows). Runs over disjoint connectors run side by side; runs sharing one take
   * turns. A check is only evaluated when every part it reads came from this run's sources (see collect), so two
   * runs over disjoint sources never reconcile the same check's findings.
   */
  private Set<String> resources(RunOptions options) {
    Set<String> names = new java.util.TreeSet<>();
    for (Source s : sources) {
      if (options.sources().isEmpty() || options.sources().contains(s.name())) names.add("source:" + s.name());
    }
    for (Publisher p : publishers) names.add("publisher:" + p.name());
    return names;
  }

  /** How often (in items) a source's collection reports its progress while it runs. */
  static final long PROGRESS_EVERY = 500;

  /** How long a run waits for the ones before it over the same connectors (on any node) to finish before it gives up. */
  static final Duration LOCK_WAIT = Duration.ofHours(2);

  private RunReport locked(Policy policy, RunOptions options, RunControl control, Set<String> resources) {
    Instant started = clock.instant();
    String runId = control.runId();
    List<String> errors = new ArrayList<>();
    Map<String, SourceStats> stats = new LinkedHashMap<>();
    if (!options.dryRun()) {
      int abandoned = store.inTransaction(h -> {
        int n = store.runs().abandonRunning(h, started, "the node running it stopped before it finished; run " + runId
            + " found it so when it took the run lock, and carried on from what was committed", resources);
        store.runs().save(h, RunRecord.builder(runId).triggeredBy(options.trigger()).startedAt(started)
            .status(RunStatus.RUNNING).fullRead(options.full()).build());
        store.runs().setResources(h, runId, resources);
        store.runs().setKind(h, runId, options.kind(), options.scope() == null ? null : options.scope().describe());
        return n;
      });
      if (abandoned > 0) LOG.warn("run {}: {} earlier run(s) had stopped mid-run and are recorded as failed", runId, abandoned);
    }
    if (!options.dryRun()) control.watch(() -> store.withHandle(h -> store.runs().cancelRequestedBy(h, runId)));

    listener.phase(runId, RunPhase.COLLECT);
    if (control.cancelRequested()) return cancelled(runId, options, started, RunPhase.COLLECT, stats, errors, control);
    Collected collected = collect(runId, policy, options, started, control);
    stats.putAll(collected.stats());
    errors.addAll(collected.errors());
    Inventory inventory = collected.inventory();
    Map<String, String> newCursors = collected.cursors();
    List<RunWarning> warnings = new ArrayList<>(collected.warnings());
    List<HeldBack> heldBack = new ArrayList<>();
    if (control.cancelRequested()) return cancelled(runId, options, started, RunPhase.COLLECT, stats, errors, warnings, control);

    listener.phase(runId, RunPhase.EVALUATE);
    Set<String> evaluated = new LinkedHashSet<>();
    Map<String, io.vigil.engine.report.CustomerScope> scopes = io.vigil.engine.report.CustomerScope.all(policy, inventory);
    // a rule listed under a customer applies to that customer's scope only
    List<Finding> evaluatedFindings = io.vigil.engine.report.CustomerScope.restrict(policy, scopes,
        evaluate(new EvaluationContext(inventory, policy, started), options, evaluated, errors,
            collected.unavailable(), heldBack, ownParts(options)));
    List<Finding> observed = options.scope() == null ? evaluatedFindings
        : evaluatedFindings.stream().filter(f -> inScope(f, options.scope())).toList();
    listener.findings(runId, observed.size());
    if (control.cancelRequested()) return cancelled(runId, options, started, RunPhase.EVALUATE, stats, errors, control);

    listener.phase(runId, RunPhase.RECONCILE);
    // every finding as it stood before this run wrote: reconcile, the guard and the commit work on this one read
    Map<String, StoredFinding> allStored = store.withHandle(h -> store.findings().all(h));
    Map<String, StoredFinding> stored = options.scope() == null ? allStored : inScope(allStored, options.scope());
    Map<String, TicketState> tickets = ticketStates(stored, observed, options.eventDriven());
    Reconciler.Plan reconciled = reconciler.reconcile(new Reconciler.Input(runId, started, observed, stored,
        store.withHandle(h -> store.waivers().active(h, started)), inventory, evaluated, requirements(policy), tickets));
    Set<String> guarded = new HashSet<>();
    Reconciler.Plan plan = guard(reconciled, allStored, options, heldBack, guarded);

    List<FindingState> touched = plan.changes().stream().map(c -> c.state().toState())
        .sorted(Comparator.comparing(s -> s.finding().fingerprint())).toList();
    if (options.dryRun()) {
      return new RunReport(runId, started, clock.instant(),
          errors.isEmpty() && heldBack.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.PARTIAL,
          true, touched, plan.actions(), stats, errors, heldBack, warnings);
    }
    if (control.cancelRequested()) return cancelled(runId, options, started, RunPhase.RECONCILE, stats, errors, control);

    Set<String> seenInFull = new LinkedHashSet<>(evaluated);
    seenInFull.removeAll(guarded); // findings it did not see stay open: the evaluation does not vouch for them
    if (options.scope() != null) seenInFull.clear(); // an event run saw its scope, not the whole of any kind
    List<Action> queued = commit(runId, started, plan, newCursors, stored, seenInFull, inventory.completeKinds());
    allStored = null; // no longer true once committed, and the heap's largest map: let it go before the read below
    stored = null;

    listener.phase(runId, RunPhase.PUBLISH);
    publish(runId, errors, control);

    listener.phase(runId, RunPhase.REPORT);
    boolean cancelled = control.cancelRequested();
    RunStatus status = cancelled ? RunStatus.CANCELLED
        : errors.isEmpty() && heldBack.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.PARTIAL;
    if (cancelled) {
      errors.add("cancelled by " + control.cancelledBy() + " while publishing; the actions not yet published stay"
          + " queued for the next run");
    }
    Instant finished = clock.instant();
    // the second and last read of every finding, as this run left them: with the ticket keys its publishers
    // confirmed, last seen from the evaluations it recorded, and whatever a run over other connectors committed
    // meanwhile (the KPI snapshot and the register count every connector's findings, so they are read, not derived
    // from the map above). The run's report, its KPI snapshot and the register are all taken from this one read.
    Map<String, StoredFinding> now = store.withHandle(h -> store.findings().all(h));
    List<FindingState> after = touched.stream().map(s -> now.get(s.finding().fingerprint()).toState()).toList();
    store.inTransaction(h -> {
      store.runs().save(h, RunRecord.builder(runId).triggeredBy(options.trigger()).startedAt(started)
          .finishedAt(finished).status(status).fullRead(options.full())
          .findings((int) after.stream().filter(s -> s.status() == io.vigil.core.model.FindingStatus.OPEN).count())
          .actions(plan.actions().size()).stats(stats).errors(errors).heldBack(heldBack).warnings(warnings).build());
      // the register's "validated since": which requirements' checks this run evaluated, and which it held back
      Map<String, Set<String>> coverage = io.vigil.engine.report.Coverage.rulesByCheck(policy, checks, observed);
      for (String check : options.scope() != null ? Set.<String>of() : evaluated) { // an event run validates no requirement
        store.evaluations().evaluated(h, check, coverage.getOrDefault(check, Set.of()), runId, started);
      }
      for (HeldBack hb : options.scope() != null ? List.<HeldBack>of() : heldBack) {
        store.evaluations().heldBack(h, hb.check(), coverage.getOrDefault(hb.check(), Set.of()), started, hb.reason());
      }
      return null;
    });
    try {
      io.vigil.engine.report.IncidentRecorder.record(store, policy, inventory, scopes, started);
    } catch (RuntimeException e) {
      LOG.warn("run {}: its security incidents were not recorded: {}", runId, e.toString());
    }
    snapshot(policy, runId, started, plan, now);
    people(runId, inventory, observed);
    LOG.info("run {} {}: {} findings, {} actions, {} errors, {} checks held back, {} warnings", runId, status.id(),
        observed.size(), plan.actions().size(), errors.size(), heldBack.size(), warnings.size());
    return new RunReport(runId, started, finished, status, false, after, queued.isEmpty() ? plan.actions() : queued,
        stats, errors, heldBack, warnings);
  }

  /**
   * Whether a finding is about the event run's scope: its subject is one of the scope's issues, or it flags one. An
   * event run opens, updates and resolves only such findings; every other finding stays exactly as it was, since the
   * run did not read what it depends on.
   */
  static boolean inScope(Finding f, io.vigil.core.spi.CollectScope scope) {
    if (f.subject().kind() == SubjectKind.ISSUE && scope.issueKeys().contains(f.subject().id())) return true;
    return f.flag() != null && scope.issueKeys().contains(f.flag().issueKey());
  }

  private static Map<String, StoredFinding> inScope(Map<String, StoredFinding> stored, io.vigil.core.spi.CollectScope scope) {
    Map<String, StoredFinding> in = new HashMap<>();
    stored.forEach((fp, s) -> {
      if (inScope(s.finding(), scope)) in.put(fp, s);
    });
    return in;
  }

  /** Records who is who for the waiver approver rules; a failure is logged, never fails a run that did its work. */
  private void people(String runId, Inventory inventory, List<Finding> observed) {
    try {
      store.inTransaction(h -> {
        store.people().record(h, inventory,
            inventory.completeKinds().contains(io.vigil.core.model.SubjectKind.IDENTITY), observed);
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("run {}: the identities for the waiver approver rules were not recorded: {}", runId, e.toString());
    }
  }

  /** Records the run's KPI snapshot; a failure is logged, never fails a run that did its work. */
  private void snapshot(Policy policy, String runId, Instant started, Reconciler.Plan plan,
      Map<String, StoredFinding> findings) {
    int opened = (int) plan.changes().stream().filter(c -> c.event().equals("opened") || c.event().equals("reopened")).count();
    int resolved = (int) plan.changes().stream().filter(c -> c.event().equals("resolved")).count();
    try {
      store.kpis().save(io.vigil.engine.report.KpiSnapshots.take(store, policy, runId, started, opened, resolved,
          findings));
    } catch (RuntimeException e) {
      LOG.warn("run {}: its KPI snapshot was not recorded: {}", runId, e.toString());
    }
  }

  /**
   * Every requirement a ticket may quote: the policy's, and for rules the policy does not name, the requirement the
   * check reporting them declares itself (a plugin's own title, source and remediation).
   */
  private Map<String, io.vigil.core.policy.Requirement> requirements(Policy policy) {
    Map<String, io.vigil.core.policy.Requirement> all = new HashMap<>();
    for (Check check : checks) check.requirements().forEach(r -> all.putIfAbsent(r.id(), r));
    all.putAll(policy.requirements());
    return all;
  }

  /**
   * Reads back from the publishers the tickets of the findings observed again (the reconciler consults no other), so
   * that tickets a person closed or deleted are respected; an event-driven run reads back only those its decisions
   * depend on: of findings resolved before, or whose evidence changed. A publisher that cannot answer leaves them
   * unknown: the run goes on as if nobody had touched them.
   */
  private Map<String, TicketState> ticketStates(Map<String, StoredFinding> stored, List<Finding> observed,
      boolean eventDriven) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (Finding f : observed) {
      StoredFinding s = stored.get(f.fingerprint());
      if (s == null || s.ticketKey().isEmpty() || s.finding().flag() != null) continue;
      boolean decides = s.status() != io.vigil.core.model.FindingStatus.OPEN || !s.finding().evidence().equals(f.evidence());
      if (!eventDriven || decides) wanted.put(s.fingerprint(), s.ticketKey());
    }
    if (wanted.isEmpty()) return Map.of();
    Map<String, TicketState> states = new HashMap<>();
    for (Publisher p : publishers) {
      try {
        states.putAll(p.ticketStates(wanted));
      } catch (PublishException | RuntimeException e) {
        LOG.warn("publisher {} could not read back {} tickets; treating them as untouched: {}", p.name(), wanted.size(), e.getMessage());
      }
    }
    return states;
  }

  /** Records a run cancelled before its commit: nothing but the run's own record is written. */
  private RunReport cancelled(String runId, RunOptions options, Instant started, RunPhase phase,
      Map<String, SourceStats> stats, List<String> errors, RunControl control) {
    return cancelled(runId, options, started, phase, stats, errors, List.of(), control);
  }

  private RunReport cancelled(String runId, RunOptions options, Instant started, RunPhase phase,
      Map<String, SourceStats> stats, List<String> errors, List<RunWarning> warnings, RunControl control) {
    errors.add("cancelled by " + control.cancelledBy() + " during " + phase.name().toLowerCase(java.util.Locale.ROOT)
        + "; nothing was changed");
    Instant finished = clock.instant();
    if (!options.dryRun()) {
      store.inTransaction(h -> {
        store.runs().save(h, RunRecord.builder(runId).triggeredBy(options.trigger()).startedAt(started)
            .finishedAt(finished).status(RunStatus.CANCELLED).fullRead(options.full()).stats(stats).errors(errors)
            .warnings(warnings).build());
        return null;
      });
    }
    LOG.info("run {} cancelled by {} during {}", runId, control.cancelledBy(), phase);
    return new RunReport(runId, started, finished, RunStatus.CANCELLED, options.dryRun(), List.of(), List.of(), stats,
        errors, List.of(), warnings);
  }

  /**
   * What the collect step produced.
   *
   * @param inventory what the sources read; parts of failed sources are marked incomplete
   * @param stats each selected source's counts, or its error
   * @param cursors the cursors to store once the run's results are committed, by source
   * @param errors one line per failed source
   * @param unavailable the parts of the inventory this run did not read fully, each with why (a failed or
   *     unselected source, a source's own declaration, a read that came back empty where the last one was not)
   * @param warnings what the sources that completed said a person should know
   */
  private record Collected(Inventory inventory, Map<String, SourceStats> stats, Map<String, String> cursors,
      List<String> errors, Map<InventoryPart, List<String>> unavailable, List<RunWarning> warnings) {}

  /** A source's full read of a kind that came back empty is implausible when its last full read had at least this many. */
  static final long EMPTY_READ_MINIMUM = 10;

  private static void unavailable(Map<InventoryPart, List<String>> into, java.util.Collection<InventoryPart> parts,
      String reason) {
    for (InventoryPart p : parts) {
      List<String> reasons = into.computeIfAbsent(p, k -> new ArrayList<>());
      if (!reasons.contains(reason)) reasons.add(reason);
    }
  }

  /** The parts describing the items counted under this key of {@link InventoryBuilder#counts()}. */
  private static Set<InventoryPart> partsCounted(String key) {
    return switch (key) {
      case "cis" -> EnumSet.of(InventoryPart.CIS);
      case "issues" -> EnumSet.of(InventoryPart.ISSUES, InventoryPart.APPROVALS, InventoryPart.AFFECTED_CIS);
      case "identities" -> EnumSet.of(InventoryPart.IDENTITIES, InventoryPart.CREDENTIALS, InventoryPart.ACTIVITY);
      case "grants" -> EnumSet.of(InventoryPart.GRANTS);
      default -> EnumSet.noneOf(InventoryPart.class);
    };
  }

  /** The newest recorded full read of this source with its counts, and the run that made it; null if none. */
  private Map.Entry<String, Map<String, Long>> lastFullRead(String source) {
    List<RunRecord> recent = store.withHandle(h -> store.runs().list(h, 50));
    for (RunRecord r : recent) {
      SourceStats s = r.stats().get(source);
      if (s != null && !s.failed() && !s.counts().isEmpty()) return Map.entry(r.id(), s.counts());
    }
    return null;
  }

  private Collected collect(String runId, Policy policy, RunOptions options, Instant started, RunControl control) {
    InventoryBuilder inventory = new InventoryBuilder(identityMatch);
    Map<String, SourceStats> stats = new LinkedHashMap<>();
    Map<String, String> cursors = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    Map<InventoryPart, List<String>> missing = new java.util.EnumMap<>(InventoryPart.class);
    List<RunWarning> warnings = new ArrayList<>();
    List<Source> selected = sources.stream()
        .filter(s -> options.sources().isEmpty() || options.sources().contains(s.name())).toList();
    for (Source s : sources) {
      if (!selected.contains(s)) unavailable(missing, s.providesParts(), "source " + s.name() + " was not selected for this run");
    }
    if (selected.isEmpty()) return new Collected(inventory.build(), stats, cursors, errors, missing, warnings);
    Set<SubjectKind> failedKinds = EnumSet.noneOf(SubjectKind.class);
    ExecutorService pool = Executors.newFixedThreadPool(selected.size(), r -> {
      Thread t = new Thread(r, "vigil-collect");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<Source, Future<CollectResult>> futures = new LinkedHashMap<>();
      Map<Source, InventoryBuilder> parts = new LinkedHashMap<>();
      Set<Source> fullReads = new HashSet<>();
      for (Source source : selected) {
        String cursor = options.readsInFull(source.name()) ? null
            : store.withHandle(h -> store.cursors().get(h, source.name()).orElse(null));
        boolean fullRead = options.scope() == null && cursor == null;
        if (fullRead) fullReads.add(source);
        InventoryBuilder part = new InventoryBuilder(identityMatch);
        parts.put(source, part);
        CountingSink counting = new CountingSink(part, PROGRESS_EVERY,
            n -> listener.collected(runId, source.name(), n, RunListener.UNKNOWN));
        boolean whole = options.full() || cursor == null;
        boolean reuse = !whole && options.reuseLastRead().contains(source.name());
        futures.put(source, pool.submit(() -> source.collect(new CollectRequest(runId, whole, cursor, policy, started,
            options.scope(), reuse), counting)));
      }
      for (var e : futures.entrySet()) {
        Source source = e.getKey();
        try {
          CollectResult result = await(e.getValue(), control);
          if (result == null) break; // cancelled: the caller discards what was read
          InventoryBuilder part = parts.get(source);
          inventory.addAll(part);
          for (String w : result.warnings()) warnings.add(new RunWarning(source.name(), w));
          part.incompleteParts().forEach((p, reasons) -> {
            for (String r : reasons) unavailable(missing, List.of(p), "source " + source.name() + " read " + p.id() + " only partly: " + r);
            failedKinds.addAll(kindsOf(p));
          });
          Map<String, Long> counts = fullReads.contains(source) ? part.counts() : Map.of();
          if (!counts.isEmpty() && !options.confirmResolve()) {
            var last = lastFullRead(source.name());
            if (last != null) {
              Map<String, Long> checked = new LinkedHashMap<>(counts);
              long now = counts.values().stream().mapToLong(Long::longValue).sum();
              long then = last.getValue().values().stream().mapToLong(Long::longValue).sum();
              if (now == 0 && then >= EMPTY_READ_MINIMUM) { // nothing at all: every part it provides
                checked.clear();
                checked.put("items", 0L);
              }
              for (var c : checked.entrySet()) {
                long before = c.getKey().equals("items") ? then : last.getValue().getOrDefault(c.getKey(), 0L);
                if (c.getValue() > 0 || before < EMPTY_READ_MINIMUM) continue;
                Set<InventoryPart> affected = EnumSet.noneOf(InventoryPart.class);
                affected.addAll(c.getKey().equals("items") ? source.providesParts() : partsCounted(c.getKey()));
                affected.retainAll(source.providesParts());
                if (affected.isEmpty()) continue;
                String why = "source " + source.name() + " read no " + c.getKey() + " where run " + last.getKey() + " read "
                    + before + " (lost permissions?); " + HeldBack.CONFIRM_HINT;
                unavailable(missing, affected, why);
                warnings.add(new RunWarning(source.name(), why));
                affected.forEach(p -> failedKinds.addAll(kindsOf(p)));
              }
            }
          }
          stats.put(source.name(), new SourceStats(result.items(), result.apiCalls(), "", result.retries(), counts));
          if (result.cursor() != null) cursors.put(source.name(), result.cursor());
          listener.collected(runId, source.name(), result.items(), result.apiCalls());
        } catch (java.util.concurrent.ExecutionException ex) {
          Throwable cause = ex.getCause();
          String message = "source " + source.name() + " failed: " + (cause.getMessage() == null ? cause : cause.getMessage());
          LOG.warn(message, cause);
          errors.add(message);
          stats.put(source.name(), new SourceStats(0, 0, message));
          failedKinds.addAll(source.provides());
          unavailable(missing, source.providesParts(), message);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          errors.add("source " + source.name() + " was interrupted");
          stats.put(source.name(), new SourceStats(0, 0, "interrupted"));
          failedKinds.addAll(source.provides());
          unavailable(missing, source.providesParts(), "source " + source.name() + " was interrupted");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    inventory.markIncomplete(failedKinds);
    return new Collected(inventory.build(), stats, cursors, errors, missing, warnings);
  }

  /** The subject kinds whose coverage a part's incompleteness withdraws. */
  private static Set<SubjectKind> kindsOf(InventoryPart part) {
    return switch (part) {
      case CIS -> EnumSet.of(SubjectKind.CI);
      case ISSUES -> EnumSet.of(SubjectKind.ISSUE);
      case IDENTITIES -> EnumSet.of(SubjectKind.IDENTITY);
      default -> EnumSet.noneOf(SubjectKind.class);
    };
  }

  /** The source's result, or null once the run is cancelled while waiting for it. */
  private static CollectResult await(Future<CollectResult> future, RunControl control)
      throws java.util.concurrent.ExecutionException, InterruptedException {
    while (true) {
      try {
        return future.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        if (control.cancelRequested()) {
          future.cancel(true);
          return null;
        }
      }
    }
  }

  /**
   * The parts this run's own sources provide, or null when it reads from every configured source. A run over some
   * of the sources holds back the checks that read an unselected source's parts, and leaves alone the ones that read
   * none of its own parts (e.g. ones whose policy section is empty, which read nothing):
   * their findings belong to the runs over the sources they read, and a run over other connectors may be
   * reconciling them at the same moment.
   */
  private Set<InventoryPart> ownParts(RunOptions options) {
    if (options.sources().isEmpty() || sources.stream().allMatch(s -> options.sources().contains(s.name()))) return null;
    Set<InventoryPart> parts = EnumSet.noneOf(InventoryPart.class);
    for (Source s : sources) {
      if (options.sources().contains(s.name())) parts.addAll(s.providesParts());
    }
    return parts;
  }

  /** What a customer's scope is read from: its CIs, the issues and which CIs they affect. */
  private static final Set<InventoryPart> SCOPE_PARTS = EnumSet.of(InventoryPart.CIS, InventoryPart.ISSUES,
      InventoryPart.AFFECTED_CIS);

  private List<Finding> evaluate(EvaluationContext context, RunOptions options, Set<String> evaluated,
      List<String> errors, Map<InventoryPart, List<String>> unavailable, List<HeldBack> heldBack,
      Set<InventoryPart> ownParts) {
    List<Finding> findings = new ArrayList<>();
    List<Check> ready = new ArrayList<>();
    // the checks evaluating a rule listed under a customer: they read the customers' scopes too
    Set<String> customerRules = new HashSet<>();
    context.policy().customers().forEach(c -> customerRules.addAll(c.requirements()));
    Set<String> scoped = new HashSet<>();
    if (!customerRules.isEmpty()) {
      io.vigil.engine.report.Coverage.rulesByCheck(context.policy(), checks, List.of()).forEach((check, rules) -> {
        if (rules.stream().anyMatch(customerRules::contains)) scoped.add(check);
      });
    }
    for (Check check : checks) {
      if (!options.checks().isEmpty() && !options.checks().contains(check.name())) continue;
      Set<InventoryPart> reads;
      try {
        reads = check.reads(context.policy());
      } catch (RuntimeException e) {
        reads = InventoryPart.all(); // a check that cannot say what it reads reads everything
      }
      if (scoped.contains(check.name()) && reads != null) {
        // its findings are kept only inside customers' scopes, which are read from the CIs and issues
        reads = EnumSet.copyOf(reads.isEmpty() ? EnumSet.noneOf(InventoryPart.class) : reads);
        reads.addAll(SCOPE_PARTS);
      }
      List<InventoryPart> lacking = (reads == null ? InventoryPart.all() : reads).stream()
          .filter(unavailable::containsKey).sorted().toList();
      if (!lacking.isEmpty()) {
        Set<String> reasons = new LinkedHashSet<>();
        lacking.forEach(p -> reasons.addAll(unavailable.get(p)));
        String reason = "reads " + String.join(", ", lacking.stream().map(InventoryPart::id).toList())
            + ", not read fully in this run (" + String.join("; ", reasons) + "); its findings stay as they were";
        LOG.warn("check {} held back: {}", check.name(), reason);
        // confirmable when only the empty-read guard made its parts missing: nothing failed, a person can confirm
        heldBack.add(new HeldBack(check.name(), reason, reasons.stream().allMatch(r -> r.endsWith(HeldBack.CONFIRM_HINT))));
        continue;
      }
      if (ownParts != null && (reads == null ? InventoryPart.all() : reads).stream().noneMatch(ownParts::contains)) {
        LOG.debug("check {} reads nothing this run's sources provide; left to the runs over its sources", check.name());
        continue;
      }
      ready.add(check);
    }
    // side by side, one per core; their findings joined in the checks' order
    for (CheckEvaluation.Outcome outcome : CheckEvaluation.evaluate(ready, context)) {
      if (outcome.evaluated()) {
        findings.addAll(outcome.findings());
        evaluated.add(outcome.check().name());
      } else {
        if (outcome.cause() != null) LOG.warn(outcome.failure(), outcome.cause());
        errors.add(outcome.failure());
      }
    }
    return findings;
  }

  /**
   * The plausibility guard: a check whose findings this run would resolve in bulk (more than
   * {@code guard.maxResolveShare} of its open findings, and at least {@link #GUARD_MINIMUM}) more likely
   * lost its view of them than saw them all fixed. Its resolutions are held back — the findings stay open — unless
   * a person confirmed them ({@link RunOptions#confirmResolve()}); what it opens and refreshes goes ahead.
   */
  private Reconciler.Plan guard(Reconciler.Plan plan, Map<String, StoredFinding> stored, RunOptions options,
      List<HeldBack> heldBack, Set<String> guardedChecks) {
    if (options.confirmResolve()) return plan;
    Map<String, Long> open = new HashMap<>();
    for (StoredFinding s : stored.values()) {
      if (s.status() == io.vigil.core.model.FindingStatus.OPEN) open.merge(s.finding().check(), 1L, Long::sum);
    }
    Map<String, Set<String>> resolving = new LinkedHashMap<>();
    for (Reconciler.Change c : plan.changes()) {
      StoredFinding old = stored.get(c.state().fingerprint());
      if (!"resolved".equals(c.event()) || old == null) continue;
      resolving.computeIfAbsent(old.finding().check(), k -> new HashSet<>()).add(old.fingerprint());
    }
    Set<String> held = new HashSet<>();
    for (var e : resolving.entrySet()) {
      long total = open.getOrDefault(e.getKey(), 0L);
      long n = e.getValue().stream().filter(fp -> stored.get(fp).status() == io.vigil.core.model.FindingStatus.OPEN).count();
      if (n < GUARD_MINIMUM || n <= maxResolveShare * total) continue;
      held.addAll(e.getValue());
      guardedChecks.add(e.getKey());
      String reason = "would resolve " + n + " of its " + total + " open findings at once (more than "
          + Math.round(maxResolveShare * 100) + " %, guard.maxResolveShare); they stay open. If they really"
          + " are gone, confirm with `vigil run --confirm-resolve` or from the run's page in the console";
      LOG.warn("check {} resolutions held back: {}", e.getKey(), reason);
      heldBack.add(new HeldBack(e.getKey(), reason, true));
    }
    if (held.isEmpty()) return plan;
    List<Reconciler.Change> changes = plan.changes().stream()
        .filter(c -> !("resolved".equals(c.event()) && held.contains(c.state().fingerprint()))).toList();
    List<Action> actions = plan.actions().stream()
        .filter(a -> !((a.type() == io.vigil.core.spi.ActionType.RESOLVE_TICKET || a.type() == io.vigil.core.spi.ActionType.NOTE_ISSUE
            || a.type() == io.vigil.core.spi.ActionType.EDIT_COMMENT)
            && held.contains(a.fingerprint()))).toList();
    return new Reconciler.Plan(changes, actions);
  }

  /** The guard leaves a check alone when it would resolve fewer findings than this: small numbers are ordinary fixes. */
  static final int GUARD_MINIMUM = 5;

  /**
   * Writes the plan, the cursors and the evaluations in one transaction. A finding seen again with nothing changed
   * but its last seen is not rewritten when its check's evaluation over its subject's kind is recorded instead
   * ({@code seenInFull}: evaluated, nothing held back; {@code completeKinds}: read in full), so a run over unchanged
   * data writes rows in proportion to what changed, not to how many findings are open.
   */
  private List<Action> commit(String runId, Instant started, Reconciler.Plan plan, Map<String, String> newCursors,
      Map<String, StoredFinding> stored, Set<String> seenInFull, Set<SubjectKind> completeKinds) {
    Instant now = clock.instant();
    return store.inTransaction(h -> {
      for (String check : seenInFull) store.findings().recordEvaluation(h, check, completeKinds, runId, started);
      for (Reconciler.Change c : plan.changes()) {
        if (c.event().isEmpty() && onlySeenAgain(c.state(), stored.get(c.state().fingerprint()), seenInFull, completeKinds)) {
          continue;
        }
        store.findings().save(h, c.state(), runId);
        if (!c.event().isEmpty()) store.findings().appendEvent(h, c.state().fingerprint(), runId, now, c.event(), c.detail());
      }
      List<Action> queued = new ArrayList<>();
      for (Action a : plan.actions()) {
        for (Publisher p : publishers) queued.add(store.outbox().add(h, runId, p.name(), a, now));
      }
      newCursors.forEach((source, cursor) -> store.cursors().put(h, source, cursor));
      return queued;
    });
  }

  /** Whether a change only moves last seen forward, and a recorded evaluation says so for it. */
  private static boolean onlySeenAgain(StoredFinding next, StoredFinding old, Set<String> seenInFull,
      Set<SubjectKind> completeKinds) {
    if (old == null || !seenInFull.contains(next.finding().check())) return false;
    if (!completeKinds.contains(next.finding().subject().kind())) return false;
    return next.toBuilder().lastSeen(old.lastSeen()).build().equals(old);
  }

  private void publish(String runId, List<String> errors, RunControl control) {
    for (Publisher publisher : publishers) {
      int done = 0;
      while (!control.cancelRequested()) {
        List<Action> batch = store.withHandle(h -> store.outbox().pending(h, publisher.name(), BATCH));
        if (batch.isEmpty()) break;
        int[] acked = {0};
        try {
          publisher.publish(batch, (action, ref) -> {
            store.inTransaction(h -> {
              store.outbox().markDone(h, action.id(), ref == null ? "" : ref, clock.instant());
              if (ref != null && !ref.isEmpty()) store.findings().setTicket(h, action.fingerprint(), ref);
              return null;
            });
            acked[0]++;
          });
          done += acked[0];
          listener.published(runId, done, done + batch.size() - acked[0]);
          if (acked[0] == 0) {
            errors.add("publisher " + publisher.name() + " confirmed none of " + batch.size() + " actions; they stay queued");
            break;
          }
        } catch (io.vigil.core.spi.PublishException e) {
          List<Long> unacked = store.withHandle(h -> store.outbox().pending(h, publisher.name(), 1))
              .stream().map(Action::id).toList();
          if (!unacked.isEmpty()) store.inTransaction(h -> {
            store.outbox().markFailed(h, unacked.get(0), e.getMessage());
            return null;
          });
          errors.add("publisher " + publisher.name() + " stopped: " + e.getMessage()
              + " (the remaining actions stay queued for the next run)");
          break;
        }
      }
    }
  }
}
