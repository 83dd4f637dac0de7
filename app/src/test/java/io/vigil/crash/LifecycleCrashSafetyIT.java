package io.vigil.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.SubjectKind;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes, beyond a first run's creates and flags: after a clean first run, the CMDB and the
 * waivers change so that the second run resolves a ticket, comments changed evidence on another and waives a third,
 * and the third run reopens the resolved one. Vigil — its own JVM, killed with SIGKILL — dies at points spread over
 * those writes (before a write is applied and after Jira applied it unanswered), at points in time before its first
 * write (while it collects, evaluates, reconciles and commits), and, for some points, again during the run that
 * recovers. After the last run has finished: one ticket per finding, in the state its finding says, and no Vigil
 * comment twice on any ticket.
 */
class LifecycleCrashSafetyIT {
  private static final Pattern REFERENCE = Pattern.compile("— Vigil \\((vigil:[0-9a-f]+)\\)");
  @TempDir static Path dir;
  private static Path policy;

  @BeforeAll
  static void policy() throws Exception {
    policy = dir.resolve("policy.yaml");
    try (InputStream in = LifecycleCrashSafetyIT.class.getResourceAsStream("/demo/policy.yaml")) {
      Files.copy(in, policy);
    }
  }

  /** The three CIs whose findings the later runs resolve, update and waive (unclassified servers of the demo). */
  private record Subjects(String resolve, String update, String waiveFingerprint) {}

