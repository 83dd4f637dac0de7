package io.vigil.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Finding;
import io.vigil.core.model.IssueFlag;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.model.Waiver;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.Publisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link Publisher} promises: each {@link ActionType} applied twice has the effect of once, an action
 * whose answer was lost (applied, but the publisher never heard so) is not applied again when it is retried, and a
 * ticket a person closed is not reopened by an update. Subclass it with a {@link Fixture}: a fresh system of record
 * per call, and a way to look at everything Vigil's writes can change there.
 *
 * <p>Depends on the plugin API, JUnit 5 and AssertJ only.
 */
public abstract class PublisherContract {
  /** A fresh system of record with a publisher writing to it; closed by the contract. */
  protected abstract Fixture start();

  /** One system of record for one test. */
  public interface Fixture extends AutoCloseable {
    Publisher publisher();

    /** Where new compliance tickets go: the target of {@link ActionType#CREATE_TICKET} (a project key). */
    String ticketTarget();

    /** An existing service desk issue that {@link ActionType#FLAG_ISSUE} and {@link ActionType#NOTE_ISSUE} may write to. */
    String issueToFlag();

    /**
     * Everything a publisher's writes can change in the system, as a value comparable with {@code equals} and
     * readable in a failure message (tickets with status, labels, comment texts, links...), without timestamps
     * or anything else that differs between two systems given the same writes.
     */
    Object snapshot();

    /**
     * Makes the next write reach the system and be applied there, but its answer never reach the publisher (the
     * connection drops, the call times out): the publisher must find out by itself that it was applied.
     */
    void loseNextAnswer();

    /** A person closes the ticket in the system of record, as they would in its user interface. */
    void closeAsPerson(String ticket);

    /** Whether the ticket is in a done (closed, resolved) status. */
    boolean isDone(String ticket);

    @Override
    void close();
  }

  private static final Subject CI = new Subject(SubjectKind.CI, "CONTRACT-CI-1", "contract test server");

  private static Finding ticketFinding() {
    return Finding.builder("CONTRACT-1", "contract", CI).severity(Severity.HIGH)
        .title("contract test server has no owner").evidence(List.of("owner is empty")).build();
  }

  private static Finding flagFinding(String issue) {
    return Finding.builder("CONTRACT-2", "contract", new Subject(SubjectKind.ISSUE, issue, issue))
        .severity(Severity.HIGH).title(issue + " concerns a secret CI").evidence(List.of("affects CONTRACT-CI-1"))
        .flag(new IssueFlag(issue, "security-incident", "", true, "")).build();
  }

  /** The action of a type, on the ticket (or issue) the steps before it made. */
  private static Action action(ActionType type, Fixture f, String ticket) {
    Finding ticketFinding = ticketFinding();
    return switch (type) {
      case CREATE_TICKET -> new Action(0, type, ticketFinding.fingerprint(), f.ticketTarget(), ticketFinding,
          "Requirement: every CI has an owner.", null);
      case UPDATE_TICKET -> new Action(0, type, ticketFinding.fingerprint(), ticket, ticketFinding,
          "The evidence changed:\n+ owner is still empty", null);
      case RESOLVE_TICKET -> new Action(0, type, ticketFinding.fingerprint(), ticket, ticketFinding,
          "No longer observed.", null);
      case REOPEN_TICKET -> new Action(0, type, ticketFinding.fingerprint(), ticket, ticketFinding,
          "Observed again.", null);
      case WAIVE_TICKET -> new Action(0, type, ticketFinding.fingerprint(), ticket, ticketFinding,
          "Waived until 2027-01-01 by heidi.hansen: decommissioned soon.", new Waiver("w-1", ticketFinding.fingerprint(),
              "", "", "decommissioned soon", "heidi.hansen", Instant.parse("2027-01-01T00:00:00Z"),
              Instant.parse("2026-11-01T00:00:00Z"), "contract"));
      case FLAG_ISSUE -> {
        Finding flag = flagFinding(f.issueToFlag());
        yield new Action(0, type, flag.fingerprint(), f.issueToFlag(), flag, "", null);
      }
      case NOTE_ISSUE -> {
        Finding flag = flagFinding(f.issueToFlag());
        yield new Action(0, type, flag.fingerprint(), f.issueToFlag(), flag, "It no longer matches a security-incident rule.", null);
      }
      case COMMENT_ISSUE -> {
        Finding flag = flagFinding(f.issueToFlag());
        yield new Action(0, type, flag.fingerprint(), f.issueToFlag(), flag, "Granting this request would break SOD-1.", null);
      }
      case EDIT_COMMENT -> {
        Finding flag = flagFinding(f.issueToFlag());
        yield new Action(0, type, flag.fingerprint(), f.issueToFlag(), flag, "Granting it would no longer break SOD-1.", null);
      }
    };
  }

