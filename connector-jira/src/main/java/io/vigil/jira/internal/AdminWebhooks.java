package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.spi.Secret;
import io.vigil.core.spi.WebhookRegistration.Outcome;
import io.vigil.core.spi.WebhookRegistration.Registered;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Vigil's webhook, registered through Jira's admin webhook REST API ({@code /rest/webhooks/1.0/webhook}), which a
 * Jira administrator's API token (Cloud) or personal access token (Data Center) may call, and which takes a
 * {@code secret}: Jira then signs each delivery's body ({@code X-Hub-Signature: sha256=<HMAC-SHA256>}), which
 * Vigil's receiver already checks. (Jira's dynamic webhook API, {@code /rest/api/3/webhook}, answers such callers 403:
 * only Connect and OAuth 2.0 apps may use it.)
 *
 * <p>Jira is the record: the webhook is found by its URL. Jira never shows a webhook's secret, so the name carries a
 * keyed fingerprint of it (8 hex digits of an HMAC made with the secret — it tells nothing about the secret); a
 * webhook whose name, events or JQL filter differ is corrected in place. When several have Vigil's URL (two nodes
 * registered at once), the one with the smallest id stays and the others are removed: every node keeps the same one.
 */
public final class AdminWebhooks {
  public static final String PATH = "/rest/webhooks/1.0/webhook";
  /** The JQL filter's key in the admin API's {@code filters}. */
  public static final String FILTER = "issue-related-events-section";
  public static final List<String> EVENTS = List.of("jira:issue_created", "jira:issue_updated");
  private final JiraHttp http;
  private final List<String> projects;

  public AdminWebhooks(JiraHttp http, List<String> projects) {
    this.http = http;
    this.projects = List.copyOf(projects);
  }

  /** {@code project IN ("ITSM", "HR")}: the issues the webhook is about. */
  public String jql() {
    return "project IN (" + projects.stream().map(IssueSearch::quote).collect(Collectors.joining(", ")) + ")";
  }

  /** The webhook's name: what it is for, and a fingerprint of the secret it was registered with. */
  public String name(Secret secret) {
    return "Vigil: issues created or updated in " + String.join(", ", projects) + " (secret " + fingerprint(secret) + ")";
  }

  /** 8 hex digits of HMAC-SHA256(secret, "vigil-webhook"): changes with the secret, reveals nothing of it. */
  static String fingerprint(Secret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal("vigil-webhook".getBytes(StandardCharsets.UTF_8))).substring(0, 8);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** See {@link io.vigil.core.spi.WebhookRegistration#register}. */
  public Registered register(String url, Secret secret) throws JiraException {
    List<JsonNode> ours = ours(url);
    String createdId = "";
    if (ours.isEmpty()) {
      JsonNode created = http.postOnce(PATH, body(url, secret));
      createdId = id(created);
      if (createdId.isEmpty()) {
        throw new JiraException("POST " + PATH + " answered without the new webhook's self link: " + abbreviate(created.toString()), 0, null);
      }
      ours = ours(url); // another node may have registered one at the same moment
      if (ours.isEmpty()) return new Registered(createdId, Outcome.CREATED, 0);
    }
    JsonNode keep = ours.get(0);
    int removed = 0;
    for (JsonNode extra : ours.subList(1, ours.size())) {
      try {
        http.send("DELETE", PATH + "/" + id(extra), null);
        removed++;
      } catch (JiraException e) {
        if (e.status() != 404) throw e;
        // another node, registering at the same moment, removed this copy first: what was wanted is done
      }
    }
    String id = id(keep);
    if (id.equals(createdId)) return new Registered(id, Outcome.CREATED, removed);
    // an older one is kept (ours, if just created, was removed as the extra copy): corrected if it does not fit
    if (fits(keep, url, secret)) return new Registered(id, Outcome.REUSED, removed);
    http.put(PATH + "/" + id, body(url, secret));
    return new Registered(id, Outcome.UPDATED, removed);
  }

  /** Can these credentials manage webhooks? One read of the list (administrators only). */
  public void check() throws JiraException {
    http.get(PATH);
  }

  /** The webhooks with Vigil's URL, smallest id first. */
  private List<JsonNode> ours(String url) throws JiraException {
    JsonNode all = http.get(PATH);
    if (!all.isArray()) {
      throw new JiraException("GET " + PATH + " did not answer a list of webhooks: " + abbreviate(all.toString()), 0, null);
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode w : all) {
      if (url.equals(w.path("url").asText()) && !id(w).isEmpty()) out.add(w);
    }
    out.sort(Comparator.comparingLong(w -> numeric(id(w))));
    return out;
  }

  private boolean fits(JsonNode w, String url, Secret secret) {
    Set<String> events = new TreeSet<>();
    w.path("events").forEach(e -> events.add(e.asText()));
    return w.path("name").asText().equals(name(secret)) && events.equals(new TreeSet<>(EVENTS))
        && w.path("filters").path(FILTER).asText().equals(jql()) && w.path("enabled").asBoolean(true)
        && !w.path("excludeBody").asBoolean(false) && url.equals(w.path("url").asText());
  }

  private ObjectNode body(String url, Secret secret) {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("name", name(secret));
    b.put("url", url);
    EVENTS.forEach(b.putArray("events")::add);
    b.putObject("filters").put(FILTER, jql());
    b.put("excludeBody", false);
    b.put("secret", secret.reveal());
    return b;
  }

  /** The id at the end of the webhook's {@code self} link ({@code …/rest/webhooks/1.0/webhook/42}). */
  static String id(JsonNode w) {
    String self = w.path("self").asText("");
    int slash = self.lastIndexOf('/');
    return slash < 0 ? "" : self.substring(slash + 1);
  }

  private static long numeric(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  /** What to do about a refusal, after Jira's own words. */
  public static String hint(int status) {
    return switch (status) {
      case 401, 403 -> " — registering a webhook takes a Jira administrator's credentials (Jira's admin webhook API);"
          + " give the connector an administrator's token, or create the webhook by hand (README, Events)";
      case 400 -> " — Jira rejected the webhook as sent (see its answer above)";
      default -> status >= 500 || status == 0 ? " — tried again later" : "";
    };
  }

  /** Whether the source's credentials could register the webhook: one read of the admin API, nothing written. */
  public static io.vigil.core.spi.ConnectionStatus status(Site site, String source) {
    String where = "Jira source '" + source + "' at " + site.settings().url() + ": webhook registration";
    try {
      new AdminWebhooks(site.http(), site.settings().projects()).check();
      return io.vigil.core.spi.ConnectionStatus.ok(where + " would work (the credentials may manage webhooks)", List.of());
    } catch (JiraException e) {
      if (e.status() == 401 || e.status() == 403) {
        return new io.vigil.core.spi.ConnectionStatus(io.vigil.core.spi.ConnectionStatus.State.PERMISSIONS_MISSING,
            where + " would be refused: " + e.getMessage() + hint(e.status()), List.of("Jira administrator"), List.of());
      }
      return io.vigil.core.spi.ConnectionStatus.failed(e.status() == 0 ? io.vigil.core.spi.ConnectionStatus.State.UNREACHABLE
          : io.vigil.core.spi.ConnectionStatus.State.ERROR, where + ": " + e.getMessage());
    }
  }
}
