package io.vigil.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.vigil.core.model.Waiver;
import io.vigil.server.Endpoints;
import java.util.Map;

/**
 * {@code /api/v1/waivers}: record a waiver (of one finding, or of a rule for subjects matching a glob), list
 * them, revoke one. The same rules as {@code vigil waive} ({@link Operations#addWaiver}): a future expiry, a
 * reason, an approver who is not the finding's subject; the store writes the audit entry with the change.
 */
final class WaiverEndpoints implements Endpoints {
  private final Operations operations;
  private final ObjectMapper json;

  WaiverEndpoints(Operations operations, ObjectMapper json) {
    this.operations = operations;
    this.json = json;
  }

  @Override
  public void register(Javalin app) {
    app.post("/api/v1/waivers", ctx -> {
      Operations.WaiverRequest b = Requests.body(ctx, json, Operations.WaiverRequest.class);
      Waiver w = operations.addWaiver(b, Requests.actor(ctx));
      ctx.status(201).header("Location", "/api/v1/waivers/" + w.id()).json(new Operations.WaiverView(w, "active", null));
    });
    app.get("/api/v1/waivers", ctx -> ctx.json(Map.of("items",
        operations.waivers("true".equalsIgnoreCase(ctx.queryParam("all"))))));
    app.delete("/api/v1/waivers/{id}", ctx -> {
      operations.revokeWaiver(ctx.pathParam("id"), Requests.actor(ctx));
      ctx.status(204);
    });
  }
}
