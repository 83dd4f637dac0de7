package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.jira.config.JiraSettings;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * One Jira site as Vigil talks to it: the platform and JSM APIs on the site URL, Assets on its own base URL
 * (derived from the deployment, or configured), both through {@link JiraHttp} with the same credentials.
 */
public final class Site implements AutoCloseable {
  private static final Pattern SCOPED = Pattern.compile("https://api\\.atlassian\\.com/ex/jira/([^/]+)");
  private final JiraSettings settings;
  private final JiraHttp http;
  private final String authorization;
  private final Duration backoff;
  private final Clock clock;
  private volatile JiraHttp assets;

  public Site(JiraSettings settings, Duration backoff, Clock clock) {
    this.settings = settings;
    this.backoff = backoff;
    this.clock = clock;
    this.authorization = settings.cloud()
        ? "Basic " + Base64.getEncoder().encodeToString(
            (settings.auth().email() + ":" + settings.auth().apiToken().reveal()).getBytes(StandardCharsets.UTF_8))
        : "Bearer " + settings.auth().token().reveal();
    this.http = client(settings.url());
  }

  private JiraHttp client(String base) {
    return new JiraHttp(base, authorization, Duration.ofSeconds(settings.timeoutSeconds()), settings.maxRetries(),
        settings.maxConcurrency(), backoff, clock);
  }

  public JiraSettings settings() {
    return settings;
  }

  public JiraHttp http() {
    return http;
  }

  /** Requests sent to the site and to Assets, retries included. */
  public long calls() {
    JiraHttp a = assets;
    return http.calls() + (a == null ? 0 : a.calls());
  }

  /** Retries sent to the site and to Assets. */
  public long retries() {
    JiraHttp a = assets;
    return http.retries() + (a == null ? 0 : a.retries());
  }

  /**
   * How long the field list ({@code /field}) and the account's time zone ({@code /myself}) are kept for this process:
   * both change rarely (an administrator adds a field, or changes the account's zone), and a source polled every few
   * seconds would otherwise read them on every run. A full read reads them again, and so does a run that finds a field
   * it was told to use missing from the kept list — only a list read just now makes that an error.
   */
  public static final Duration FACTS_MAX_AGE = Duration.ofMinutes(10);

  private record Kept<T>(T value, java.time.Instant at) {}

  private final java.util.concurrent.atomic.AtomicReference<Kept<JsonNode>> fieldList = new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicReference<Kept<ZoneId>> zone = new java.util.concurrent.atomic.AtomicReference<>();

  @FunctionalInterface
  private interface Fact<T> {
    T read() throws JiraException;
  }

  /**
   * The value kept in {@code slot} if read within {@link #FACTS_MAX_AGE} (and not in the future) and not asked to read
   * now; else read now, and kept.
   */
  private <T> T kept(java.util.concurrent.atomic.AtomicReference<Kept<T>> slot, boolean readNow, Fact<T> fact)
      throws JiraException {
    Kept<T> kept = slot.get();
    java.time.Instant now = clock.instant();
    if (!readNow && kept != null && !now.isBefore(kept.at()) && now.isBefore(kept.at().plus(FACTS_MAX_AGE))) {
      return kept.value();
    }
    T value = fact.read();
    slot.set(new Kept<>(value, clock.instant()));
    return value;
  }

  /**
   * The site's fields ({@code GET /field}), as kept for up to {@link #FACTS_MAX_AGE}, or read now.
   *
   * @param readNow read the list now whatever is kept (a full read; a field named in the settings not in the kept list)
   */
  public JsonNode fieldList(boolean readNow) throws JiraException {
    return kept(fieldList, readNow, () -> http.get(settings.api() + "/field"));
  }

  /** The zone Jira reads JQL dates in: the signed-in user's, from {@code /myself}, read now. */
  public ZoneId jqlZone() throws JiraException {
    return jqlZone(true);
  }

  /**
   * The zone Jira reads JQL dates in: the signed-in user's, from {@code /myself}, as kept for up to
   * {@link #FACTS_MAX_AGE} unless {@code readNow}.
   */
  public ZoneId jqlZone(boolean readNow) throws JiraException {
    return kept(zone, readNow, () -> {
      String tz = http.get(settings.api() + "/myself").path("timeZone").asText("");
      try {
        return tz.isEmpty() ? ZoneOffset.UTC : ZoneId.of(tz);
      } catch (DateTimeException e) {
        return ZoneOffset.UTC;
      }
    });
  }

  /** The Assets client, its base URL worked out on first use (workspace id and cloud id looked up if needed). */
  public JiraHttp assets() throws JiraException {
    JiraHttp a = assets;
    if (a != null) return a;
    synchronized (this) {
      if (assets == null) assets = client(assetsBaseUrl());
      return assets;
    }
  }

  String assetsBaseUrl() throws JiraException {
    JiraSettings.Assets s = settings.assets();
    if (!settings.cloud() && s.url().isEmpty()) return settings.url();
    String workspace = s.workspaceId();
    if (workspace.isEmpty() && (s.url().isEmpty() || s.url().contains("{workspaceId}"))) {
      JsonNode ws = http.get("/rest/servicedeskapi/assets/workspace");
      workspace = ws.path("values").path(0).path("workspaceId").asText("");
      if (workspace.isEmpty()) {
        throw new JiraException("GET /rest/servicedeskapi/assets/workspace returned no Assets workspace: is Assets enabled on "
            + settings.url() + "?", 0, null);
      }
    }
    if (!s.url().isEmpty()) return s.url().replace("{workspaceId}", workspace);
    String cloudId = s.cloudId();
    if (cloudId.isEmpty()) {
      Matcher m = SCOPED.matcher(settings.url());
      cloudId = m.lookingAt() ? m.group(1) : http.get("/_edge/tenant_info").path("cloudId").asText("");
    }
    if (cloudId.isEmpty()) throw new JiraException("cannot find the site's cloud id at " + settings.url() + "/_edge/tenant_info; set assets.cloudId", 0, null);
    return "https://api.atlassian.com/ex/jira/" + cloudId + "/jsm/assets/workspace/" + workspace + "/v1";
  }

  @Override
  public void close() {
    http.close();
    JiraHttp a = assets;
    if (a != null) a.close();
  }
}
