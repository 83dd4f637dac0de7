package io.vigil.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.vigil.core.model.Waiver;
import io.vigil.core.store.Store;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code /api/v1/waivers}: record a waiver (of one finding, or of a rule for subjects matching a glob), list
 * them, revoke one. The same rules as {@code vigil waive}: a future expiry, a reason, an approver who is not
 * the finding's subject; the store writes the audit entry with the change.
 */
final class WaiverEndpoints implements Endpoints {
  private final Store store;
  private final ObjectMapper json;

  WaiverEndpoints(Store store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * @param fingerprint the finding to waive; or else
   * @param rule the rule to waive, for subjects matching
   * @param subject a glob over {@code kind:id} (default {@code *})
   * @param expires a date (the end of that day, UTC) or an instant
   */
  record WaiverBody(String fingerprint, String rule, String subject, String reason, String approver, String expires) {}

  /** A waiver with whether it is active, expired or revoked. */
  record WaiverView(Waiver waiver, String state, Instant revokedAt) {}

  @Override
  public void register(Javalin app) {
    app.post("/api/v1/waivers", ctx -> {
      WaiverBody b = Requests.body(ctx, json, WaiverBody.class);
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
      String actor = Requests.actor(ctx);
      Waiver request = byFinding
          ? new Waiver("new", b.fingerprint().trim(), "", "", b.reason(), b.approver(), expiry, null, actor)
          : new Waiver("new", "", b.rule().trim(), b.subject(), b.reason(), b.approver(), expiry, null, actor);
      Waiver w;
      try {
        w = store.waivers().add(request, actor);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("the waiver was not recorded: " + e.getMessage());
      }
      ctx.status(201).header("Location", "/api/v1/waivers/" + w.id()).json(new WaiverView(w, "active", null));
    });
    app.get("/api/v1/waivers", ctx -> {
      boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
      Instant now = store.clock().instant();
      List<Waiver> waivers = all ? store.waivers().all() : store.waivers().active(now);
      ctx.json(java.util.Map.of("items", waivers.stream().map(w -> {
        Instant revoked = store.waivers().revokedAt(w.id()).orElse(null);
        String state = revoked != null ? "revoked" : w.expiresAt().isAfter(now) ? "active" : "expired";
        return new WaiverView(w, state, revoked);
      }).toList()));
    });
    app.delete("/api/v1/waivers/{id}", ctx -> {
      String id = ctx.pathParam("id");
      try {
        store.waivers().revoke(id, Requests.actor(ctx));
      } catch (IllegalArgumentException e) {
        throw ApiException.notFound(e.getMessage() + " (GET /api/v1/waivers lists the active ones)");
      }
      ctx.status(204);
    });
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
}
