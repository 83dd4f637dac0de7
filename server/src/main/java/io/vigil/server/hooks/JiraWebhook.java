package io.vigil.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.spi.IssueEvents.Changed;
import io.vigil.engine.events.EventsConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Judges one Jira webhook delivery, without HTTP: is it authentic, well formed, about an issue of a configured
 * project, and fresh? Authentic means its body carries Jira's signature made with the configured secret — header
 * {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>}, as Jira Cloud and Data Center sign webhooks that
 * have a secret — or, for a webhook Jira cannot sign, the configured token in the URL ({@code ?token=…}). Both are
 * compared in constant time. Stateless and thread-safe; the caller recognises replays by delivery id.
 */
public final class JiraWebhook {
  /** The events Vigil evaluates; any other (comments, worklogs, projects) is acknowledged and ignored. */
  static final Set<String> EVALUATED = Set.of("jira:issue_created", "jira:issue_updated");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Jira's own rendering of {@code updated}, e.g. {@code 2026-12-02T01:00:00.000+0000}. */
  private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private final EventsConfig.Jira settings;
  private final Set<String> projects;

  public JiraWebhook(EventsConfig.Jira settings, Set<String> projects) {
    this.settings = settings;
    this.projects = Set.copyOf(projects);
  }

  /** What to do with a delivery: the HTTP status, why, and the change to evaluate (only when accepted). */
  public record Verdict(int status, String outcome, String reason, Changed change) {
    static Verdict refuse(int status, String reason) {
      return new Verdict(status, status == 401 ? "unauthorized" : "invalid", reason, null);
    }

    static Verdict ignore(String reason) {
      return new Verdict(200, "ignored", reason, null);
    }

    public boolean accepted() {
      return change != null;
    }
  }

  /**
   * @param signature the {@code X-Hub-Signature} header, or null
   * @param token the {@code token} query parameter, or null
   * @param now to judge the delivery's age by
   */
  public Verdict judge(byte[] body, String signature, String token, Instant now) {
    if (!authentic(body, signature, token)) {
      return Verdict.refuse(401, signature == null && token == null
          ? "the delivery is not signed: Jira's X-Hub-Signature header (a webhook with the secret in events.jira.secret)"
              + " or ?token= (events.jira.token) is required"
          : "the delivery's signature or token does not match the configured secret; it was ignored");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Verdict.refuse(400, "the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      return Verdict.refuse(400, "the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) return Verdict.refuse(400, "the body is not a JSON object");
    JsonNode event = root.get("webhookEvent");
    if (event == null || !event.isTextual() || event.asText().isBlank()) {
      return Verdict.refuse(400, "the body has no webhookEvent (e.g. \"jira:issue_updated\")");
    }
    JsonNode stamp = root.get("timestamp");
    if (stamp != null && !stamp.isNull()) {
      if (!stamp.canConvertToLong()) return Verdict.refuse(400, "timestamp is not milliseconds since the epoch: " + stamp);
      Instant sent = Instant.ofEpochMilli(stamp.asLong());
      Duration age = Duration.between(sent, now);
      if (age.compareTo(Duration.ofSeconds(settings.maxAgeSeconds())) > 0) {
        return Verdict.ignore("the delivery was sent at " + sent + ", more than " + settings.maxAgeSeconds()
            + " s ago (events.jira.maxAgeSeconds): a replay or a late retry; the poll and the schedules cover the change");
      }
    }
    if (!EVALUATED.contains(event.asText())) return Verdict.ignore("event " + event.asText() + " is not one Vigil evaluates");
    JsonNode issue = root.path("issue");
    String key = issue.path("key").asText("");
    if (!issue.isObject() || !key.matches("[A-Za-z][A-Za-z0-9_]*-[0-9]+")) {
      return Verdict.refuse(400, "the " + event.asText() + " event has no issue key (issue.key, e.g. \"ITSM-12\")");
    }
    String project = issue.path("fields").path("project").path("key").asText(key.substring(0, key.lastIndexOf('-')));
    if (!projects.contains(project)) return Verdict.ignore("project " + project + " is not one Vigil reads");
    Instant updated = null;
    JsonNode u = issue.path("fields").path("updated");
    if (u.isTextual()) {
      try {
        updated = OffsetDateTime.parse(u.asText(), JIRA_TIME).toInstant();
      } catch (DateTimeParseException e) {
        try {
          updated = OffsetDateTime.parse(u.asText()).toInstant();
        } catch (DateTimeParseException again) {
          return Verdict.refuse(400, "issue.fields.updated '" + u.asText() + "' is not a time");
        }
      }
    } else if (u.canConvertToLong()) {
      updated = Instant.ofEpochMilli(u.asLong());
    }
    return new Verdict(200, "queued", "issue " + key + " will be evaluated", new Changed(key, updated));
  }

  private boolean authentic(byte[] body, String signature, String token) {
    if (settings.secret() != null && signature != null) {
      String given = signature.trim();
      if (given.regionMatches(true, 0, "sha256=", 0, 7)) {
        byte[] expected = hmac(settings.secret().reveal(), body);
        try {
          if (MessageDigest.isEqual(expected, HexFormat.of().parseHex(given.substring(7).toLowerCase(java.util.Locale.ROOT)))) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          return false; // not hex
        }
      }
    }
    if (settings.token() != null && token != null) {
      return MessageDigest.isEqual(settings.token().reveal().getBytes(StandardCharsets.UTF_8),
          token.getBytes(StandardCharsets.UTF_8));
    }
    return false;
  }

  /** HMAC-SHA256 of the body with the secret, as Jira signs it. */
  public static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
