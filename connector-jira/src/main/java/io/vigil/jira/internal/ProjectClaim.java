package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.spi.Claim;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An installation's claim on a Jira compliance project, kept as an entity property of the project
 * ({@code vigil.installation}: the installation's id and when it claimed), which Jira Cloud and Data Center both
 * have. Jira offers no compare-and-set on properties, so a new claim is written, left to settle for a moment and read
 * again: of two installations claiming at once, the one whose write landed last keeps it and the other sees that
 * and refuses. Every batch reads the claim again, so a takeover is noticed by the next batch. Thread-safe.
 */
public final class ProjectClaim {
  public static final String PROPERTY = "vigil.installation";

  private final JiraHttp http;
  private final String api;
  private final String project;
  private final String installationId;
  private final Duration settle;
  private final Clock clock;

  public ProjectClaim(JiraHttp http, String api, String project, String installationId, Duration settle, Clock clock) {
    this.http = http;
    this.api = api;
    this.project = project;
    this.installationId = installationId;
    this.settle = settle;
    this.clock = clock;
  }

  private String path() {
    return api + "/project/" + java.net.URLEncoder.encode(project, java.nio.charset.StandardCharsets.UTF_8) + "/properties/" + PROPERTY;
  }

  private String system() {
    return "Jira project " + project + " at " + http.baseUrl();
  }

  /** The claim as Jira holds it now. */
  public Claim current() throws JiraException {
    try {
      JsonNode value = http.get(path()).path("value");
      String holder = value.path("installation").asText("");
      return new Claim(system(), holder, value.path("claimedAt").asText(""), holder.equals(installationId));
    } catch (JiraException e) {
      if (e.status() == 404) return new Claim(system(), "", "", false);
      throw e;
    }
  }

  /** Claims the project for this installation, whoever held it, and says who holds it once the claim settled. */
  public Claim take() throws JiraException, InterruptedException {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("installation", installationId);
    value.put("claimedAt", clock.instant().toString());
    http.put(path(), value);
    Thread.sleep(settle.toMillis());
    return current();
  }

  /**
   * Makes sure this installation may write: claims a project nobody holds, and refuses one another installation
   * holds, naming both and how to hand over.
   */
  public Claim ensure() throws JiraException, ClaimedElsewhereException, InterruptedException {
    Claim c = current();
    if (c.holder().isEmpty()) c = take();
    if (!c.ours()) throw new ClaimedElsewhereException(c, installationId);
    return c;
  }

  /** Another installation holds the project. */
  public static final class ClaimedElsewhereException extends Exception {
    public ClaimedElsewhereException(Claim claim, String ours) {
      super(claim.system() + " is claimed by another Vigil installation (" + claim.holder()
          + (claim.since().isEmpty() ? "" : ", since " + claim.since()) + "); this installation is " + ours
          + ". Two installations writing into one project would open every ticket twice, so this one writes nothing."
          + " To hand the project over to this installation, run: vigil claim --config FILE --takeover");
    }
  }
}
