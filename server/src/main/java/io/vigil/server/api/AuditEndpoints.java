package io.vigil.server.api;

import io.javalin.Javalin;
import io.vigil.engine.store.Store;
import io.vigil.server.Endpoints;

/** {@code /api/v1/audit}: every administrative change, newest first, paged. */
final class AuditEndpoints implements Endpoints {
  private final Store store;

  AuditEndpoints(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/audit", ctx -> {
      Requests.Page page = Requests.page(ctx);
      ctx.json(new PageOf<>(store.audit().page(page.offset(), page.limit()), page.offset(), page.limit(),
          store.audit().count()));
    });
  }
}
