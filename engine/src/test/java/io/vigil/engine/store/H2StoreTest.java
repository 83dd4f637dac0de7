package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Finding;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.Findings;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest extends StoreContractTest {
  @TempDir Path dir;

  @Override
  protected String jdbcUrl() {
    return Databases.h2(dir);
  }

  /**
   * A batch of pending actions is read from the index in id order, not by reading and sorting every pending action:
   * that made publishing quadratic on H2 (a 100,000-identity first run spent minutes there). H2's own plan, with the
   * rows it scanned, says which.
   */
  @Test
  void readsABatchOfPendingActionsWithoutScanningEveryPendingOne() {
    List<Action> added = store.inTransaction(h -> {
      List<Action> out = new java.util.ArrayList<>();
      for (int i = 0; i < 300; i++) {
        Finding f = Findings.about("R-1", "custom", SubjectKind.CI, "CMDB-" + i, "a");
        for (String publisher : List.of("jira", "other")) {
          Action a = store.outbox().add(h, "run-1", publisher,
              new Action(0, ActionType.CREATE_TICKET, f.fingerprint(), "", f, "", null), clock.instant());
          if (publisher.equals("jira")) out.add(a);
        }
      }
      return out;
    });
    store.inTransaction(h -> {
      for (Action a : added.subList(0, 20)) store.outbox().markDone(h, a.id(), "SEC-" + a.id(), clock.instant());
      return null;
    });
    assertThat(store.withHandle((org.jdbi.v3.core.Handle h) -> store.outbox().pending(h, "jira", 10)))
        .containsExactlyElementsOf(added.subList(20, 30));

    String plan = store.withHandle((org.jdbi.v3.core.Handle h) -> h.createQuery("EXPLAIN ANALYZE " + Outbox.PENDING)
        .bind("pub", "jira").bind("status", OutboxEntry.PENDING).bind("limit", 10).mapTo(String.class).one());
    assertThat(plan).contains("OUTBOX_PENDING").contains("index sorted");
    Matcher scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
    assertThat(scanned.find()).as(plan).isTrue();
    assertThat(Integer.parseInt(scanned.group(1))).as(plan).isLessThanOrEqualTo(11);
  }

  /**
   * H2 writes an identity's position every 1,000 values, not every 32 (each write a chunk of the file with
   * {@code WRITE_DELAY=0}), on the three tables with one.
   */
  @Test
  void identityColumnsKeepAThousandValuesBetweenWritesOfTheirPosition() {
    java.util.List<String> caches = store.withHandle((org.jdbi.v3.core.Handle h) -> h.createQuery("SELECT LOWER(TABLE_NAME) || '=' || IDENTITY_CACHE"
        + " FROM INFORMATION_SCHEMA.COLUMNS WHERE IS_IDENTITY = 'YES' ORDER BY TABLE_NAME").mapTo(String.class).list());
    assertThat(caches).containsExactly("audit_log=1000", "finding_events=1000", "outbox=1000");
  }

  /**
   * With the larger cache, ids still follow the order rows were inserted in, across sessions: an H2 sequence is one
   * per database and hands its values out in the order they are asked for. Two transactions open side by side and
   * inserting in turn give the outbox back in that order.
   */
  @Test
  void outboxIdsFollowInsertionOrderAcrossSessions() {
    List<String> inserted = new java.util.ArrayList<>();
    try (var a = store.jdbi().open(); var b = store.jdbi().open()) {
      a.begin();
      b.begin();
      for (int i = 0; i < 1_100; i++) {
        var h = i % 2 == 0 ? a : b;
        Finding f = Findings.about("R-1", "custom", SubjectKind.CI, "CMDB-" + i, "a");
        store.outbox().add(h, "run-1", "jira", new Action(0, ActionType.CREATE_TICKET, f.fingerprint(), "", f, "", null),
            clock.instant());
        inserted.add(f.fingerprint());
      }
      a.commit();
      b.commit();
    }
    assertThat(store.withHandle((org.jdbi.v3.core.Handle h) -> store.outbox().pending(h, "jira", 2_000)))
        .extracting(Action::fingerprint).containsExactlyElementsOf(inserted);
  }
}
