package io.vigil.server.api;

import io.javalin.Javalin;
import io.vigil.server.Endpoints;
import java.util.Map;

/**
 * {@code /api/v1/connectors}: each configured connector, its settings with every secret masked, and the
 * status its source's {@code check()} reports now (reachable, signed in, permissions).
 */
final class ConnectorEndpoints implements Endpoints {
  private final Operations operations;

  ConnectorEndpoints(Operations operations) {
    this.operations = operations;
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/connectors", ctx -> ctx.json(Map.of("items", operations.connectors())));
  }
}
