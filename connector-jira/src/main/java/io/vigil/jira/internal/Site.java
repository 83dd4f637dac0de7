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

  /** The zone Jira reads JQL dates in: the signed-in user's, from {@code /myself}. */
  public ZoneId jqlZone() throws JiraException {
    JsonNode me = http.get(settings.api() + "/myself");
    try {
      String tz = me.path("timeZone").asText("");
      return tz.isEmpty() ? ZoneOffset.UTC : ZoneId.of(tz);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
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