  /** What must have happened before an action of this type makes sense. */
  private static List<ActionType> before(ActionType type) {
    return switch (type) {
      case CREATE_TICKET, FLAG_ISSUE, COMMENT_ISSUE -> List.of();
      case EDIT_COMMENT -> List.of(ActionType.COMMENT_ISSUE);
      case UPDATE_TICKET, RESOLVE_TICKET, WAIVE_TICKET -> List.of(ActionType.CREATE_TICKET);
      case REOPEN_TICKET -> List.of(ActionType.CREATE_TICKET, ActionType.RESOLVE_TICKET);
      case NOTE_ISSUE -> List.of(ActionType.FLAG_ISSUE);
    };
  }

  /** Publishes one action and returns the reference it was acknowledged with. */
  private static String publish(Fixture f, Action a) throws PublishException {
    Map<Action, String> acked = new java.util.HashMap<>();
    f.publisher().publish(List.of(a), acked::put);
    assertThat(acked).as("%s acknowledged", a.type().id()).containsKey(a);
    return acked.get(a);
  }

  /** Applies the steps before {@code type}; returns the ticket (or issue) the action targets. */
  private static String prepare(Fixture f, ActionType type) throws PublishException {
    String ticket = "";
    for (ActionType step : before(type)) {
      String ref = publish(f, action(step, f, ticket));
      if (step == ActionType.CREATE_TICKET) ticket = ref;
    }
    return ticket;
  }

  @Test
  public void hasAName() {
    try (Fixture f = start()) {
      assertThat(f.publisher().name()).isNotBlank();
    }
  }

  @ParameterizedTest
  @EnumSource(ActionType.class)
  public void anActionAppliedTwiceHasTheEffectOfOnce(ActionType type) throws Exception {
    try (Fixture f = start()) {
      String ticket = prepare(f, type);
      Action a = action(type, f, ticket);
      String first = publish(f, a);
      Object once = f.snapshot();
      String second = publish(f, a);
      assertThat(f.snapshot()).as("after %s twice", type.id()).isEqualTo(once);
      assertThat(second).as("acknowledged with the same reference").isEqualTo(first);
      if (type == ActionType.CREATE_TICKET) assertThat(first).as("a new ticket's key").isNotBlank();
    }
  }

  @ParameterizedTest
  @EnumSource(ActionType.class)
  public void anActionWhoseAnswerWasLostIsNotAppliedAgainWhenRetried(ActionType type) throws Exception {
    try (Fixture clean = start(); Fixture lossy = start()) {
      Action a = action(type, clean, prepare(clean, type));
      publish(clean, a);
      Object once = clean.snapshot();

      Action same = action(type, lossy, prepare(lossy, type));
      lossy.loseNextAnswer();
      List<Action> acked = new ArrayList<>();
      try {
        lossy.publisher().publish(List.of(same), (action, ref) -> acked.add(action));
      } catch (PublishException e) {
        // expected: the publisher did not hear back; the outbox retries it
      }
      if (acked.isEmpty()) publish(lossy, same);
      assertThat(lossy.snapshot()).as("after %s with its answer lost, and its retry", type.id()).isEqualTo(once);
    }
  }

  @Test
  public void anUpdateDoesNotReopenATicketAPersonClosed() throws Exception {
    try (Fixture f = start()) {
      String ticket = prepare(f, ActionType.UPDATE_TICKET);
      f.closeAsPerson(ticket);
      assertThat(f.isDone(ticket)).as("closed by the fixture").isTrue();
      publish(f, action(ActionType.UPDATE_TICKET, f, ticket));
      assertThat(f.isDone(ticket)).as("still closed after an update").isTrue();
    }
  }

  @Test
  public void aBatchIsAcknowledgedActionByActionInOrder() throws Exception {
    try (Fixture f = start()) {
      String ticket = prepare(f, ActionType.UPDATE_TICKET);
      List<Action> batch = List.of(action(ActionType.UPDATE_TICKET, f, ticket), action(ActionType.RESOLVE_TICKET, f, ticket),
          action(ActionType.FLAG_ISSUE, f, ticket));
      List<Action> acked = new ArrayList<>();
      f.publisher().publish(batch, (action, ref) -> acked.add(action));
      assertThat(acked).containsExactlyElementsOf(batch);
      assertThat(f.isDone(ticket)).isTrue();
    }
  }
}
