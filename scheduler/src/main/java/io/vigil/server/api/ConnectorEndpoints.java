package io.vigil.server.api;

import io.javalin.Javalin;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.server.Endpoints;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/connectors}: each configured connector, its settings with every secret masked, and the
 * status its source's {@code check()} reports now (reachable, signed in, permissions).
 */
final class ConnectorEndpoints implements Endpoints {
  private final Collection<ConnectorConfig> configs;
  private final Map<String, Connector> live;

  ConnectorEndpoints(Collection<ConnectorConfig> configs, List<Connector> connectors) {
    this.configs = List.copyOf(configs);
    this.live = connectors.stream().collect(Collectors.toMap(Connector::name, Function.identity(), (a, b) -> a));
  }

  record ConnectorView(String name, String type, boolean enabled, boolean source, boolean publisher, Object settings,
      ConnectionStatus status) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/connectors", ctx -> {
      List<ConnectorView> out = new ArrayList<>();
      for (ConnectorConfig c : configs) {
        Connector connector = live.get(c.name());
        boolean source = connector != null && connector.source().isPresent();
        boolean publisher = connector != null && connector.publisher().isPresent();
        ConnectionStatus status = !c.enabled() ? null
            : source ? check(connector) : ConnectionStatus.ok("publishes only; it is checked when it publishes", List.of());
        out.add(new ConnectorView(c.name(), c.type(), c.enabled(), source, publisher, SafeSettings.of(c.settings()), status));
      }
      ctx.json(Map.of("items", out));
    });
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
}
