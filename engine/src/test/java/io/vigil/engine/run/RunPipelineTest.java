package io.vigil.engine.run;
import io.vigil.engine.store.RunStatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.core.spi.TicketState;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.FakeSource;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.ProblemCheck;
import io.vigil.engine.testing.RecordingPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPipelineTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
  private final FakeSource cmdb = new FakeSource("cmdb");
  private final FakeSource other = new FakeSource("other");
  private final ProblemCheck check = new ProblemCheck();
  private final RecordingPublisher jira = new RecordingPublisher();
  private Store store;
  private RunPipeline pipeline;

  @BeforeEach
  void open() {
    store = Store.open(Databases.h2(dir), clock);
    pipeline = new RunPipeline(store, List.of(cmdb, other), List.of(check), List.of(jira), clock, IdentityMatch.EMAIL,
        RunListener.NONE);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunReport run() {
    clock.advance(Duration.ofMinutes(10));
    return pipeline.run(Policy.empty(), new RunOptions(false, false, Set.of(), Set.of(), "test"));
  }

  private RunReport dryRun() {
    return pipeline.run(Policy.empty(), new RunOptions(false, true, Set.of(), Set.of(), "test"));
  }

  private List<ActionType> applied() {
    return jira.applied.stream().map(Action::type).toList();
  }

  @Test
  void opensOneTicketPerNewFindingAndRecordsItsKey() {
    cmdb.put("CMDB-1", "unclassified").put("CMDB-2", null);
    RunReport report = run();
    assertThat(report.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET);
    assertThat(report.findings()).singleElement().satisfies(s -> {
      assertThat(s.status()).isEqualTo(FindingStatus.OPEN);
      assertThat(s.ticketKey()).isEqualTo("SEC-1");
    });
    assertThat(report.stats().get("cmdb").items()).isEqualTo(2);
  }

  @Test
  void aSecondRunOverUnchangedDataProducesNoNewActions() {
    cmdb.put("CMDB-1", "unclassified");
    run();
    RunReport second = run();
    assertThat(second.actions()).isEmpty();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET);
    assertThat(second.findings()).singleElement().satisfies(s -> assertThat(s.lastSeen()).isEqualTo(second.startedAt()));
  }

  @Test
  void aSecondRunOverUnchangedDataWritesRowsForWhatChangedNotForEveryOpenFinding() {
    for (int i = 1; i <= 500; i++) cmdb.put("CMDB-" + i, "unclassified");
    run();
    java.util.concurrent.atomic.AtomicLong written = countRowsWritten();
    written.set(0);
    RunReport second = run();
    assertThat(second.actions()).isEmpty();
    assertThat(written.get()).isLessThan(20);
    var open = store.withHandle((Handle h) -> store.findings().list(h, new io.vigil.engine.store.FindingFilter("", "", "open", "")));
    assertThat(open).hasSize(500).allSatisfy(s -> assertThat(s.lastSeen()).isEqualTo(second.startedAt()));
    assertThat(second.findings()).hasSize(500).allSatisfy(s -> assertThat(s.lastSeen()).isEqualTo(second.startedAt()));

    cmdb.put("CMDB-7", "classified as top-secret, not a level").remove("CMDB-8");
    written.set(0);
    RunReport third = run();
    assertThat(written.get()).isLessThan(30);
    var all = store.withHandle((Handle h) -> store.findings().all(h));
    assertThat(all.values()).filteredOn(s -> s.status() == FindingStatus.OPEN).hasSize(499)
        .allSatisfy(s -> assertThat(s.lastSeen()).isEqualTo(third.startedAt()));
    assertThat(all.values()).filteredOn(s -> s.status() == FindingStatus.RESOLVED).singleElement()
        .satisfies(s -> assertThat(s.lastSeen()).isEqualTo(second.startedAt()));
  }

  @Test
  void aHeldBackCheckDoesNotCountAsHavingSeenItsFindings() {
    cmdb.put("CMDB-1", "unclassified");
    RunReport first = run();
    cmdb.failWith("GET /rest/api/3/search/jql answered 503");
    RunReport failed = run();
    assertThat(failed.heldBack()).isNotEmpty();
    assertThat(failed.findings()).isEmpty();
    assertThat(store.withHandle((Handle h) -> store.findings().all(h)).values()).singleElement()
        .satisfies(s -> assertThat(s.lastSeen()).isEqualTo(first.startedAt()));
  }

  @Test
  void findingsWhoseResolutionsTheGuardHeldBackKeepTheLastTimeTheyWereSeen() {
    for (int i = 1; i <= 10; i++) cmdb.put("CMDB-" + i, "unclassified");
    RunReport first = run();
    for (int i = 1; i <= 9; i++) cmdb.remove("CMDB-" + i);
    RunReport guarded = run();
    assertThat(guarded.heldBack()).isNotEmpty();
    var all = store.withHandle((Handle h) -> store.findings().all(h));
    assertThat(all.values()).filteredOn(s -> s.finding().subject().id().equals("CMDB-10")).singleElement()
        .satisfies(s -> assertThat(s.lastSeen()).isEqualTo(guarded.startedAt()));
    assertThat(all.values()).filteredOn(s -> !s.finding().subject().id().equals("CMDB-10")).hasSize(9)
        .allSatisfy(s -> {
          assertThat(s.status()).isEqualTo(FindingStatus.OPEN);
          assertThat(s.lastSeen()).isEqualTo(first.startedAt());
        });
  }

  @Test
  void aRunOverSomeSourcesLeavesAloneTheChecksThatReadNoneOfThem() {
    java.util.List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("CMDB-9"));
    io.vigil.core.spi.Check readsNothing = new io.vigil.core.spi.Check() {
      @Override
      public String name() {
        return "reads-nothing";
      }

      @Override
      public java.util.Set<io.vigil.core.inventory.InventoryPart> reads() {
        return java.util.EnumSet.noneOf(io.vigil.core.inventory.InventoryPart.class);
      }

      @Override
      public List<io.vigil.core.model.Finding> evaluate(io.vigil.core.spi.EvaluationContext context) {
        return problems.stream().map(key -> io.vigil.core.model.Finding.builder("NOP-1", name(),
            io.vigil.core.model.Subject.ci(io.vigil.core.model.ConfigurationItem.builder(key).type("Server").build()))
            .severity(io.vigil.core.model.Severity.LOW).evidence(List.of("x")).build()).toList();
      }
    };
    cmdb.put("CMDB-1", null);
    RunPipeline both = new RunPipeline(store, List.of(cmdb, other), List.of(readsNothing), List.of(jira), clock,
        IdentityMatch.EMAIL, RunListener.NONE);
    clock.advance(Duration.ofMinutes(10));
    both.run(Policy.empty(), new RunOptions(false, false, Set.of(), Set.of(), "test"));
    problems.clear();
    clock.advance(Duration.ofMinutes(10));
    RunReport cmdbOnly = both.run(Policy.empty(), new RunOptions(false, false, Set.of("cmdb"), Set.of(), "test"));
    assertThat(cmdbOnly.actions()).isEmpty();
    assertThat(findingStatus("CMDB-9")).isEqualTo(FindingStatus.OPEN);
    clock.advance(Duration.ofMinutes(10));
    both.run(Policy.empty(), new RunOptions(false, false, Set.of(), Set.of(), "test"));
    assertThat(findingStatus("CMDB-9")).isEqualTo(FindingStatus.RESOLVED);
  }

  /** Counts the rows every statement through the store's JDBI changes from now on. */
  private java.util.concurrent.atomic.AtomicLong countRowsWritten() {
    java.util.concurrent.atomic.AtomicLong rows = new java.util.concurrent.atomic.AtomicLong();
    store.jdbi().addCustomizer(new org.jdbi.v3.core.statement.StatementCustomizer() {
      @Override
      public void afterExecution(java.sql.PreparedStatement stmt, org.jdbi.v3.core.statement.StatementContext ctx)
          throws java.sql.SQLException {
        int n = stmt.getUpdateCount();
        if (n > 0) rows.addAndGet(n);
      }
    });
    return rows;
  }

  @Test
  void changedEvidenceCommentsOnceOnTheSameTicket() {
    cmdb.put("CMDB-1", "unclassified");
    run();
    cmdb.put("CMDB-1", "classified as top-secret, not a level");
    run();
    run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.UPDATE_TICKET);
    Action update = jira.applied.get(1);
    assertThat(update.target()).isEqualTo("SEC-1");
    assertThat(update.text()).contains("+ classified as top-secret, not a level").contains("- unclassified");
  }

  @Test
  void reportsEachSourcesItemsWhileItCollectsAndItsCallsWhenItIsDone() {
    for (int i = 1; i <= 1200; i++) cmdb.put("CMDB-" + i, null);
    List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunListener listener = new RunListener() {
      @Override
      public void collected(String runId, String source, long items, long apiCalls) {
        if (source.equals("cmdb")) progress.add(items + "/" + apiCalls);
      }
    };
    new RunPipeline(store, List.of(cmdb), List.of(check), List.of(jira), clock, IdentityMatch.EMAIL, listener)
        .run(Policy.empty(), new RunOptions(true, false, Set.of(), Set.of(), "test"));
    assertThat(progress).containsExactly("500/-1", "1000/-1", "1200/1");
  }

  @Test
  void aTicketAPersonClosedIsLeftClosedOnTheSameEvidenceAndTheCloserIsRecorded() {
    cmdb.put("CMDB-1", "unclassified");
    RunReport first = run();
    String fp = first.findings().get(0).finding().fingerprint();
    jira.ticketStates.put("SEC-1", new TicketState("SEC-1", true, true, "Carol Chen", Instant.parse("2026-11-01T10:15:00Z"), false));
    run();
    run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET);
    assertThat(store.withHandle((Handle h) -> store.findings().get(h, fp)).orElseThrow().ticketClosed())
        .isEqualTo("closed by Carol Chen at 2026-11-01T10:15:00Z");
    assertThat(store.withHandle((Handle h) -> store.findings().history(h, fp))).extracting(e -> e.event())
        .containsOnlyOnce("ticket-closed");

    cmdb.put("CMDB-1", "classified as top-secret, not a level");
    run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.REOPEN_TICKET);
    assertThat(jira.applied.get(1).target()).isEqualTo("SEC-1");
    assertThat(jira.applied.get(1).text()).contains("The evidence changed");
  }

  @Test
  void aRunReadsBackOnlyTheTicketsOfFindingsItObservedAgain() {
    cmdb.put("CMDB-1", "unclassified");
    cmdb.put("CMDB-2", "unclassified");
    run();
    assertThat(jira.readBack).isEmpty(); // nothing ticketed before
    jira.readBack.clear();
    // a run over another source's checks observes none of these findings: it needs none of their tickets
    pipeline.run(Policy.empty(), new RunOptions(false, false, Set.of("other"), Set.of(), "test"));
    assertThat(jira.readBack).isEmpty();
    run();
    assertThat(jira.readBack).containsExactlyInAnyOrder("SEC-1", "SEC-2");
  }

  @Test
  void anEventDrivenRunReadsBackOnlyTheTicketsItsDecisionsDependOn() {
    cmdb.put("CMDB-1", "unclassified");
    cmdb.put("CMDB-2", "unclassified");
    run();
    String changing = ticketOf("CMDB-1");
    String unchanged = ticketOf("CMDB-2");
    jira.ticketStates.put(changing, new TicketState(changing, true, true, "Carol Chen", Instant.parse("2026-11-01T10:15:00Z"), false));
    clock.advance(Duration.ofMinutes(10));
    pipeline.run(Policy.empty(), RunOptions.poll(Set.of(), "poll"));
    assertThat(jira.readBack).as("unchanged evidence: no ticket read back").isEmpty();

    cmdb.put("CMDB-1", "classified as top-secret, not a level");
    clock.advance(Duration.ofMinutes(10));
    pipeline.run(Policy.empty(), RunOptions.poll(Set.of(), "poll"));
    assertThat(jira.readBack).as("only the ticket whose finding's evidence changed").containsExactly(changing);
    assertThat(applied()).as("the person's closing still respected: reopened, not commented on")
        .containsExactly(ActionType.CREATE_TICKET, ActionType.CREATE_TICKET, ActionType.REOPEN_TICKET);

    // the schedule's run records a person's closing of an unchanged finding's ticket
    jira.ticketStates.put(unchanged, new TicketState(unchanged, true, true, "Carol Chen", Instant.parse("2026-11-01T10:45:00Z"), false));
    run();
    assertThat(store.withHandle((Handle h) -> store.findings().all(h)).values().stream()
        .filter(s -> s.ticketKey().equals(unchanged)).findFirst().orElseThrow().ticketClosed()).startsWith("closed by Carol Chen");
  }

  private String ticketOf(String ci) {
    return store.withHandle((Handle h) -> store.findings().all(h)).values().stream()
        .filter(s -> s.finding().subject().id().equals(ci)).findFirst().orElseThrow().ticketKey();
  }

  @Test
  void aTicketVigilItselfResolvedIsNotMistakenForAPersonsClosing() {
    cmdb.put("CMDB-1", "unclassified");
    RunReport first = run();
    String fp = first.findings().get(0).finding().fingerprint();
    jira.ticketStates.put("SEC-1", new TicketState("SEC-1", true, true, "Vigil", Instant.parse("2026-11-01T10:15:00Z"), true));
    run();
    assertThat(store.withHandle((Handle h) -> store.findings().get(h, fp)).orElseThrow().ticketClosed()).isEmpty();
  }

  @Test
  void aDeletedTicketIsNotRecreatedOnTheSameEvidenceButANewOneOpensWhenItChanges() {
    cmdb.put("CMDB-1", "unclassified");
    RunReport first = run();
    String fp = first.findings().get(0).finding().fingerprint();
    jira.ticketStates.put("SEC-1", TicketState.gone("SEC-1"));
    run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET);
    assertThat(store.withHandle((Handle h) -> store.findings().get(h, fp)).orElseThrow().ticketClosed()).startsWith("deleted");

    cmdb.put("CMDB-1", "classified as top-secret, not a level");
    RunReport changed = run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.CREATE_TICKET);
    assertThat(changed.findings()).singleElement().satisfies(s -> assertThat(s.ticketKey()).isEqualTo("SEC-2"));
  }

  @Test
  void resolvesAGoneFindingAndReopensTheSameTicketWhenItComesBack() {
    cmdb.put("CMDB-1", "unclassified");
    run();
    cmdb.put("CMDB-1", null);
    RunReport resolved = run();
    assertThat(resolved.findings()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(FindingStatus.RESOLVED));
    cmdb.put("CMDB-1", "unclassified");
    run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.RESOLVE_TICKET, ActionType.REOPEN_TICKET);
    assertThat(jira.applied.subList(1, 3)).extracting(Action::target).containsOnly("SEC-1");
    assertThat(jira.applied.get(1).text()).contains("no longer violates PRB-1");
  }

  @Test
  void saysWhyWhenTheSubjectItselfIsGone() {
    cmdb.put("CMDB-1", "unclassified");
    run();
    cmdb.remove("CMDB-1");
    run();
    assertThat(jira.applied.get(1).text()).contains("ci CMDB-1 no longer exists");
  }

  @Test
  void aFailedSourceNeitherResolvesItsFindingsNorAdvancesItsCursorAndHoldsBackTheChecksReadingIt() {
    cmdb.put("CMDB-1", "unclassified");
    run();
    assertThat(cursor("cmdb")).isEqualTo("cursor-1");
    cmdb.put("CMDB-1", null);
    cmdb.failWith("GET /rest/api/3/search/jql answered 503");
    other.put("OTHER-1", "no owner");
    RunReport report = run();
    assertThat(report.status()).isEqualTo(RunStatus.PARTIAL);
    assertThat(report.errors()).singleElement().asString().contains("cmdb").contains("503");
    assertThat(report.stats().get("cmdb").failed()).isTrue();
    assertThat(cursor("cmdb")).isEqualTo("cursor-1");
    assertThat(cursor("other")).isEqualTo("cursor-2");
    // the check reads every part (it says nothing), the failed source provides every part: held back entirely
    assertThat(report.heldBack()).singleElement().satisfies(h -> {
      assertThat(h.check()).isEqualTo(check.name());
      assertThat(h.reason()).contains("source cmdb failed").contains("503");
    });
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET);
    assertThat(findingStatus("CMDB-1")).isEqualTo(FindingStatus.OPEN);
    cmdb.failWith(null);
    run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.CREATE_TICKET, ActionType.RESOLVE_TICKET);
  }

  @Test
  void passesTheStoredCursorToTheNextIncrementalRun() {
    run();
    run();
    assertThat(cmdb.lastCursorSeen).isEqualTo("cursor-1");
  }

  @Test
  void aDryRunWritesNothingAnywhereAndListsThePlannedActions() {
    cmdb.put("CMDB-1", "unclassified").put("CMDB-2", "no owner");
    RunReport dry = dryRun();
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.actions()).extracting(Action::type).containsExactly(ActionType.CREATE_TICKET, ActionType.CREATE_TICKET);
    assertThat(jira.applied).isEmpty();
    assertThat(count("runs")).isZero();
    assertThat(count("findings")).isZero();
    assertThat(count("outbox")).isZero();
    assertThat(count("cursors")).isZero();
    assertThat(count("finding_events")).isZero();
  }

  @Test
  void aPublisherFailingMidBatchLeavesTheRestQueuedAndTheNextRunPublishesThemOnce() {
    cmdb.put("CMDB-1", "a").put("CMDB-2", "b").put("CMDB-3", "c");
    jira.failAfter = 1;
    RunReport first = run();
    assertThat(first.status()).isEqualTo(RunStatus.PARTIAL);
    assertThat(first.errors()).anySatisfy(e -> assertThat(e).contains("stay queued"));
    assertThat(jira.applied).hasSize(1);
    jira.failAfter = Integer.MAX_VALUE;
    RunReport second = run();
    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.CREATE_TICKET, ActionType.CREATE_TICKET);
    assertThat(jira.applied).extracting(a -> a.finding().subject().id()).containsExactlyInAnyOrder("CMDB-1", "CMDB-2", "CMDB-3");
    run();
    assertThat(jira.applied).hasSize(3);
  }

  @Test
  void aWaivedFindingCommentsOnceResolvesAndOpensAgainWhenTheWaiverExpires() {
    cmdb.put("CMDB-1", "unclassified");
    RunReport first = run();
    String fp = first.findings().get(0).finding().fingerprint();
    io.vigil.engine.testing.Directory.knows(store, "heidi.hansen");
    store.waivers().add(new Waiver("x", fp, "", "", "decommissioned next month", "heidi.hansen",
        clock.instant().plus(Duration.ofDays(3)), null, null), "nina.novak");
    RunReport waived = run();
    assertThat(waived.findings()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(FindingStatus.WAIVED));
    run();
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.WAIVE_TICKET);
    assertThat(jira.applied.get(1).text()).contains("heidi.hansen").contains("decommissioned next month");
    clock.advance(Duration.ofDays(4));
    RunReport expired = run();
    assertThat(expired.findings()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(FindingStatus.OPEN));
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET, ActionType.WAIVE_TICKET, ActionType.REOPEN_TICKET);
  }

  @Test
  void aNewFindingCoveredByAWaiverWritesNothing() {
    io.vigil.engine.testing.Directory.knows(store, "heidi.hansen");
    store.waivers().add(new Waiver("x", "", "PRB-1", "ci:CMDB-*", "lab machines", "heidi.hansen",
        clock.instant().plus(Duration.ofDays(30)), null, null), "nina.novak");
    cmdb.put("CMDB-1", "unclassified");
    RunReport report = run();
    assertThat(report.findings()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(FindingStatus.WAIVED));
    assertThat(jira.applied).isEmpty();
  }

  @Test
  void aCheckThatThrowsLeavesItsEarlierFindingsAlone() {
    cmdb.put("CMDB-1", "unclassified");
    run();
    check.broken = true;
    RunReport report = run();
    assertThat(report.errors()).singleElement().asString().contains("check problem failed");
    assertThat(findingStatus("CMDB-1")).isEqualTo(FindingStatus.OPEN);
    assertThat(applied()).containsExactly(ActionType.CREATE_TICKET);
  }

  /** A check that waits until {@code together} checks are evaluating at once, then reports one finding on its CI. */
  private static io.vigil.core.spi.Check meeting(String name, String ci, java.util.concurrent.CountDownLatch together) {
    return new io.vigil.core.spi.Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<io.vigil.core.model.Finding> evaluate(io.vigil.core.spi.EvaluationContext context) {
        together.countDown();
        try {
          if (!together.await(60, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("alone");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return List.of(io.vigil.core.model.Finding.builder("P-" + name, name(),
            io.vigil.core.model.Subject.ci(io.vigil.core.model.ConfigurationItem.builder(ci).type("Server").build()))
            .severity(io.vigil.core.model.Severity.LOW).evidence(List.of(name)).build());
      }
    };
  }

  @Test
  void checksAreEvaluatedSideBySideAndTheirFindingsJoinedInTheChecksOrder() {
    cmdb.put("CMDB-1", null);
    var together = new java.util.concurrent.CountDownLatch(2);
    RunPipeline twoChecks = new RunPipeline(store, List.of(cmdb), List.of(meeting("b-first", "CMDB-1", together),
        meeting("a-second", "CMDB-2", together)), List.of(jira), clock, IdentityMatch.EMAIL, RunListener.NONE);
    clock.advance(Duration.ofMinutes(10));
    RunReport report = twoChecks.run(Policy.empty(), new RunOptions(false, false, Set.of(), Set.of(), "test"));
    // each check waited for the other: had they run one after the other, both would have failed alone
    assertThat(report.errors()).isEmpty();
    assertThat(jira.applied).extracting(a -> a.finding().check()).containsExactly("b-first", "a-second");
  }

  @Test
  void recordsTheRunAndAnIntactHistory() {
    cmdb.put("CMDB-1", "unclassified");
    RunReport report = run();
    cmdb.put("CMDB-1", null);
    run();
    var runs = store.withHandle((Handle h) -> store.runs().list(h, 10));
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).id()).isEqualTo(report.runId());
    assertThat(runs.get(1).status()).isEqualTo(RunStatus.SUCCEEDED);
    String fp = report.findings().get(0).finding().fingerprint();
    assertThat(store.withHandle((Handle h) -> store.findings().history(h, fp))).extracting(e -> e.event())
        .containsExactly("opened", "resolved");
    assertThat(store.withHandle((Handle h) -> store.findings().verifyChain(h))).isEmpty();
  }

  @Test
  void takesItsIdFromTheControlAndACancelBeforeTheCommitChangesNothingButTheRunRecord() {
    cmdb.put("CMDB-1", "unclassified");
    RunControl control = new RunControl("run-cancelled-1");
    control.cancel("nina.novak");
    RunReport report = pipeline.run(Policy.empty(), new RunOptions(false, false, Set.of(), Set.of(), "test"), control);
    assertThat(report.runId()).isEqualTo("run-cancelled-1");
    assertThat(report.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(report.errors()).singleElement().asString().contains("cancelled by nina.novak");
    assertThat(count("findings")).isZero();
    assertThat(count("outbox")).isZero();
    assertThat(cursor("cmdb")).isNull();
    assertThat(cmdb.collections).hasValue(0);
    assertThat(jira.applied).isEmpty();
    assertThat(store.withHandle((Handle h) -> store.runs().get(h, "run-cancelled-1"))).get()
        .satisfies(r -> assertThat(r.status()).isEqualTo(RunStatus.CANCELLED));
  }

  @Test
  void cancellingWhileASourceIsStillCollectingStopsTheRun() throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    io.vigil.core.spi.Source stuck = new io.vigil.core.spi.Source() {
      @Override
      public String name() {
        return "stuck";
      }

      @Override
      public io.vigil.core.spi.ConnectionStatus check() {
        return io.vigil.core.spi.ConnectionStatus.ok("stuck", List.of());
      }

      @Override
      public io.vigil.core.spi.CollectResult collect(io.vigil.core.spi.CollectRequest request,
          io.vigil.core.inventory.InventorySink sink) {
        entered.countDown();
        try {
          new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new io.vigil.core.spi.CollectResult("never", 0, 0, List.of());
      }
    };
    RunPipeline slow = new RunPipeline(store, List.of(stuck), List.of(check), List.of(jira), clock, IdentityMatch.EMAIL,
        RunListener.NONE);
    RunControl control = new RunControl("run-stuck");
    var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var running = pool.submit(() -> slow.run(Policy.empty(), new RunOptions(true, false, Set.of(), Set.of(), "t"), control));
      assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      control.cancel("trent");
      RunReport report = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(report.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(report.errors()).anySatisfy(e -> assertThat(e).contains("during collect"));
      assertThat(cursor("stuck")).isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  private String cursor(String source) {
    return store.withHandle((Handle h) -> store.cursors().get(h, source)).orElse(null);
  }

  private FindingStatus findingStatus(String ciKey) {
    return store.withHandle((Handle h) -> store.findings().all(h)).values().stream()
        .filter(s -> s.finding().subject().id().equals(ciKey)).findFirst().orElseThrow().status();
  }

  private long count(String table) {
    return store.withHandle((Handle h) -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }
}
