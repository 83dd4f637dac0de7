package io.vigil.server;

import io.vigil.core.settings.Optional;
import io.vigil.core.settings.Validated;
import io.vigil.engine.config.ConfigSection;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code server:} section: where {@code vigil serve} listens, how it checks sign-ins, and how nodes share work.
 *
 * @param host the address to bind (default {@code 0.0.0.0}; {@code 127.0.0.1} for this machine only)
 * @param port the port (default 8080)
 * @param zone the zone schedules and the console show times in (default UTC)
 * @param clustered several nodes share one PostgreSQL store and its schedules (default false)
 * @param nodeId this node's name in the cluster (default: the host name and a random suffix)
 * @param auth the Keycloak realm administrators and auditors sign in with
 * @param publicUrl the console's address as users reach it (links in tickets, sign-in redirects)
 * @param policyCheckSeconds how often the policy file is read for edits that change what the server schedules
 *     (customers' report schedules; runs read the policy in force when they start) (default 30)
 * @param shutdownSeconds how long stopping the server waits for a running run to stop at a safe point (it is
 *     cancelled) before closing the store anyway (default 30; 0 does not wait)
 */
public record ServerConfig(@Optional String host, Integer port, @Optional String zone, Boolean clustered,
    @Optional String nodeId, @Optional Auth auth, @Optional String publicUrl, Integer policyCheckSeconds,
    Integer shutdownSeconds)
    implements Validated {

  /**
   * @param issuer the realm's issuer URL, e.g. {@code https://sso.example.com/realms/corp}
   * @param audience the {@code aud} (or {@code azp}) tokens must carry, e.g. {@code vigil}
   * @param consoleClientId the public client (authorisation code + PKCE) the console signs in with
   */
  public record Auth(String issuer, String audience, @Optional String consoleClientId) {
    public Auth {
      issuer = issuer == null ? null : issuer.replaceAll("/+$", "");
      consoleClientId = consoleClientId == null || consoleClientId.isBlank() ? "vigil-console" : consoleClientId;
    }

    /** The Keycloak base URL (without {@code /realms/…}). */
    public String keycloakUrl() {
      return issuer.substring(0, issuer.indexOf("/realms/"));
    }

    public String realm() {
      return issuer.substring(issuer.indexOf("/realms/") + "/realms/".length());
    }
  }

  public ServerConfig {
    host = host == null || host.isBlank() ? "0.0.0.0" : host;
    port = port == null ? 8080 : port;
    zone = zone == null || zone.isBlank() ? "UTC" : zone;
    clustered = clustered != null && clustered;
    nodeId = nodeId == null ? "" : nodeId;
    publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    policyCheckSeconds = policyCheckSeconds == null ? 30 : policyCheckSeconds;
    shutdownSeconds = shutdownSeconds == null ? 30 : shutdownSeconds;
  }

  /** The {@code server:} section of the configuration file. */
  public static final ConfigSection<ServerConfig> SECTION = ConfigSection.of("server", ServerConfig.class, defaults());

  public static ServerConfig defaults() {
    return new ServerConfig(null, null, null, null, null, null, null, null, null);
  }

  public ZoneId zoneId() {
    return ZoneId.of(zone);
  }

  @Override
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (port < 0 || port > 65535) p.add("server.port must be between 0 and 65535, not " + port);
    if (policyCheckSeconds < 1) p.add("server.policyCheckSeconds must be at least 1, not " + policyCheckSeconds);
    if (shutdownSeconds < 0) p.add("server.shutdownSeconds must be 0 or more, not " + shutdownSeconds);
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      p.add("server.zone '" + zone + "' is not a time zone (e.g. UTC, Europe/Berlin)");
    }
    if (auth != null) {
      if (auth.issuer() == null || !auth.issuer().contains("/realms/")) {
        p.add("server.auth.issuer must be a Keycloak realm's issuer, e.g. https://sso.example.com/realms/corp");
      } else {
        try {
          URI u = URI.create(auth.issuer());
          if (u.getScheme() == null || !u.getScheme().startsWith("http")) p.add("server.auth.issuer must be an http(s) URL");
        } catch (IllegalArgumentException e) {
          p.add("server.auth.issuer is not a URL: " + e.getMessage());
        }
      }
      if (auth.audience() == null || auth.audience().isBlank()) p.add("server.auth.audience is required (e.g. vigil)");
    }
    return p;
  }
}
