package io.vigil.app;

import io.vigil.engine.config.VigilConfig;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunPipeline;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Publisher;
import io.vigil.core.spi.Source;
import io.vigil.engine.store.Store;
import java.time.Clock;
import io.vigil.jira.config.JiraSettings;
import io.vigil.server.ServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * The composition root: opens the store, creates the configured connectors through their factories and
 * wires them with the checks into a {@link RunPipeline}. Nothing else in Vigil builds these objects.
 */
public final class VigilApp implements AutoCloseable {
  private final Store store;
  private final List<Connector> connectors;
  private final RunPipeline pipeline;

  public VigilApp(Store store, List<Connector> connectors, List<Check> checks, IdentityMatch identityMatch, Clock clock,
      RunListener listener) {
    this(store, connectors, checks, identityMatch, clock, listener, io.vigil.engine.config.GuardConfig.DEFAULT_MAX_RESOLVE_SHARE);
  }

  /** @param maxResolveShare the plausibility guard's share ({@code guard.maxResolveShare}) */
  public VigilApp(Store store, List<Connector> connectors, List<Check> checks, IdentityMatch identityMatch, Clock clock,
      RunListener listener, double maxResolveShare) {
    this.store = store;
    this.connectors = List.copyOf(connectors);
    List<Source> sources = connectors.stream().map(Connector::source).flatMap(Optional::stream).toList();
    List<Publisher> publishers = connectors.stream().map(Connector::publisher).flatMap(Optional::stream).toList();
    this.pipeline = new RunPipeline(store, sources, checks, publishers, clock, identityMatch, listener, maxResolveShare);
  }

  /** Opens everything a configuration describes. The caller closes the app (and so the store and connectors). */
  public static VigilApp open(VigilConfig config, ExtensionRegistry registry, Clock clock, RunListener listener) {
    return open(config, registry, clock, listener, List.of());
  }

  /** The same, with more migration locations for the store (the server's schedules and Quartz tables). */
  public static VigilApp open(VigilConfig config, ExtensionRegistry registry, Clock clock, RunListener listener,
      List<String> migrations) {
    config = withConsoleUrl(config);
    return wire(Store.open(config.storeUrl(), config.storeUser(), config.storePassword(), clock, migrations),
        config, registry, clock, listener);
  }

  /**
   * Opens everything for a dry run, which must leave every store and system as it was: the store is neither
   * created nor migrated (a missing one reads as empty) and the connectors' activity ledger writes nothing.
   */
  public static VigilApp openForDryRun(VigilConfig config, ExtensionRegistry registry, Clock clock,
      RunListener listener) {
    return wire(Store.openForDryRun(config.storeUrl(), config.storeUser(), config.storePassword(), clock, List.of()),
        withConsoleUrl(config), registry, clock, listener);
  }

  private static VigilApp wire(Store store, VigilConfig config, ExtensionRegistry registry, Clock clock,
      RunListener listener) {
    List<Connector> connectors = new ArrayList<>();
    try {
      // a dry run publishes nothing, so it claims nothing and makes no installation id
      ConnectorContext context = new ConnectorContext(clock, store.activityLedger(),
          config.file().toAbsolutePath().getParent(), store.readOnly() ? "" : store.installationId(),
          store.grantEventLedger());
      for (ConnectorConfig c : config.connectors().values()) {
        if (!c.enabled()) continue; // kept in the configuration, switched off: never contacted
        ConnectorFactory factory = registry.factory(c.type()).orElseThrow(() ->
            new IllegalStateException("no connector factory for type " + c.type()));
        connectors.add(factory.create(c, context));
      }
    } catch (RuntimeException e) {
      connectors.forEach(Connector::close);
      store.close();
      throw e;
    }
    return new VigilApp(store, connectors, registry.checks(), config.identityMatch(), clock, listener,
        config.section(io.vigil.engine.config.GuardConfig.SECTION).maxResolveShare());
  }

  /**
   * The configuration with each Jira connector's {@code tickets.consoleUrl} defaulted from {@code server.publicUrl}
   * when left empty, so every ticket links to its finding in the console. The Jira connector knows nothing of the
   * server; this composition root joins the two.
   */
  public static VigilConfig withConsoleUrl(VigilConfig config) {
    String publicUrl = config.section(ServerConfig.SECTION).publicUrl();
    if (publicUrl.isEmpty()) return config;
    Map<String, ConnectorConfig> connectors = new LinkedHashMap<>();
    boolean changed = false;
    for (ConnectorConfig c : config.connectors().values()) {
      if (c.settings() instanceof JiraSettings jira && jira.tickets().consoleUrl().isEmpty()) {
        JiraSettings.Tickets t = jira.tickets();
        c = new ConnectorConfig(c.name(), c.type(), jira.withTickets(new JiraSettings.Tickets(t.issueType(),
            t.resolveTransitions(), t.reopenTransitions(), t.linkType(), publicUrl)), c.enabled());
        changed = true;
      }
      connectors.put(c.name(), c);
    }
    return changed ? config.toBuilder().connectors(connectors).build() : config;
  }

  public Store store() {
    return store;
  }

  public List<Connector> connectors() {
    return connectors;
  }

  public RunPipeline pipeline() {
    return pipeline;
  }

  @Override
  public void close() {
    connectors.forEach(Connector::close);
    store.close();
  }
}
