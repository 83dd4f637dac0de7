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
 * and refuses.
 *
 * <p>A claim read back as this installation's, claimed at least {@code recheck} ago, is trusted for {@code recheck}
 * without reading it again (a Keycloak poll every few seconds would otherwise read it before every ticket). That keeps
 * both guarantees: (1) two installations claiming at once — the other one could only have written its claim having
 * read none, just before this one's write landed, so its write lands within moments of this one's; a claim younger
 * than {@code recheck} is read again before every batch, and sees it; (2) a takeover writes its claim and waits
 * {@code recheck} before it says the project is taken, so by then every trust placed in the old claim has run out and
 * the old holder's next batch reads the claim again and writes nothing. Thread-safe.
 */
public final class ProjectClaim {
  public static final String PROPERTY = "vigil.installation";

  private final JiraHttp http;
  private final String api;
  private final String project;
  private final String installationId;
  private final Duration settle;
  private final Clock clock;
  private final Duration recheck;
  /** Until when the claim last read back as this installation's is trusted without reading it; null: not trusted. */
  private volatile java.time.Instant trustedUntil;
  private volatile Claim trusted;

  public ProjectClaim(JiraHttp http, String api, String project, String installationId, Duration settle, Clock clock) {
    this(http, api, project, installationId, settle, clock, Duration.ZERO);
  }

  /** @param recheck how long a settled claim of this installation is trusted without reading it again (zero: never) */
  public ProjectClaim(JiraHttp http, String api, String project, String installationId, Duration settle, Clock clock,
      Duration recheck) {
    this.recheck = recheck;
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
    return take(settle);
  }

  /**
   * Takes the project over from whoever holds it: claims it, then waits until the old holder's trust in its own claim
   * has run out (the longer of the settle time and {@code recheck}), and says who holds it then.
   */
  public Claim takeOver() throws JiraException, InterruptedException {
    return take(recheck.compareTo(settle) > 0 ? recheck : settle);
  }

  private Claim take(Duration wait) throws JiraException, InterruptedException {
    trustedUntil = null;
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("installation", installationId);
    value.put("claimedAt", clock.instant().toString());
    http.put(path(), value);
    Thread.sleep(wait.toMillis());
    return current();
  }

  /**
   * Makes sure this installation may write: claims a project nobody holds, and refuses one another installation
   * holds, naming both and how to hand over.
   */
  public Claim ensure() throws JiraException, ClaimedElsewhereException, InterruptedException {
    java.time.Instant now = clock.instant();
    java.time.Instant until = trustedUntil;
    if (until != null && now.isBefore(until)) return trusted;
    trustedUntil = null;
    Claim c = current();
    if (c.holder().isEmpty()) c = take();
    if (!c.ours()) throw new ClaimedElsewhereException(c, installationId);
    if (!recheck.isZero() && settledBefore(c, now.minus(recheck))) {
      trusted = c;
      trustedUntil = now.plus(recheck);
    }
    return c;
  }

  /** Whether the claim was made at or before {@code when} (by the claiming installation's clock: ours). */
  private static boolean settledBefore(Claim c, java.time.Instant when) {
    try {
      return !java.time.Instant.parse(c.since()).isAfter(when);
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
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
