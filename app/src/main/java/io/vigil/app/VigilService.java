package io.vigil.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.server.ServerConfig;
import io.vigil.engine.config.ConfigSection;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.events.EventPolling;
import io.vigil.engine.events.EventRuns;
import io.vigil.engine.events.EventsConfig;
import io.vigil.core.spi.IssueEvents;
import io.vigil.server.hooks.HookEndpoints;
import io.vigil.server.hooks.JiraWebhook;
import java.time.Duration;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.core.policy.Policy;
import io.vigil.engine.policy.PolicyFile;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.Source;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.RunTracker;
import io.vigil.scheduler.ScheduleValidator;
import io.vigil.scheduler.ScheduleConfig;
import io.vigil.scheduler.Schedules;
import io.vigil.server.console.Ui;
import io.vigil.scheduler.VigilScheduler;
import io.vigil.server.Endpoints;
import io.vigil.server.ServerSettings;
import io.vigil.server.VigilServer;
import io.vigil.server.api.VigilApi;
import io.vigil.server.auth.TokenSettings;
import io.vigil.server.auth.TokenVerifier;
import io.vigil.server.metrics.RunMetrics;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.stream.Collectors;

/**
 * Vigil as a service ({@code vigil serve}, {@code vigil demo --serve}): the app (store, connectors, pipeline), the
 * run manager, Quartz with its schedules seeded from the configuration on first start, the REST API, metrics and
 * the HTTP server. Closing it stops them in reverse order.
 */
