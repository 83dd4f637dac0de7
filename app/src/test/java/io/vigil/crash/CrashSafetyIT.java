package io.vigil.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.FindingStatus;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes: Vigil runs as its own JVM over the demo JSM sandbox and is killed with SIGKILL at
 * 20 points spread over its publishing — half while a write is in flight and not yet applied, half right after
 * Jira applied a write whose answer never arrives. After each restart has finished, Jira holds exactly one
 * ticket per open finding and one flag comment per flagged incident, and no finding was lost.
 */
class CrashSafetyIT {
  private static final int POINTS = 20;
  @TempDir static Path dir;
  private static Path policy;

  @BeforeAll
  static void policy() throws Exception {
    policy = dir.resolve("policy.yaml");
    try (InputStream in = CrashSafetyIT.class.getResourceAsStream("/demo/policy.yaml")) {
      Files.copy(in, policy);
    }
  }

  @Test
  void twentyKillsDuringPublishingLeaveExactlyOneTicketPerFindingAndOneFlagPerIncident() throws Exception {
    int total;
    try (JiraSandbox clean = JiraSandbox.start(JiraDataset.demo(), 0)) {
      Path config = config(clean, dir.resolve("clean"));
      assertThat(vigil(config, null)).isZero();
      total = clean.writes().size();
      assertExactlyOnce(clean, config.getParent());
    }
    assertThat(total).as("writes in a clean run").isGreaterThan(POINTS);

    List<String> points = new ArrayList<>();
    for (int i = 0; i < POINTS; i++) {
      int at = 1 + (int) ((long) i * (total - 1) / (POINTS - 1));
      boolean afterApply = i % 2 == 1;
      try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
        Path config = config(sandbox, dir.resolve("kill-" + i));
        sandbox.holdWrite(at, afterApply);
        Process victim = start(config);
        assertThat(sandbox.awaitHeld(Duration.ofSeconds(120))).as("write %d reached", at).isTrue();
        victim.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        victim.waitFor(30, TimeUnit.SECONDS);
        sandbox.releaseHeld();
        int appliedBeforeCrash = sandbox.writes().size();

        assertThat(vigil(config, null)).as("the restart after kill %d finishes", i).isZero();
        assertExactlyOnce(sandbox, config.getParent());
        points.add("write " + at + "/" + total + (afterApply ? " after apply" : " before apply") + " (" + appliedBeforeCrash
            + " applied before the kill)");
      }
    }
    System.out.println("crash points: " + String.join("; ", points));
  }

  /** One ticket per open finding (the one the store names), one Vigil comment per flagged incident, nothing queued. */
  private static void assertExactlyOnce(JiraSandbox sandbox, Path home) {
    try (Store store = Store.open(url(home), Clock.systemUTC())) {
      Map<String, StoredFinding> findings = store.withHandle((Handle h) -> store.findings().all(h));
      assertThat(store.withHandle((Handle h) -> store.outbox().countPending(h))).as("actions left queued").isZero();
      assertThat(findings).isNotEmpty();
      int tickets = 0;
      for (StoredFinding f : findings.values()) {
        assertThat(f.status()).isEqualTo(FindingStatus.OPEN);
        List<IssueView> labelled = sandbox.issuesWithLabel("vigil-fp-" + f.fingerprint());
        if (f.finding().flag() == null) {
          tickets++;
          assertThat(labelled).as("tickets for %s", f.finding().ruleId() + " " + f.finding().subject().ref()).hasSize(1);
          assertThat(labelled.get(0).key()).isEqualTo(f.ticketKey());
          assertThat(labelled.get(0).project()).isEqualTo("SEC");
        } else {
          IssueView incident = sandbox.issue(f.finding().flag().issueKey());
          assertThat(labelled).extracting(IssueView::key).containsExactly(incident.key());
          assertThat(incident.internalComments()).filteredOn(c -> c.text().contains("— Vigil (vigil:"))
              .as("flag comments on %s", incident.key()).hasSize(1);
        }
      }
      assertThat(sandbox.issuesWithLabel("vigil")).as("compliance tickets in Jira").hasSize(tickets);
    }
  }

  static Path config(JiraSandbox sandbox, Path home) throws Exception {
    return config(sandbox, home, policy);
  }

  /** A configuration over the sandbox's Jira only, with its store in {@code home}. */
  static Path config(JiraSandbox sandbox, Path home, Path policy) throws Exception {
    Files.createDirectories(home);
    Path config = home.resolve("vigil.yaml");
    Files.writeString(config, """
        store: { url: "%s" }
        policy: %s
        identity: { match: email }
        connectors:
          jira:
            type: jira
            url: %s
            deployment: cloud
            auth: { email: vigil@acme.example, apiToken: vigil-demo-api-token }
            projects: [ITSM]
            complianceProject: SEC
            assets: { url: "%s/jsm/assets/workspace/{workspaceId}/v1", dependsOnAttributes: ["Depends on"] }
            maxRetries: 0
        """.formatted(url(home), policy.toAbsolutePath(), sandbox.baseUrl(), sandbox.baseUrl()));
    return config;
  }

  static String url(Path home) {
    return "jdbc:h2:file:" + home.resolve("vigil").toAbsolutePath();
  }

  static Process start(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.vigil.cli.Main", "run",
        "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(config.resolveSibling("vigil-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  static int vigil(Path config, File unused) throws Exception {
    Process p = start(config);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("vigil run finished").isTrue();
    return p.exitValue();
  }
}
