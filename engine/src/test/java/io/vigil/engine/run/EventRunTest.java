package io.vigil.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.ActionType;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.CollectScope;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.core.spi.Source;
import io.vigil.engine.store.StoredFinding;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.RecordingPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event runs (a {@link CollectScope} of issue keys): they open, update and resolve findings about their issues only,
 * and leave every other finding exactly as it was — also when a source ignores the scope and reads everything, and
 * says so by declaring whole kinds complete.
 */
class EventRunTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T01:00:00Z"));
  private final RecordingPublisher publisher = new RecordingPublisher();
  private final Desk desk = new Desk();
  private Store store;
  private RunPipeline pipeline;

  /** A service desk and CMDB in memory. {@code honoursScope}: read only the scope's issues, like the Jira source. */
  static final class Desk implements Source {
    final Map<String, String> summaries = new ConcurrentHashMap<>();
    final Map<String, String> ciProblems = new ConcurrentHashMap<>();
    volatile boolean honoursScope = true;
    final List<CollectRequest> requests = new ArrayList<>();

    @Override
    public String name() {
      return "desk";
    }

    @Override
    public Set<SubjectKind> provides() {
      return EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE);
    }

    @Override
    public ConnectionStatus check() {
      return ConnectionStatus.ok("in memory", List.of());
    }

    @Override
    public synchronized CollectResult collect(CollectRequest request, InventorySink sink) {
      requests.add(request);
      boolean scoped = request.scope() != null && honoursScope;
      summaries.forEach((key, summary) -> {
        if (!scoped || request.scope().issueKeys().contains(key)) {
          sink.addIssue(ServiceIssue.builder(key).kind(IssueKind.INCIDENT).summary(summary).build());
        }
      });
      if (!scoped) {
        ciProblems.forEach((key, problem) -> sink.addCi(ConfigurationItem.builder(key).name(key).type("Server")
            .attributes(problem.isEmpty() ? Map.of() : Map.of("problem", problem)).build()));
        sink.complete(SubjectKind.ISSUE);
        sink.complete(SubjectKind.CI);
      }
      return new CollectResult(scoped ? null : "read at " + request.startedAt(), summaries.size(), 1, List.of());
    }
  }

  /** An incident whose summary says "breach" is a security incident (a flag on the issue, the summary as evidence). */
  static final class BreachCheck implements Check {
    @Override
    public String name() {
      return "breach";
    }

    @Override
    public List<Finding> evaluate(EvaluationContext context) {
      List<Finding> out = new ArrayList<>();
      for (ServiceIssue i : context.inventory().issues().values()) {
        if (!i.summary().contains("breach")) continue;
        out.add(Finding.builder("SEC-1", name(), Subject.issue(i)).severity(Severity.HIGH).title(i.key() + " is a breach")
            .evidence(List.of(i.summary())).flag(new io.vigil.core.model.IssueFlag(i.key(), "security-incident", "", true, ""))
            .build());
      }
      for (ConfigurationItem ci : context.inventory().cis().values()) {
        String problem = ci.attributes().getOrDefault("problem", "");
        if (!problem.isEmpty()) {
          out.add(Finding.builder("SEC-2", name(), Subject.ci(ci)).severity(Severity.MEDIUM).title(ci.key() + " has a problem")
              .evidence(List.of(problem)).build());
        }
      }
      return out;
    }
  }

  @BeforeEach
  void setUp() {
    store = Store.open(Databases.h2(dir), clock);
    pipeline = new RunPipeline(store, List.of(desk), List.of(new BreachCheck()), List.of(publisher), clock,
        IdentityMatch.EMAIL, RunListener.NONE);
    desk.summaries.put("ITSM-1", "breach of the payroll share");
    desk.summaries.put("ITSM-2", "breach on a laptop");
    desk.summaries.put("ITSM-3", "printer jam");
    desk.ciProblems.put("SRV-1", "no owner");
    pipeline.run(Policy.empty(), new RunOptions(true, false, Set.of(), Set.of(), "test"));
    assertThat(openSubjects()).containsExactlyInAnyOrder("issue:ITSM-1", "issue:ITSM-2", "ci:SRV-1");
    publisher.applied.clear();
    clock.advance(Duration.ofMinutes(5));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private List<String> openSubjects() {
    return store.withHandle(h -> store.findings().all(h)).values().stream()
        .filter(f -> f.status() == FindingStatus.OPEN).map(f -> f.finding().subject().kind().id() + ":" + f.finding().subject().id())
        .sorted().toList();
  }

  private RunReport event(String... keys) {
    return pipeline.run(Policy.empty(), RunOptions.event(CollectScope.issues(List.of(keys)), Set.of(), "event (webhook)"));
  }

  @Test
  void anEventRunFlagsTheIssueItNamesAndReadsOnlyThatIssue() {
    desk.summaries.put("ITSM-3", "printer jam, then a breach of its spool");
    desk.summaries.put("ITSM-4", "breach reported by mail"); // changed too, but no event named it
    RunReport report = event("ITSM-3");
    assertThat(desk.requests.get(desk.requests.size() - 1).scope().issueKeys()).containsExactly("ITSM-3");
    assertThat(publisher.applied).extracting(a -> a.type() + " " + a.target()).containsExactly("FLAG_ISSUE ITSM-3");
    assertThat(openSubjects()).containsExactlyInAnyOrder("issue:ITSM-1", "issue:ITSM-2", "issue:ITSM-3", "ci:SRV-1");
    assertThat(store.withHandle(h -> store.runs().kind(h, report.runId())).orElseThrow())
        .containsExactly("event", "issues ITSM-3");
  }

  @Test
  void anEventRunResolvesOnlyFindingsAboutItsIssuesEvenWhenTheSourceReadEverything() {
    desk.honoursScope = false; // reads every issue and CI and declares both kinds complete
    desk.summaries.put("ITSM-1", "payroll share fixed");
    desk.summaries.put("ITSM-2", "laptop reimaged");
    desk.ciProblems.put("SRV-1", "");
    event("ITSM-1");
    assertThat(openSubjects()).containsExactlyInAnyOrder("issue:ITSM-2", "ci:SRV-1");
    assertThat(publisher.applied).extracting(a -> a.type() + " " + a.target()).containsExactly("NOTE_ISSUE ITSM-1");
    StoredFinding untouched = store.withHandle(h -> store.findings().all(h)).values().stream()
        .filter(f -> f.finding().subject().id().equals("ITSM-2")).findFirst().orElseThrow();
    assertThat(untouched.status()).isEqualTo(FindingStatus.OPEN);
  }

  @Test
  void anEventRunOverAnIssueThatDidNotChangeWritesNothingAndLeavesTheCursorWhereItWas() {
    String cursor = store.withHandle(h -> store.cursors().get(h, "desk")).orElseThrow();
    RunReport report = event("ITSM-1", "ITSM-3");
    assertThat(report.actions()).isEmpty();
    assertThat(publisher.applied).isEmpty();
    assertThat(store.withHandle(h -> store.cursors().get(h, "desk")).orElseThrow()).isEqualTo(cursor);
    assertThat(openSubjects()).containsExactlyInAnyOrder("issue:ITSM-1", "issue:ITSM-2", "ci:SRV-1");
  }

  @Test
  void theFullScheduleAfterwardsStillResolvesWhatNoEventNamed() {
    desk.summaries.put("ITSM-2", "laptop reimaged");
    event("ITSM-1");
    assertThat(openSubjects()).contains("issue:ITSM-2");
    pipeline.run(Policy.empty(), new RunOptions(true, false, Set.of(), Set.of(), "nightly"));
    assertThat(openSubjects()).containsExactlyInAnyOrder("issue:ITSM-1", "ci:SRV-1");
    assertThat(publisher.applied).extracting(a -> a.type() + " " + a.target()).containsExactly("NOTE_ISSUE ITSM-2");
  }
}