  @Test
  void killsDuringResolveUpdateWaiveReopenCommitAndRecoveryLeaveOneTicketPerFindingAndNoCommentTwice() throws Exception {
    int lifecycleWrites;
    long beforeFirstWriteMillis;
    try (JiraSandbox clean = JiraSandbox.start(JiraDataset.demo(), 0)) {
      Path config = CrashSafetyIT.config(clean, dir.resolve("clean"), policy);
      Subjects s = firstRun(clean, config);
      clean.clearWrites();
      java.time.Instant started = java.time.Instant.now();
      Process second = CrashSafetyIT.start(config);
      assertThat(second.waitFor(180, TimeUnit.SECONDS)).isTrue();
      lifecycleWrites = clean.writes().size();
      // how long the second run takes before its first write: collecting, evaluating, reconciling, committing
      beforeFirstWriteMillis = clean.writes().isEmpty() ? 2000
          : Math.max(300, Duration.between(started, clean.writes().get(0).time()).toMillis());
      thirdRun(clean, config, s);
      assertConsistent(clean, config.getParent());
    }
    assertThat(lifecycleWrites).as("writes the second run makes: resolve, update and waive").isGreaterThanOrEqualTo(3);

    List<String> points = new ArrayList<>();
    int kills = 8;
    for (int i = 0; i < kills; i++) {
      try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
        Path config = CrashSafetyIT.config(sandbox, dir.resolve("kill-" + i), policy);
        Subjects s = firstRun(sandbox, config);
        String point;
        if (i < 2) {
          // in time, before the first write: collecting, evaluating, reconciling or committing
          long after = beforeFirstWriteMillis * (i + 1) / 3; // a third and two thirds of the way
          Process victim = CrashSafetyIT.start(config);
          Thread.sleep(after);
          victim.destroyForcibly();
          victim.waitFor(30, TimeUnit.SECONDS);
          point = "after " + after + " ms, before any write";
        } else {
          int at = 1 + (i - 2) * Math.max(1, lifecycleWrites - 1) / (kills - 3);
          boolean afterApply = i % 2 == 1;
          point = killAtWrite(sandbox, config, at, afterApply);
          if (i >= kills - 2) {
            // and the run that recovers dies too, at its first write
            point += ", then the recovery " + killAtWrite(sandbox, config, 1, true);
          }
        }
        assertThat(CrashSafetyIT.vigil(config, null)).as("the run after kill %d finishes", i).isZero();
        thirdRun(sandbox, config, s);
        assertConsistent(sandbox, config.getParent());
        points.add(point);
      }
    }
    System.out.println("lifecycle crash points (of " + lifecycleWrites + " writes): " + String.join("; ", points));
  }

  private static String killAtWrite(JiraSandbox sandbox, Path config, int at, boolean afterApply) throws Exception {
    sandbox.holdWrite(at, afterApply);
    Process victim = CrashSafetyIT.start(config);
    boolean reached = sandbox.awaitHeld(Duration.ofSeconds(120));
    victim.destroyForcibly();
    victim.waitFor(30, TimeUnit.SECONDS);
    sandbox.releaseHeld();
    return reached ? "write " + at + (afterApply ? " after apply" : " before apply") : "write " + at + " never came";
  }

  /** A clean first run, then the changes that make the second run resolve, update and waive. */
  private static Subjects firstRun(JiraSandbox sandbox, Path config) throws Exception {
    assertThat(CrashSafetyIT.vigil(config, null)).isZero();
    List<StoredFinding> unclassified = new ArrayList<>();
    try (Store store = Store.open(CrashSafetyIT.url(config.getParent()), Clock.systemUTC())) {
      store.withHandle((Handle h) -> store.findings().all(h)).values().stream()
          .filter(f -> f.finding().ruleId().equals("CLS-1") && f.finding().subject().kind() == SubjectKind.CI)
          .filter(f -> f.finding().flag() == null && !f.ticketKey().isEmpty())
          .sorted(java.util.Comparator.comparing(f -> f.finding().subject().id()))
          .forEach(unclassified::add);
    }
    assertThat(unclassified).as("classification findings with tickets in the demo").hasSizeGreaterThanOrEqualTo(3);
    String resolve = unclassified.get(0).finding().subject().id();
    String update = unclassified.get(1).finding().subject().id();
    for (String attribute : List.of("Confidentiality", "Integrity", "Availability")) {
      sandbox.setObjectAttribute(resolve, attribute, "internal");
    }
    sandbox.setObjectAttribute(update, "Confidentiality", "top-secret"); // not a level: the evidence changes
    String waived = unclassified.get(2).fingerprint();
    try (Store store = Store.open(CrashSafetyIT.url(config.getParent()), Clock.systemUTC())) {
      // the approver is an identity a run read; these runs read Jira only, so the directory names her
      store.inTransaction(h -> {
        store.people().replacePeople(h, List.of(new io.vigil.engine.store.People.Person("id-grace.gomez",
            "grace.gomez (Grace Gomez, grace.gomez@acme.example)",
            java.util.Set.of("grace.gomez", "grace.gomez@acme.example"))));
        return null;
      });
    }
    assertThat(io.vigil.cli.Main.execute(new String[] {"waive", "--config", config.toString(), "--finding", waived,
        "--reason", "decommissioned next week", "--approver", "grace.gomez@acme.example", "--expires", "2099-01-31"},
        new io.vigil.cli.CliContext(k -> null, Clock.systemUTC(), new java.io.PrintWriter(System.out),
            new java.io.PrintWriter(System.err), false))).isZero();
    return new Subjects(resolve, update, waived);
  }

  /** The run that reopens: the resolved CI loses its classification again. */
  private static void thirdRun(JiraSandbox sandbox, Path config, Subjects s) throws Exception {
    for (String attribute : List.of("Confidentiality", "Integrity", "Availability")) {
      sandbox.setObjectAttribute(s.resolve(), attribute, "");
    }
    assertThat(CrashSafetyIT.vigil(config, null)).as("the reopening run finishes").isZero();
  }

  /**
   * One ticket per ticketed finding, open exactly when its finding is; the waived one resolved; nothing queued; and on
   * every ticket and flagged issue each Vigil comment reference at most once.
   */
  private static void assertConsistent(JiraSandbox sandbox, Path home) {
    try (Store store = Store.open(CrashSafetyIT.url(home), Clock.systemUTC())) {
      Map<String, StoredFinding> findings = store.withHandle((Handle h) -> store.findings().all(h));
      assertThat(store.withHandle((Handle h) -> store.outbox().countPending(h))).as("actions left queued").isZero();
      int tickets = 0;
      for (StoredFinding f : findings.values()) {
        List<IssueView> labelled = sandbox.issuesWithLabel("vigil-fp-" + f.fingerprint());
        if (f.finding().flag() != null) {
          labelled.forEach(LifecycleCrashSafetyIT::assertNoCommentTwice);
          continue;
        }
        tickets++;
        String what = f.finding().ruleId() + " " + f.finding().subject().ref() + " (" + f.status() + ")";
        assertThat(labelled).as("tickets for %s", what).hasSize(1);
        IssueView ticket = labelled.get(0);
        assertThat(ticket.key()).isEqualTo(f.ticketKey());
        boolean done = ticket.status().equalsIgnoreCase("Resolved") || ticket.status().equalsIgnoreCase("Done")
            || ticket.status().equalsIgnoreCase("Closed");
        assertThat(done).as("ticket %s (%s) of %s is done exactly when its finding is not open", ticket.key(),
            ticket.status(), what).isEqualTo(f.status() != FindingStatus.OPEN);
        assertNoCommentTwice(ticket);
      }
      assertThat(sandbox.issuesWithLabel("vigil").stream().filter(i -> i.project().equals("SEC")))
          .as("compliance tickets in Jira").hasSize(tickets);
    }
  }

  private static void assertNoCommentTwice(IssueView issue) {
    Map<String, Integer> seen = new HashMap<>();
    for (IssueView.CommentView c : issue.comments()) {
      Matcher m = REFERENCE.matcher(c.text());
      while (m.find()) seen.merge(m.group(1), 1, Integer::sum);
    }
    assertThat(seen.values()).as("Vigil comments on %s by reference: %s", issue.key(), seen).allMatch(n -> n == 1);
  }
}
