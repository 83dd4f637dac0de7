package io.vigil.server.hooks;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.engine.events.EventRuns;
import io.vigil.engine.store.HookDeliveries;
import io.vigil.engine.store.Store;
import io.vigil.server.Endpoints;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/hooks/jira}: Jira's webhook. It is outside the bearer-token sign-in (Jira has no Keycloak
 * token); each delivery is authenticated by itself ({@link JiraWebhook}). 401 for a delivery that is not Jira's, 400
 * for a malformed one, 200 otherwise — also for what is ignored (another project, another event, a delivery too old,
 * or one whose {@code X-Atlassian-Webhook-Identifier} was accepted before: a replay or a retry), so Jira does not
 * retry it. An accepted delivery queues its issue for an event run and returns at once.
 */
public final class HookEndpoints implements Endpoints {
  /** The paths served without a token: each delivery authenticates itself. */
  public static final String PREFIX = "/api/v1/hooks/";
  static final String DELIVERY_ID = "X-Atlassian-Webhook-Identifier";
  private static final Logger LOG = LoggerFactory.getLogger(HookEndpoints.class);

  private final JiraWebhook jira;
  private final EventRuns events;
  private final Store store;
  private final Clock clock;
  private final HookDeliveries deliveries = new HookDeliveries();

  public HookEndpoints(JiraWebhook jira, EventRuns events, Store store, Clock clock) {
    this.jira = jira;
    this.events = events;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void register(Javalin app) {
    app.post(PREFIX + "jira", this::jira);
  }

  private void jira(Context ctx) {
    JiraWebhook.Verdict v = jira.judge(ctx.bodyAsBytes(), ctx.header("X-Hub-Signature"), ctx.queryParam("token"),
        clock.instant());
    String delivery = ctx.header(DELIVERY_ID);
    if (v.accepted() && delivery != null && !delivery.isBlank()) {
      boolean first = store.withHandle(h -> deliveries.firstTime(h, "jira", delivery.trim(), clock.instant()));
      if (!first) {
        v = new JiraWebhook.Verdict(200, "ignored", "delivery " + delivery.trim() + " was accepted before (a replay or"
            + " a retry); nothing changes", null);
      }
    }
    if (v.accepted()) events.submit("webhook", List.of(v.change()));
    if (v.status() == 401) {
      LOG.warn("Jira webhook from {} refused: {}", ctx.ip(), v.reason());
    } else {
      LOG.debug("Jira webhook {}: {}", v.outcome(), v.reason());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (v.status() >= 400) {
      body.put("status", v.status());
      body.put("error", v.outcome());
      body.put("message", v.reason());
    } else {
      body.put("outcome", v.outcome());
      body.put("message", v.reason());
    }
    ctx.status(v.status()).json(body);
  }
}
