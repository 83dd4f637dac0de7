package io.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.store.ReportDeliveries;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.sandbox.jira.RecordedWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly one report per customer and period across a SIGKILL: Vigil, in its own JVM, is killed after JSM created the
 * report's request and before the PDF is attached (and, in a second case, after JSM attached it but before Vigil heard
 * so). The next delivery finds the request by its marker label and attaches only what is missing; a delivery after
 * that writes nothing.
 */
class ReportDeliveryCrashIT {
  private static final String MARKER = "vigil-report-acme-2026-11";
  @TempDir Path dir;

  @Test
  void killedBetweenTheRequestAndTheAttachmentThenRetriedLeavesOneRequestWithOneAttachment() throws Exception {
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
      ReportNode.prepare(sandbox);
      String store = Databases.h2(dir.resolve("store"));
      sandbox.holdWrite(2, false); // the upload of the PDF, after the request was created
      Process vigil = deliver(store, sandbox);
      assertThat(sandbox.awaitHeld(Duration.ofSeconds(120))).as("delivery reached the upload: " + log()).isTrue();
      vigil.destroyForcibly(); // SIGKILL
      assertThat(vigil.waitFor(30, TimeUnit.SECONDS)).isTrue();
      sandbox.releaseHeld();
      List<IssueView> requests = sandbox.issuesWithLabel(MARKER);
      assertThat(requests).as("the request was made before the kill").hasSize(1);
      String key = requests.get(0).key();
      assertThat(sandbox.attachments(key)).isEmpty();
      assertThat(entry(store).done()).as("still pending after the kill").isFalse();

      assertThat(run(deliver(store, sandbox))).as(log()).isZero();
      assertThat(sandbox.issuesWithLabel(MARKER)).extracting(IssueView::key).containsExactly(key);
      assertThat(sandbox.attachments(key)).singleElement()
          .satisfies(a -> assertThat(a.fileName()).isEqualTo("vigil-security-report-acme-2026-11.pdf"));
      assertThat(sandbox.organizations(key)).containsExactly("Acme Retail");
      assertThat(entry(store).done()).isTrue();
      assertThat(entry(store).externalRef()).isEqualTo(key);

      sandbox.clearWrites();
      assertThat(run(deliver(store, sandbox))).isZero();
      assertThat(sandbox.writes()).as("a second delivery in the period writes nothing").isEmpty();
    }
  }

  @Test
  void killedAfterJsmAttachedThePdfUnansweredThenRetriedAttachesNothingMore() throws Exception {
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
      ReportNode.prepare(sandbox);
      String store = Databases.h2(dir.resolve("store2"));
      sandbox.holdWrite(3, true); // the attachment: applied by JSM, the answer held
      Process vigil = deliver(store, sandbox);
      assertThat(sandbox.awaitHeld(Duration.ofSeconds(120))).as(log()).isTrue();
      vigil.destroyForcibly();
      assertThat(vigil.waitFor(30, TimeUnit.SECONDS)).isTrue();
      sandbox.releaseHeld();
      String key = sandbox.issuesWithLabel(MARKER).get(0).key();
      assertThat(sandbox.attachments(key)).hasSize(1);
      sandbox.clearWrites();

      assertThat(run(deliver(store, sandbox))).as(log()).isZero();
      assertThat(sandbox.writes()).extracting(RecordedWrite::path).as("nothing written again").isEmpty();
      assertThat(sandbox.issuesWithLabel(MARKER)).hasSize(1);
      assertThat(sandbox.attachments(key)).hasSize(1);
      assertThat(entry(store).done()).isTrue();
    }
  }

  private Process deliver(String store, JiraSandbox sandbox) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), ReportNode.class.getName(),
        "deliver", store, sandbox.baseUrl())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("vigil.log").toFile())).start();
  }

  private static int run(Process p) throws Exception {
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("delivery finished").isTrue();
    return p.exitValue();
  }

  private static ReportDeliveries.Entry entry(String url) {
    try (Store s = Store.open(url, Clock.systemUTC())) {
      return s.withHandle(h -> s.reportDeliveries().get(h, "acme", "2026-11")).orElseThrow();
    }
  }

  private String log() throws Exception {
    Path log = dir.resolve("vigil.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
