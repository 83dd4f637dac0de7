package io.vigil.engine.events;

import io.vigil.core.settings.Optional;
import io.vigil.core.settings.Validated;
import io.vigil.core.spi.Secret;
import io.vigil.engine.config.ConfigSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code events:} section: event-driven runs next to the schedules. Absent, nothing but the schedules runs.
 *
 * @param jira the Jira webhook receiver and the JQL poll that stands in for it
 * @param keycloak the poll of Keycloak's admin and sign-in events (an incremental run of the Keycloak source)
 * @param debounceMillis how long events are gathered before one event run re-evaluates all they touched (default 500)
 * @param sources the sources an event run reads (default all): the Jira source reads only the events' issues; a
 *     source that cannot narrow its read reads incrementally from its cursor
 */
public record EventsConfig(@Optional Jira jira, @Optional Keycloak keycloak, @Optional Integer debounceMillis,
    @Optional List<String> sources) implements Validated {

  /**
   * @param source the Jira connector whose issues events name (default: the only source reading issues)
   * @param secret the webhook's secret: Jira signs each delivery's body with it (HMAC-SHA256, header
   *     {@code X-Hub-Signature: sha256=<hex>})
   * @param token for a webhook Jira cannot sign (one without a secret): a token the webhook's URL carries as
   *     {@code ?token=…}; compared in constant time, like the signature
   * @param maxAgeSeconds a delivery whose {@code timestamp} is older than this is a replay and is ignored (default 600)
   * @param pollSeconds poll for changed issues this often ({@code updated >= -Nm}); 0 turns polling off (default 30)
   * @param register Vigil registers the webhook itself (absent: an administrator configures it in Jira)
   */
  public record Jira(@Optional String source, @Optional Secret secret, @Optional Secret token,
      @Optional Integer maxAgeSeconds, @Optional Integer pollSeconds, @Optional Register register) {
    public Jira {
      source = source == null ? "" : source;
      maxAgeSeconds = maxAgeSeconds == null ? 600 : maxAgeSeconds;
      pollSeconds = pollSeconds == null ? 30 : pollSeconds;
      if (secret != null && secret.isEmpty()) secret = null;
      if (token != null && token.isEmpty()) token = null;
    }

    public Jira(String source, Secret secret, Secret token, Integer maxAgeSeconds, Integer pollSeconds) {
      this(source, secret, token, maxAgeSeconds, pollSeconds, null);
    }

    /** Whether the webhook receiver accepts deliveries at all: only with a secret or a token to check them by. */
    public boolean webhook() {
      return secret != null || token != null;
    }
  }

  /**
   * {@code events.jira.register}: on start, and every {@code checkMinutes} after, every node makes sure Jira has
   * exactly one webhook for issue created/updated events in the Jira source's projects, to {@code url}, signed with
   * {@code events.jira.secret} (registered, reused or corrected; Jira itself is the record). A refusal or failure is
   * logged and tried again {@code retryMinutes} later; the poll stands in meanwhile.
   *
   * @param url where Jira delivers: this server's {@code /api/v1/hooks/jira} as Jira reaches it (https)
   * @param checkMinutes look again this often, correcting or re-creating a webhook someone changed or removed
   *     (default 60)
   * @param retryMinutes after a failure, try again this much later (default 5)
   */
  public record Register(String url, @Optional Integer checkMinutes, @Optional Integer retryMinutes) {
    public Register {
      checkMinutes = checkMinutes == null ? 60 : checkMinutes;
      retryMinutes = retryMinutes == null ? 5 : retryMinutes;
    }
  }

  /**
   * @param source the Keycloak connector to poll (default: the one named {@code keycloak}, or the only other source)
   * @param pollSeconds run it incrementally (admin and sign-in events from their cursors) this often; 0 turns it
   *     off (default 30)
   */
  public record Keycloak(@Optional String source, @Optional Integer pollSeconds) {
    public Keycloak {
      source = source == null ? "" : source;
      pollSeconds = pollSeconds == null ? 30 : pollSeconds;
    }
  }

  public EventsConfig {
    debounceMillis = debounceMillis == null ? 500 : debounceMillis;
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  public static final ConfigSection<EventsConfig> SECTION = ConfigSection.of("events", EventsConfig.class,
      new EventsConfig(null, null, null, null));

  public Duration debounce() {
    return Duration.ofMillis(debounceMillis);
  }

  @Override
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (debounceMillis < 0 || debounceMillis > 60_000) {
      p.add("events.debounceMillis must be between 0 and 60000 (a minute), not " + debounceMillis);
    }
    if (jira != null) {
      if (jira.pollSeconds() < 0) p.add("events.jira.pollSeconds must be 0 (off) or more, not " + jira.pollSeconds());
      if (jira.maxAgeSeconds() < 1) p.add("events.jira.maxAgeSeconds must be at least 1, not " + jira.maxAgeSeconds());
      if (jira.register() != null) registerProblems(jira, p);
    }
    if (keycloak != null && keycloak.pollSeconds() < 0) {
      p.add("events.keycloak.pollSeconds must be 0 (off) or more, not " + keycloak.pollSeconds());
    }
    return p;
  }

  private static void registerProblems(Jira jira, List<String> p) {
    Register r = jira.register();
    String url = r.url() == null ? "" : r.url().trim();
    if (url.isEmpty()) {
      p.add("events.jira.register.url is required: where Jira delivers, e.g. https://vigil.example/api/v1/hooks/jira");
    } else {
      try {
        java.net.URI u = new java.net.URI(url);
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
          p.add("events.jira.register.url must be an absolute http(s) URL Jira can reach, not '" + url + "'");
        } else if (!u.getPath().endsWith("/api/v1/hooks/jira")) {
          p.add("events.jira.register.url must end with Vigil's receiver, /api/v1/hooks/jira, not '" + url + "'");
        } else if (u.getRawQuery() != null || u.getRawUserInfo() != null) {
          p.add("events.jira.register.url must carry no query or user info (Jira stores and shows the URL; the secret"
              + " signs the deliveries instead), not '" + io.vigil.core.spi.Urls.redact(url) + "'");
        }
      } catch (java.net.URISyntaxException e) {
        p.add("events.jira.register.url is not a URL: " + e.getMessage());
      }
    }
    if (jira.secret() == null) {
      p.add("events.jira.register needs events.jira.secret: Vigil registers the webhook with it, and Jira signs each"
          + " delivery with it");
    }
    if (r.checkMinutes() < 1) p.add("events.jira.register.checkMinutes must be at least 1, not " + r.checkMinutes());
    if (r.retryMinutes() < 1) p.add("events.jira.register.retryMinutes must be at least 1, not " + r.retryMinutes());
  }
}
