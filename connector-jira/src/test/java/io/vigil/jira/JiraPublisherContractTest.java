package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.contract.PublisherContract;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.Publisher;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The publisher contract for the Jira publisher, over a fresh JSM sandbox per fixture. A lost answer is the
 * sandbox's crash point: the write is applied and recorded, its answer held until the client has timed out.
 */
class JiraPublisherContractTest extends PublisherContract {
  /**
   * The client's timeout: a held answer is released only after it has given up. Long enough that a busy machine's
   * slow answer is not taken for a lost one (raise with {@code -Dvigil.test.jiraTimeoutSeconds}).
   */
  private static final int TIMEOUT_SECONDS = Integer.getInteger("vigil.test.jiraTimeoutSeconds", 8);

  @Override
  protected Fixture start() {
    return new SandboxFixture();
  }

  /** A ticket or flagged issue as far as Vigil's writes can change it: no ids, no times. */
  record Seen(String key, String status, String resolution, List<String> labels, String securityLevel,
      List<String> comments, List<String> links) {
    static Seen of(IssueView i) {
      return new Seen(i.key(), i.status(), i.resolution(), i.labels().stream().sorted().toList(), i.securityLevel(),
          i.comments().stream().map(c -> (c.isPublic() ? "public: " : "internal: ") + c.text()).toList(),
          i.links().stream().map(l -> l.type() + (l.outward() ? " → " : " ← ") + l.otherKey()).sorted().toList());
    }
  }

  static final class SandboxFixture implements Fixture {
    private final JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    private final Connector connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 100, 2)
        .withLimits(100, 2, TIMEOUT_SECONDS, 2), Clock.systemUTC());
    private Thread releaser;

    @Override
    public Publisher publisher() {
      return connector.publisher().orElseThrow();
    }

    @Override
    public String ticketTarget() {
      return "SEC";
    }

    @Override
    public String issueToFlag() {
      return "ITSM-1";
    }

    @Override
    public Object snapshot() {
      List<Seen> seen = new ArrayList<>();
      sandbox.issuesWithLabel(JiraPublisher.LABEL).forEach(i -> seen.add(Seen.of(i)));
      seen.add(Seen.of(sandbox.issue(issueToFlag())));
      return seen;
    }

    @Override
    public void loseNextAnswer() {
      sandbox.holdWrite(1, true);
      releaser = new Thread(() -> {
        try {
          if (sandbox.awaitHeld(Duration.ofSeconds(60))) Thread.sleep(Duration.ofSeconds(TIMEOUT_SECONDS * 2L + 1).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          sandbox.releaseHeld();
        }
      }, "release-held-answer");
      releaser.setDaemon(true);
      releaser.start();
    }

    @Override
    public void closeAsPerson(String ticket) {
      String auth = Base64.getEncoder().encodeToString("carol.chen@acme.example:demo-token-carol.chen".getBytes(StandardCharsets.UTF_8));
      try {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                + "/rest/api/3/issue/" + ticket + "/transitions")).header("Authorization", "Basic " + auth)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"transition\":{\"id\":\"31\"}}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean isDone(String ticket) {
      return Set.of("Done", "Resolved", "Closed").contains(sandbox.issue(ticket).status());
    }

    @Override
    public void close() {
      try {
        if (releaser != null) releaser.join(Duration.ofSeconds(TIMEOUT_SECONDS * 2L + 5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      connector.close();
      assertThat(sandbox.violations()).as("contract violations").isEmpty();
      sandbox.close();
    }
  }
}
