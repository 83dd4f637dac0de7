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
   */
  public record Jira(@Optional String source, @Optional Secret secret, @Optional Secret token,
      @Optional Integer maxAgeSeconds, @Optional Integer pollSeconds) {
    public Jira {
      source = source == null ? "" : source;
      maxAgeSeconds = maxAgeSeconds == null ? 600 : maxAgeSeconds;
      pollSeconds = pollSeconds == null ? 30 : pollSeconds;
      if (secret != null && secret.isEmpty()) secret = null;
      if (token != null && token.isEmpty()) token = null;
    }

    /** Whether the webhook receiver accepts deliveries at all: only with a secret or a token to check them by. */
    public boolean webhook() {
      return secret != null || token != null;
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
    }
    if (keycloak != null && keycloak.pollSeconds() < 0) {
      p.add("events.keycloak.pollSeconds must be 0 (off) or more, not " + keycloak.pollSeconds());
    }
    return p;
  }
}