public final class VigilService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilService.class);
  /** The configuration sections the modules above the engine own; the engine binds its own keys. */
  public static final List<ConfigSection<?>> CONFIG_SECTIONS = List.of(ServerConfig.SECTION, ScheduleConfig.SECTION,
      io.vigil.engine.config.GuardConfig.SECTION, EventsConfig.SECTION);

  private final VigilApp app;
  private final RunManager runs;
  private final VigilScheduler scheduler;
  private final Schedules schedules;
  private final VigilServer server;
  private final ServerConfig settings;
  /** Background parts stopped first on close: the event polls and runs, the policy watch. */
  private final List<AutoCloseable> eventParts;
  private final EventRuns events;

  private VigilService(VigilApp app, RunManager runs, VigilScheduler scheduler, Schedules schedules, VigilServer server,
      ServerConfig settings, List<AutoCloseable> eventParts, EventRuns events) {
    this.eventParts = eventParts;
    this.events = events;
    this.app = app;
    this.runs = runs;
    this.scheduler = scheduler;
    this.schedules = schedules;
    this.server = server;
    this.settings = settings;
  }

  /**
   * Starts everything the configuration describes.
   *
   * @param anonymous serve without sign-in (the demo): only on a loopback address, and said on every page
   * @param ui more routes (the console) and the paths they serve without a token
   * @throws IllegalArgumentException when the configuration cannot be served (no sign-in configured, anonymous
   *     off loopback), naming what to set
   */
  public static VigilService start(VigilConfig config, ExtensionRegistry registry, Clock clock,
      boolean anonymous, Ui ui) throws Exception {
    ServerConfig s = config.section(ServerConfig.SECTION);
    if (!anonymous && s.auth() == null) {
      throw new IllegalArgumentException("vigil serve needs server.auth (issuer and audience of the Keycloak realm"
          + " administrators sign in with) in " + config.file() + "; serving without sign-in is only for 'vigil demo --serve'");
    }
    RunTracker tracker = new RunTracker();
    VigilApp app = VigilApp.open(config, registry, clock, tracker, List.of(VigilScheduler.MIGRATIONS));
    List<AutoCloseable> opened = new ArrayList<>();
    opened.add(app);
    try {
      var store = app.store();
      PolicyFile policyFile = PolicyFile.load(config.policy(), rejected -> {
        LOG.warn("the edited policy file is rejected, the last valid policy stays in force: {}", rejected.getMessage());
        store.audit().append("vigil", "policy-rejected", config.policy().toString(), rejected.getMessage());
      });
      Supplier<Policy> current = policyFile::current;
      RunManager runs = new RunManager(app.store(), app.pipeline(), current, tracker);
      opened.add(0, runs);
      PrometheusMeterRegistry registryOfMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Set<String> sources = app.connectors().stream().map(Connector::source).flatMap(Optional::stream)
          .map(Source::name).collect(Collectors.toSet());
      RunMetrics metrics = new RunMetrics(registryOfMetrics, app.store(), sources);
      runs.onFinished(metrics::record);
      String node = s.nodeId().isEmpty() ? hostName() + "-" + UUID.randomUUID().toString().substring(0, 8) : s.nodeId();
      List<io.vigil.core.spi.ReportChannel> channels = app.connectors().stream().map(Connector::reports)
          .flatMap(Optional::stream).toList();
      if (channels.size() > 1) {
        throw new IllegalArgumentException("more than one connector in " + config.file() + " delivers customer reports"
            + " (reports: set on each); set it on one");
      }
      io.vigil.engine.report.ReportDelivery delivery = channels.isEmpty() ? null
          : new io.vigil.engine.report.ReportDelivery(app.store(),
              new io.vigil.engine.report.CustomerReports(app.store(), current), channels.get(0));
      VigilScheduler scheduler = new VigilScheduler(app.store().dataSource(), node, s.clustered(), runs, 2,
          delivery == null ? io.vigil.scheduler.ReportWork.NONE : io.vigil.scheduler.ReportWork.delivering(delivery));
      opened.add(0, scheduler);
      Set<String> disabled = config.connectors().values().stream().filter(c -> !c.enabled()).map(ConnectorConfig::name)
          .collect(Collectors.toSet());
      Set<String> checks = registry.checks().stream().map(Check::name).collect(Collectors.toSet());
      Schedules schedules = new Schedules(app.store(), scheduler, new ScheduleValidator(
          new ScheduleValidator.Catalog(sources, disabled, checks)), s.zoneId());
      schedules.seed(config.section(ScheduleConfig.SECTION), config.file().toString());
      schedules.syncQuartz();
      Policy scheduled = current.get();
      reportSchedules(scheduled, delivery != null, scheduler);
      AutoCloseable policyWatch = watchPolicy(current, scheduled, delivery != null, scheduler, store,
          s.policyCheckSeconds());
      opened.add(0, policyWatch);
      scheduler.start();
      VigilApi api = new VigilApi(app.store(), schedules, runs, config.connectors().values(), app.connectors(), current);
      Ui.Context context = new Ui.Context(app.store(), schedules, s, anonymous, api);
      List<Endpoints> endpoints = new ArrayList<>(api.endpoints());
      endpoints.addAll(ui.endpoints(context));
      List<String> publicPrefixes = new ArrayList<>(ui.publicPrefixes());
      List<AutoCloseable> eventParts = new ArrayList<>();
      EventRuns events = events(config, app, runs, clock, endpoints, publicPrefixes, eventParts);
      eventParts.forEach(p -> opened.add(0, p));
      eventParts.add(0, policyWatch); // stopped with the event parts, before the scheduler and the store close
      TokenVerifier verifier = anonymous ? null
          : TokenVerifier.remote(TokenSettings.keycloak(URI.create(s.auth().issuer()), s.auth().audience()));
      VigilServer server = new VigilServer(new ServerSettings(anonymous ? "127.0.0.1" : s.host(), s.port(), anonymous,
          s.publicUrl()),
          verifier, endpoints, () -> Map.of("store", app.store().reachable(), "scheduler", scheduler.started()),
          registryOfMetrics, publicPrefixes).start();
      return new VigilService(app, runs, scheduler, schedules, server, s, eventParts, events);
    } catch (Exception | Error e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing what was opened before the failure
        }
      }
      throw e;
    }
  }

  /**
   * The {@code events:} section: event runs, the Jira webhook receiver (served without a token, each delivery
   * authenticated by itself) and the polls. Null when the section is absent.
   */
  private static EventRuns events(VigilConfig config, VigilApp app, RunManager runs, Clock clock,
      List<Endpoints> endpoints, List<String> publicPrefixes, List<AutoCloseable> parts) {
    EventsConfig ev = config.section(EventsConfig.SECTION);
    if (ev.jira() == null && ev.keycloak() == null) return null;
    List<Source> sources = app.connectors().stream().map(Connector::source).flatMap(Optional::stream).toList();
    for (String name : ev.sources()) {
      if (sources.stream().noneMatch(x -> x.name().equals(name))) {
        throw new IllegalArgumentException("events.sources names '" + name + "', which is no enabled source in "
            + config.file() + " (there are: " + sources.stream().map(Source::name).sorted().toList() + ")");
      }
    }
    EventRuns events = new EventRuns(runs::runAndWait, ev.sources(), ev.debounce());
    parts.add(events);
    EventPolling polling = new EventPolling();
    parts.add(0, polling);
    if (ev.jira() != null) {
      List<Source> candidates = sources.stream().filter(x -> x instanceof IssueEvents)
          .filter(x -> ev.jira().source().isEmpty() || x.name().equals(ev.jira().source())).toList();
      if (candidates.size() != 1) {
        throw new IllegalArgumentException("events.jira needs " + (ev.jira().source().isEmpty()
            ? "exactly one enabled Jira source, or its name in events.jira.source" : "an enabled Jira source named '"
            + ev.jira().source() + "'") + " in " + config.file() + "; found " + candidates.stream().map(Source::name).toList());
      }
      IssueEvents jira = (IssueEvents) candidates.get(0);
      polling.jira(jira, events, Duration.ofSeconds(ev.jira().pollSeconds()));
      if (ev.jira().webhook()) {
        endpoints.add(new HookEndpoints(new JiraWebhook(ev.jira(), jira.projects()), events, app.store(), clock));
        publicPrefixes.add(HookEndpoints.PREFIX);
      }
      if (ev.jira().register() != null) {
        Source chosen = candidates.get(0);
        if (!(chosen instanceof io.vigil.core.spi.WebhookRegistration target)) {
          throw new IllegalArgumentException("events.jira.register: the source '" + chosen.name() + "' in "
              + config.file() + " cannot register webhooks");
        }
        parts.add(0, new io.vigil.engine.events.WebhookRegistrar(target, chosen.name(), ev.jira().register(),
            ev.jira().secret()).start());
      }
    }
    if (ev.keycloak() != null) {
      String name = ev.keycloak().source().isEmpty() ? "keycloak" : ev.keycloak().source();
      if (sources.stream().noneMatch(x -> x.name().equals(name))) {
        throw new IllegalArgumentException("events.keycloak polls the source '" + name + "', which is no enabled source in "
            + config.file() + "; name it in events.keycloak.source");
      }
      // a poll that records new grants is followed by an access-governance run over the access requests read whole
      Set<String> issueSources = sources.stream().filter(x -> x instanceof IssueEvents).map(Source::name)
          .collect(Collectors.toSet());
      polling.keycloak(name, runs::runAndWait, Duration.ofSeconds(ev.keycloak().pollSeconds()),
          () -> app.store().grantEvents().events(name).size(), issueSources);
    }
    return events;
  }

  /**
   * Reads the policy every {@code seconds} and, when a new valid version is in force, makes Quartz hold its customers'
   * report schedules (added, changed, removed), so an edited cron or zone takes effect without a restart. A version
   * whose schedules are rejected is logged and audited, and the schedules in force stay; a rejected policy file keeps
   * the last valid one (PolicyFile). Returns what stops the watch.
   */
  private static AutoCloseable watchPolicy(Supplier<Policy> current, Policy initial, boolean delivering,
      VigilScheduler scheduler, io.vigil.engine.store.Store store, int seconds) {
    java.util.concurrent.ScheduledExecutorService watch = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-policy-watch");
      t.setDaemon(true);
      return t;
    });
    java.util.concurrent.atomic.AtomicReference<Policy> applied = new java.util.concurrent.atomic.AtomicReference<>(initial);
    watch.scheduleWithFixedDelay(() -> {
      try {
        Policy now = current.get();
        if (now == applied.get()) return;
        applied.set(now);
        reportSchedules(now, delivering, scheduler);
        LOG.info("the edited policy is in force; customers' report schedules now: {}",
            new io.vigil.scheduler.ReportSchedules(scheduler).customers());
        store.audit().append("vigil", "report-schedules-applied", "policy",
            String.join(",", new io.vigil.scheduler.ReportSchedules(scheduler).customers()));
      } catch (Exception e) {
        LOG.warn("the edited policy's report schedules could not be applied; the schedules in force stay: {}",
            e.getMessage());
        store.audit().append("vigil", "report-schedules-rejected", "policy", String.valueOf(e.getMessage()));
      }
    }, seconds, seconds, java.util.concurrent.TimeUnit.SECONDS);
    return watch::shutdownNow;
  }

  /**
   * Each customer's report schedule ({@code customers[].report} in the policy, at start and after each edit): one Quartz job per
   * customer, delivering through the connector that has {@code reports:} set. Customers with a schedule and no such
   * connector are named in the log and not scheduled.
   */
  private static void reportSchedules(Policy policy, boolean delivering, VigilScheduler scheduler)
      throws org.quartz.SchedulerException {
    List<io.vigil.scheduler.ReportSchedule> due = new ArrayList<>();
    for (io.vigil.core.policy.Customer c : policy.customers()) {
      if (c.report() == null) continue;
      due.add(new io.vigil.scheduler.ReportSchedule(c.id(), c.organization(), c.report().cron(),
          c.report().zone().getId(), io.vigil.scheduler.ReportPeriod.of(c.report().period().id())));
    }
    if (!delivering) {
      if (!due.isEmpty()) {
        LOG.warn("customers {} have a report schedule, but no connector delivers reports (set reports: on the Jira"
            + " connector); their reports are not delivered", due.stream().map(io.vigil.scheduler.ReportSchedule::customerId).toList());
      }
      due = List.of();
    }
    new io.vigil.scheduler.ReportSchedules(scheduler).apply(due);
  }

  /** The customers' report schedules this node shares with its cluster. */
  public io.vigil.scheduler.ReportSchedules reportSchedules() {
    return new io.vigil.scheduler.ReportSchedules(scheduler);
  }

  /** The event runs ({@code events:}), or null when the section is absent. */
  public EventRuns events() {
    return events;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "vigil";
    }
  }

  public int port() {
    return server.port();
  }

  public VigilApp app() {
    return app;
  }

  public RunManager runs() {
    return runs;
  }

  public Schedules schedules() {
    return schedules;
  }

  public VigilServer server() {
    return server;
  }

  /**
   * Stops the service so that its store closes with no write under way: the HTTP server first (no run is asked for
   * any more), then the run manager, which starts no further run, cancels the running one and waits up to
   * {@code server.shutdownSeconds} for it to reach a safe point; then the event polls and the policy watch (their
   * threads are interrupted only now, with no run in them), Quartz (a fire from here on is refused), and last the
   * store and the connectors. Before, the polls were stopped first by interrupting their threads, which could be
   * writing a run to the store, and the store closed without waiting for the run.
   */
  @Override
  public void close() {
    server.close();
    runs.close(java.time.Duration.ofSeconds(settings.shutdownSeconds()));
    for (AutoCloseable p : eventParts) {
      try {
        p.close();
      } catch (Exception ignored) {
        // stopping the polls and event runs
      }
    }
    scheduler.close();
    app.close();
  }
}
