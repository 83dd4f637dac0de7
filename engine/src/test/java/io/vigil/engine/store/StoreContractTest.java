package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.model.Waiver;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.engine.testing.Findings;
import io.vigil.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's contract, run on every database Vigil supports. */
abstract class StoreContractTest {
  protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
  protected Store store;

  protected abstract String jdbcUrl();

  @BeforeEach
  void open() {
    store = Store.open(jdbcUrl(), clock);
    // the people a run read from the identity provider: waiver approvers are matched to them
    store.inTransaction(h -> {
      store.people().replacePeople(h, java.util.stream.Stream.of("alice.andersen", "bob.berg", "grace.gomez",
          "heidi.hansen").map(u -> new People.Person(u, u, java.util.Set.of(u))).toList());
      return null;
    });
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void anIncidentJiraShowsAsRecordedIsNotWrittenAgainAndAChangeIs() {
    java.time.Instant created = java.time.Instant.parse("2026-11-02T08:00:00Z");
    SecurityIncident seen = new SecurityIncident("ITSM-9", "SEC-INC-1", "ransomware on db-01", "confidential",
        java.util.Set.of("globex", "acme"), created, created.plusSeconds(600), null);
    assertThat(upsert(seen)).isTrue();
    assertThat(upsert(seen)).as("unchanged").isFalse();
    SecurityIncident sameCustomersReordered = new SecurityIncident("ITSM-9", "SEC-INC-1", "ransomware on db-01",
        "confidential", new java.util.LinkedHashSet<>(java.util.List.of("acme", "globex")), created,
        created.plusSeconds(900), null); // recognised later: the earliest recognition stays, so nothing changes
    assertThat(upsert(sameCustomersReordered)).isFalse();
    SecurityIncident resolved = new SecurityIncident("ITSM-9", "SEC-INC-1", "ransomware on db-01", "confidential",
        java.util.Set.of("acme", "globex"), created, created.plusSeconds(600), created.plusSeconds(7200));
    assertThat(upsert(resolved)).isTrue();
    assertThat(store.incidents().all()).singleElement().satisfies(i -> {
      assertThat(i.resolved()).isEqualTo(created.plusSeconds(7200));
      assertThat(i.recognised()).isEqualTo(created.plusSeconds(600));
    });
    assertThat(upsert(resolved)).isFalse();
  }

  private boolean upsert(SecurityIncident i) {
    return store.inTransaction(h -> store.incidents().upsert(h, i, clock.instant()));
  }

  @Test
  void readsTheFindingsOfSomeRulesAboutOneKindAsTheFullReadHasThem() {
    store.inTransaction(h -> {
      store.findings().save(h, StoredFinding.builder(Findings.about("R-1", "custom", SubjectKind.ISSUE, "ITSM-1", "a"))
          .seen(clock.instant()).build(), "run-1");
      store.findings().save(h, StoredFinding.builder(Findings.about("R-1", "custom", SubjectKind.CI, "CMDB-1", "a"))
          .seen(clock.instant()).build(), "run-1");
      store.findings().save(h, StoredFinding.builder(Findings.about("R-2", "custom", SubjectKind.ISSUE, "ITSM-2", "a"))
          .seen(clock.instant()).status(FindingStatus.RESOLVED).build(), "run-1");
      store.findings().save(h, StoredFinding.builder(Findings.about("R-3", "custom", SubjectKind.ISSUE, "ITSM-3", "a"))
          .seen(clock.instant()).build(), "run-1");
      return null;
    });
    long fullReads = store.findings().fullReads();
    var some = store.withHandle((Handle h) -> store.findings().ofRules(h, java.util.Set.of("R-1", "R-2"), SubjectKind.ISSUE));
    assertThat(store.findings().fullReads()).as("not a full read").isEqualTo(fullReads);
    var all = store.withHandle((Handle h) -> store.findings().all(h));
    assertThat(some.values()).extracting(s -> s.finding().subject().id()).containsExactlyInAnyOrder("ITSM-1", "ITSM-2");
    some.forEach((fp, s) -> assertThat(s).isEqualTo(all.get(fp)));
    assertThat(store.findings().fullReads()).isEqualTo(fullReads + 1);
    assertThat(store.withHandle((Handle h) -> store.findings().ofRules(h, java.util.Set.of(), SubjectKind.ISSUE))).isEmpty();
  }

  @Test
  void migratesAnEmptyDatabaseAndAnswersReadiness() {
    assertThat(store.reachable()).isTrue();
    assertThat(store.withHandle((Handle h) -> store.findings().all(h))).isEmpty();
  }

  @Test
  void reopeningAMigratedDatabaseKeepsWhatWasStored() {
    Finding f = Findings.about("R-1", "custom", SubjectKind.CI, "CMDB-1", "a");
    store.inTransaction(h -> {
      store.findings().save(h, StoredFinding.builder(f).seen(clock.instant()).ticketed(true).build(), "run-1");
      return null;
    });
    store.close();
    store = Store.open(jdbcUrl(), clock);
    assertThat(store.withHandle((Handle h) -> store.findings().get(h, f.fingerprint()))).get()
        .satisfies(s -> assertThat(s.finding()).isEqualTo(f));
  }

  @Test
  void roundTripsAFindingStateWithEveryField() {
    Finding f = Findings.about("SOD-1", "sod-entitlement", SubjectKind.IDENTITY, "u-1", "path a", "path b");
    StoredFinding s = StoredFinding.builder(f).status(FindingStatus.WAIVED).firstSeen(clock.instant())
        .lastSeen(clock.instant().plusSeconds(5)).resolvedAt(clock.instant().plusSeconds(9)).ticketKey("SEC-4")
        .ticketed(true).flagNoted(true).waiverId("w-1").build();
    store.inTransaction(h -> {
      store.findings().save(h, s, "run-1");
      return null;
    });
    assertThat(store.withHandle((Handle h) -> store.findings().get(h, f.fingerprint()))).contains(s);
    assertThat(store.withHandle((Handle h) -> store.findings().list(h, new FindingFilter("sod-entitlement", "high", "waived", "U-1"))))
        .containsExactly(s);
    assertThat(store.withHandle((Handle h) -> store.findings().list(h, new FindingFilter("", "", "open", "")))).isEmpty();
  }

  @Test
  void chainsTheEventHistoryAndDetectsAnEditedRow() {
    store.inTransaction(h -> {
      store.findings().appendEvent(h, "fp1", "run-1", clock.instant(), "opened", "evidence a");
      store.findings().appendEvent(h, "fp2", "run-1", clock.instant(), "opened", "evidence b");
      store.findings().appendEvent(h, "fp1", "run-2", clock.instant(), "resolved", "gone");
      return null;
    });
    assertThat(store.withHandle((Handle h) -> store.findings().verifyChain(h))).isEmpty();
    assertThat(store.withHandle((Handle h) -> store.findings().history(h, "fp1"))).extracting(FindingEvent::event)
        .containsExactly("opened", "resolved");

    long second = store.withHandle((Handle h) -> store.findings().history(h, "fp2")).get(0).id();
    store.withHandle((Handle h) -> h.execute("UPDATE finding_events SET detail = 'nothing to see' WHERE id = ?", second));
    assertThat(store.withHandle((Handle h) -> store.findings().verifyChain(h))).contains(second);
  }

  @Test
  void detectsADeletedEventInTheMiddleOfTheChain() {
    store.inTransaction(h -> {
      store.findings().appendEvent(h, "fp1", "run-1", clock.instant(), "opened", "a");
      store.findings().appendEvent(h, "fp1", "run-2", clock.instant(), "resolved", "b");
      store.findings().appendEvent(h, "fp1", "run-3", clock.instant(), "reopened", "c");
      return null;
    });
    var history = store.withHandle((Handle h) -> store.findings().history(h, "fp1"));
    store.withHandle((Handle h) -> h.execute("DELETE FROM finding_events WHERE id = ?", history.get(1).id()));
    assertThat(store.withHandle((Handle h) -> store.findings().verifyChain(h))).contains(history.get(2).id());
  }

  /** A store with rows in every chain: three finding events, three audit entries, two waivers, one revoked. */
  private String[] fillEveryChain() {
    store.inTransaction(h -> {
      store.findings().appendEvent(h, "fp1", "run-1", clock.instant(), "opened", "a");
      store.findings().appendEvent(h, "fp1", "run-2", clock.instant(), "resolved", "b");
      store.findings().appendEvent(h, "fp2", "run-2", clock.instant(), "opened", "c");
      return null;
    });
    store.audit().append("nina.novak", "schedule.create", "schedule nightly", "{\"cron\":\"0 0 2 * * ?\"}");
    Instant expiry = clock.instant().plus(Duration.ofDays(30));
    Waiver first = store.waivers().add(new Waiver("", "", "SOD-1", "identity:u-*", "migration", "grace.gomez",
        expiry, clock.instant(), "nina.novak"), "nina.novak");
    clock.advance(Duration.ofMinutes(1));
    Waiver second = store.waivers().add(new Waiver("", "", "PRV-1", "identity:svc-*", "vendor access", "grace.gomez",
        expiry, clock.instant(), "nina.novak"), "nina.novak");
    store.waivers().revoke(first.id(), "trent.tan");
    return new String[] {first.id(), second.id()};
  }

  private java.util.Map<String, Chains.ChainReport> verify() {
    java.util.Map<String, Chains.ChainReport> byChain = new java.util.LinkedHashMap<>();
    store.verify().forEach(r -> byChain.put(r.chain(), r));
    return byChain;
  }

  @Test
  void verifiesEveryChainIntactWithItsLengthAndHead() {
    fillEveryChain();
    var reports = verify();
    assertThat(reports.values()).allSatisfy(r -> assertThat(r.intact()).as(r.problem()).isTrue());
    assertThat(reports.get("finding events").rows()).isEqualTo(3);
    assertThat(reports.get("audit log").rows()).isEqualTo(4); // the schedule, two waivers created, one revoked
    assertThat(reports.get("waivers").rows()).isEqualTo(2);
    assertThat(reports.get("waiver revocations").rows()).isEqualTo(1);
    assertThat(reports.get("audit log").head()).hasSize(64).isNotEqualTo(Chains.GENESIS);
  }

  @Test
  void namesAnEditedAuditEntryAndAnEditedWaiver() {
    String[] waivers = fillEveryChain();
    long second = store.withHandle((Handle h) -> h.createQuery("SELECT MIN(id) + 1 FROM audit_log").mapTo(Long.class).one());
    store.withHandle((Handle h) -> h.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = ?", second));
    store.withHandle((Handle h) -> h.execute("UPDATE waivers SET expires_at = expires_at + 86400000 WHERE id = ?", waivers[1]));
    var reports = verify();
    assertThat(reports.get("audit log").brokenAt()).isEqualTo(Long.toString(second));
    assertThat(reports.get("audit log").problem()).contains("was changed");
    assertThat(reports.get("waivers").brokenAt()).isEqualTo("2");
    assertThat(reports.get("finding events").intact()).isTrue();
  }

  @Test
  void namesAnInsertedAndADeletedRowTheLastOneIncluded() {
    fillEveryChain();
    store.withHandle((Handle h) -> h.execute("INSERT INTO audit_log (at, actor, action, target, details) VALUES"
        + " (1, 'mallory', 'waiver.create', 'rule X', 'backdated')"));
    long last = store.withHandle((Handle h) -> h.createQuery("SELECT MAX(id) FROM finding_events").mapTo(Long.class).one());
    store.withHandle((Handle h) -> h.execute("DELETE FROM finding_events WHERE id = ?", last));
    var reports = verify();
    assertThat(reports.get("audit log").problem()).contains("inserted");
    assertThat(reports.get("finding events").problem()).contains("the last 1 row(s) were deleted");
    assertThat(reports.get("finding events").brokenAt()).isEqualTo(Long.toString(last - 1));
  }

  @Test
  void namesAWaiverWhoseRevocationWasUndoneOrWhichWasDeleted() {
    String[] waivers = fillEveryChain();
    store.withHandle((Handle h) -> h.execute("UPDATE waivers SET revoked_at = NULL, revoked_by = NULL WHERE id = ?", waivers[0]));
    assertThat(verify().get("waiver revocations").problem()).contains(waivers[0]).contains("active");
    store.withHandle((Handle h) -> h.execute("DELETE FROM waivers WHERE id = ?", waivers[0]));
    var reports = verify();
    assertThat(reports.get("waivers").intact()).isFalse();
    assertThat(reports.get("waiver revocations").problem()).contains("no longer holds");
  }

  @Test
  void chainsWhatAStoreFromBeforeTheChainsHeldWhenItOpens() {
    fillEveryChain();
    store.withHandle((Handle h) -> {
      h.execute("UPDATE audit_log SET prev_hash = NULL, hash = NULL");
      h.execute("UPDATE waivers SET prev_hash = NULL, hash = NULL, chain_seq = NULL");
      return h.execute("UPDATE chain_heads SET head = ?, length = 0", Chains.GENESIS);
    });
    assertThat(verify().get("audit log").intact()).isFalse();
    store.close();
    store = Store.open(jdbcUrl(), clock);
    assertThat(verify().values()).allSatisfy(r -> assertThat(r.intact()).as(r.problem()).isTrue());
    assertThat(verify().get("finding events").rows()).isEqualTo(3);
  }

  @Test
  void keepsOutboxActionsPendingUntilMarkedDone() {
    Finding f = Findings.about("R-1", "custom", SubjectKind.CI, "CMDB-1", "a");
    Action a = store.inTransaction(h -> store.outbox().add(h, "run-1", "jira",
        new Action(0, ActionType.CREATE_TICKET, f.fingerprint(), "", f, "", null), clock.instant()));
    assertThat(a.id()).isPositive();
    assertThat(store.withHandle((Handle h) -> store.outbox().pending(h, "jira", 10))).containsExactly(a);
    assertThat(store.withHandle((Handle h) -> store.outbox().pending(h, "other", 10))).isEmpty();
    store.inTransaction(h -> {
      store.outbox().markFailed(h, a.id(), "Jira said 503");
      return null;
    });
    assertThat(store.withHandle((Handle h) -> store.outbox().all(h)).get(0).attempts()).isEqualTo(1);
    store.inTransaction(h -> {
      store.outbox().markDone(h, a.id(), "SEC-1", clock.instant());
      return null;
    });
    assertThat(store.withHandle((Handle h) -> store.outbox().pending(h, "jira", 10))).isEmpty();
    assertThat(store.withHandle((Handle h) -> store.outbox().all(h)).get(0).externalRef()).isEqualTo("SEC-1");
  }

  @Test
  void storesCursorsPerSource() {
    store.inTransaction(h -> {
      store.cursors().put(h, "jira", "2026-11-01T10:00Z");
      store.cursors().put(h, "jira", "2026-11-02T10:00Z");
      return null;
    });
    assertThat(store.withHandle((Handle h) -> store.cursors().get(h, "jira"))).contains("2026-11-02T10:00Z");
    assertThat(store.withHandle((Handle h) -> store.cursors().get(h, "keycloak"))).isEmpty();
  }

  @Test
  void theGrantEventLedgerKeepsEachEventOnceAndAsFirstRecordedAcrossReopening() {
    io.vigil.core.model.GrantEvent granted = new io.vigil.core.model.GrantEvent("ev-1", Instant.parse("2026-10-01T08:00:00Z"),
        io.vigil.core.model.GrantEvent.Operation.GRANTED, "u1", io.vigil.core.model.Entitlement.realmRole("role-since-deleted"),
        new io.vigil.core.model.GrantEvent.Actor("admin-1", "admin-cli", "master"), "users/u1/role-mappings/realm");
    io.vigil.core.model.GrantEvent reread = new io.vigil.core.model.GrantEvent("ev-1", Instant.parse("2026-10-01T08:00:00Z"),
        io.vigil.core.model.GrantEvent.Operation.GRANTED, "u1", io.vigil.core.model.Entitlement.realmRole("role-since-deleted"),
        new io.vigil.core.model.GrantEvent.Actor("someone-else", "", ""), "");
    store.grantEvents().record("keycloak", java.util.List.of(granted));
    store.grantEvents().record("keycloak", java.util.List.of(reread));
    store.close();
    store = Store.open(jdbcUrl(), clock);
    assertThat(store.grantEvents().events("keycloak")).containsExactly(granted);
    assertThat(store.grantEvents().events("other")).isEmpty();
  }

  @Test
  void theLedgerKeepsTheLatestActivityOnly() {
    Instant t1 = Instant.parse("2026-10-01T00:00:00Z");
    Instant t2 = Instant.parse("2026-10-05T00:00:00Z");
    store.ledger().recordSeen("keycloak", "u1", t2);
    store.ledger().recordSeen("keycloak", "u1", t1);
    store.ledger().recordSeen("keycloak", "u2", t1);
    assertThat(store.ledger().lastSeen("keycloak")).containsEntry("u1", t2).containsEntry("u2", t1);
    assertThat(store.ledger().lastSeen("other")).isEmpty();
  }

  @Test
  void recordsWaiversWithTheirAuditTrailAndRevokesThem() {
    Waiver w = store.waivers().add(new Waiver("x", "", "ACC-2", "identity:*", "migration window", "heidi.hansen",
        clock.instant().plus(Duration.ofDays(30)), null, null), "nina.novak");
    assertThat(store.waivers().active(clock.instant())).containsExactly(w);
    assertThat(store.audit().list(10)).extracting(AuditEntry::action).containsExactly("waiver.create");
    store.waivers().revoke(w.id(), "nina.novak");
    assertThat(store.waivers().active(clock.instant())).isEmpty();
    assertThat(store.waivers().all()).hasSize(1);
    assertThat(store.audit().list(10)).extracting(AuditEntry::actor).containsOnly("nina.novak");
    assertThatThrownBy(() -> store.waivers().revoke(w.id(), "nina.novak")).hasMessageContaining("no active waiver");
  }

  @Test
  void pagesTheRunHistoryAndTheAuditLogNewestFirst() {
    for (int i = 0; i < 5; i++) {
      int n = i;
      store.inTransaction(h -> {
        store.runs().save(h, new io.vigil.engine.store.RunRecord("run-" + n, "test", clock.instant().plusSeconds(n), null,
            io.vigil.engine.store.RunStatus.RUNNING, true, 0, 0, java.util.Map.of(), java.util.List.of()));
        return null;
      });
      store.audit().append("nina.novak", "schedule.create", "schedule s" + n, "");
    }
    assertThat(store.withHandle((Handle h) -> store.runs().page(h, 1, 2))).extracting(RunRecord::id)
        .containsExactly("run-3", "run-2");
    assertThat(store.withHandle((Handle h) -> store.runs().count(h))).isEqualTo(5);
    assertThat(store.audit().page(3, 10)).extracting(AuditEntry::target).containsExactly("schedule s1", "schedule s0");
    assertThat(store.audit().count()).isEqualTo(5);
  }

  @Test
  void expiredWaiversAreNotActive() {
    Waiver w = store.waivers().add(new Waiver("x", "", "ACC-2", "*", "r", "heidi.hansen",
        clock.instant().plus(Duration.ofDays(1)), null, null), "nina.novak");
    clock.advance(Duration.ofDays(2));
    assertThat(store.waivers().active(clock.instant())).doesNotContain(w).isEmpty();
  }

  @Test
  void refusesAWaiverApprovedByItsOwnSubject() {
    Finding f = Findings.about("ACC-1", "account", SubjectKind.IDENTITY, "alice.andersen", "realm-admin without MFA");
    store.inTransaction(h -> {
      store.findings().save(h, StoredFinding.builder(f).seen(clock.instant()).ticketed(true).build(), "run-1");
      return null;
    });
    assertThatThrownBy(() -> store.waivers().add(new Waiver("x", f.fingerprint(), "", "", "I know", "alice.andersen",
        clock.instant().plus(Duration.ofDays(1)), null, null), "alice.andersen"))
        .hasMessageContaining("may not approve");
    assertThat(store.waivers().all()).isEmpty();
    assertThatThrownBy(() -> store.waivers().add(new Waiver("x", "", "ACC-1", "identity:*", "I know", "alice.andersen",
        clock.instant().plus(Duration.ofDays(1)), null, null), "alice.andersen"))
        .as("nor by rule while a finding it would cover is about her").hasMessageContaining("may not approve");
    store.inTransaction(h -> {
      store.findings().save(h, StoredFinding.builder(f).status(FindingStatus.RESOLVED).seen(clock.instant()).build(),
          "run-2");
      return null;
    });
    Waiver byRule = store.waivers().add(new Waiver("x", "", "ACC-1", "identity:*", "I know", "alice.andersen",
        clock.instant().plus(Duration.ofDays(1)), null, null), "alice.andersen");
    assertThat(byRule.covers(f, clock.instant())).as("a rule waiver never covers its approver").isFalse();
    assertThat(byRule.covers(Findings.about("ACC-1", "account", SubjectKind.IDENTITY, "bob.berg", "x"), clock.instant()))
        .isTrue();
  }

  @Test
  void refusesAWaiverThatHasAlreadyExpiredOrNamesNoFinding() {
    assertThatThrownBy(() -> store.waivers().add(new Waiver("x", "", "ACC-2", "*", "r", "heidi.hansen",
        clock.instant().minusSeconds(1), null, null), "nina.novak")).hasMessageContaining("not in the future");
    assertThatThrownBy(() -> store.waivers().add(new Waiver("x", "abc", "", "", "r", "heidi.hansen",
        clock.instant().plusSeconds(60), null, null), "nina.novak")).hasMessageContaining("no finding");
  }

  @Test
  void refusesAnUnreachableStoreWithAMessageThatNamesItButNoPassword() {
    assertThatThrownBy(() -> Store.open("jdbc:postgresql://127.0.0.1:1/nothing", "vigil",
        new io.vigil.core.spi.Secret("s3cr3t-pw"), clock))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/nothing")
        .hasMessageNotContaining("s3cr3t-pw");
  }

  @Test
  void theRunLockLetsOneRunAtATimeAndTheNextWaitsForIt() throws Exception {
    RunLock.Held first = store.runLock().acquire(Duration.ofSeconds(5));
    java.util.concurrent.CompletableFuture<RunLock.Held> second = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> store.runLock().acquire(Duration.ofSeconds(30)));
    Thread.sleep(300);
    assertThat(second).as("the second waits while the first holds it").isNotDone();
    first.close();
    RunLock.Held got = second.get(30, java.util.concurrent.TimeUnit.SECONDS);
    got.close();
  }

  @Test
  void aRunThatCannotGetTheLockInTimeSaysSo() {
    try (RunLock.Held held = store.runLock().acquire(Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> java.util.concurrent.CompletableFuture.supplyAsync(
          () -> store.runLock().acquire(Duration.ofMillis(200))).join())
          .hasCauseInstanceOf(StoreException.class).hasMessageContaining("another run has held the run lock");
    }
    store.runLock().acquire(Duration.ofSeconds(1)).close(); // released with the holder
  }

  @Test
  void recordsAnAttestationInItsChainAndTheAuditLogAndLetsItExpire() {
    Attestation a = store.attestations().add("BCP-1", "https://wiki.example/bcp-test-2026", "", "",
        "restore test passed", "ada.auditor", Duration.ofDays(365));
    assertThat(a.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(365)));
    clock.advance(Duration.ofMinutes(1));
    Attestation b = store.attestations().add("BCP-1", "", "AB".repeat(32), "report.pdf", "signed report",
        "nina.novak", Duration.ofDays(1));
    assertThat(store.attestations().of("BCP-1")).containsExactly(b, a);
    assertThat(store.attestations().latest()).containsOnlyKeys("BCP-1").containsEntry("BCP-1", b);
    assertThat(b.evidenceSha256()).isEqualTo("ab".repeat(32));
    assertThat(store.audit().list(10)).extracting(AuditEntry::action, AuditEntry::actor)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("attestation.create", "nina.novak"),
            org.assertj.core.groups.Tuple.tuple("attestation.create", "ada.auditor"));
    assertThat(b.currentAt(clock.instant())).isTrue();
    clock.advance(Duration.ofDays(2));
    assertThat(b.currentAt(clock.instant())).isFalse();
    assertThat(verify().get("attestations").rows()).isEqualTo(2);
    assertThat(verify().get("attestations").intact()).isTrue();
    store.withHandle((Handle h) -> h.execute("UPDATE attestations SET note = 'nothing checked' WHERE id = ?", a.id()));
    assertThat(verify().get("attestations").problem()).contains("was changed");
  }

  @Test
  void refusesAnAttestationWithoutEvidenceOrNote() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.attestations().add("BCP-1", "", "", "", "n", "a",
        Duration.ofDays(1))).hasMessageContaining("needs evidence");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.attestations().add("BCP-1", "ftp://x", "", "", "n",
        "a", Duration.ofDays(1))).hasMessageContaining("not an http(s) URL");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.attestations().add("BCP-1", "https://x/y", "", "",
        " ", "a", Duration.ofDays(1))).hasMessageContaining("needs a note");
  }

  @Test
  void runsOverDisjointConnectorsHoldTheirLocksAtOnceAndOnesSharingAConnectorWait() throws Exception {
    try (RunLock.Held first = store.runLock().acquire(java.util.List.of("publisher:jira", "source:keycloak"), Duration.ofSeconds(5));
        RunLock.Held disjoint = store.runLock().acquire(java.util.List.of("source:jira"), Duration.ofSeconds(5))) {
      java.util.concurrent.CompletableFuture<RunLock.Held> sharing = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> store.runLock().acquire(java.util.List.of("source:jira-assets", "publisher:jira"), Duration.ofSeconds(30)));
      Thread.sleep(300);
      assertThat(sharing).as("waits for publisher:jira").isNotDone();
      first.close();
      sharing.get(30, java.util.concurrent.TimeUnit.SECONDS).close();
    }
    assertThatThrownBy(() -> {
      try (RunLock.Held held = store.runLock().acquire(java.util.List.of("source:jira"), Duration.ofSeconds(5))) {
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> store.runLock().acquire(java.util.List.of("source:jira"), Duration.ofMillis(200))).join();
      }
    }).hasCauseInstanceOf(StoreException.class).hasMessageContaining("another run has held the run lock");
  }

  @Test
  void aRunAbandonsOnlyTheRunningRunsThatHeldOneOfItsLocks() {
    java.time.Instant at = java.time.Instant.parse("2026-11-01T10:00:00Z");
    store.inTransaction((Handle h) -> {
      for (String id : java.util.List.of("dead", "alive", "legacy")) {
        store.runs().save(h, RunRecord.builder(id).triggeredBy("test").startedAt(at).status(RunStatus.RUNNING)
            .fullRead(true).build());
      }
      store.runs().setResources(h, "dead", java.util.Set.of("source:jira", "publisher:jira"));
      store.runs().setResources(h, "alive", java.util.Set.of("source:keycloak"));
      return null;
    });
    int n = store.inTransaction((Handle h) -> store.runs().abandonRunning(h, at, "gone", java.util.Set.of("source:jira")));
    assertThat(n).isEqualTo(2);
    assertThat(store.withHandle((Handle h) -> store.runs().get(h, "alive")).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.withHandle((Handle h) -> store.runs().get(h, "dead")).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.withHandle((Handle h) -> store.runs().get(h, "legacy")).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
  }
}
