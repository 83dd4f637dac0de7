package io.vigil.core.run;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Requirement;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.core.spi.TicketState;
import io.vigil.core.store.StoredFinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what a run observed with what the store knew and decides, per finding, the new state, the
 * history event and the actions for the system of record. Pure: no I/O, deterministic, thread-safe.
 *
 * <p>The lifecycle: a new finding opens a ticket (or flags its issue); a finding seen again with the
 * same evidence only refreshes {@code last_seen}; changed evidence comments once; a finding no longer
 * observed — and only if the run really re-read its subject — resolves; a resolved one that comes
 * back reopens (never a second ticket); a waived one comments the waiver and resolves, and opens again
 * when the waiver ends. Flags are applied once and stay; a flagged issue that stops matching is noted
 * once.
 */
public final class Reconciler {

  /**
   * What the reconciler compares.
   *
   * @param observed findings of this run (one per fingerprint)
   * @param stored what the store knew, by fingerprint
   * @param waivers waivers active at {@code now}
   * @param inventory the run's inventory, to tell "gone" from "not looked at"
   * @param evaluatedChecks checks that ran to completion in this run; others' findings are left alone
   */
  /**
   * @param requirements the policy's requirements by rule id, quoted in new tickets (requirement, source, remediation)
 * @param tickets the tickets of findings as the system of record has them now, by fingerprint; a finding whose
 *     ticket a person closed or deleted is not reopened on the same evidence
   */
  public record Input(String runId, Instant now, List<Finding> observed, Map<String, StoredFinding> stored,
      List<Waiver> waivers, Inventory inventory, Set<String> evaluatedChecks, Map<String, Requirement> requirements,
      Map<String, TicketState> tickets) {
    public Input {
      requirements = requirements == null ? Map.of() : requirements;
      tickets = tickets == null ? Map.of() : tickets;
    }

    public Input(String runId, Instant now, List<Finding> observed, Map<String, StoredFinding> stored,
        List<Waiver> waivers, Inventory inventory, Set<String> evaluatedChecks) {
      this(runId, now, observed, stored, waivers, inventory, evaluatedChecks, Map.of(), Map.of());
    }
  }

  /** A finding's new state and the event that records the transition; event empty for a plain refresh. */
  public record Change(StoredFinding state, String event, String detail) {}

  public record Plan(List<Change> changes, List<Action> actions) {}

  public Plan reconcile(Input in) {
    List<Change> changes = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    Map<String, Finding> observed = new LinkedHashMap<>();
    for (Finding f : in.observed()) observed.putIfAbsent(f.fingerprint(), f);

    for (Finding f : observed.values()) {
      StoredFinding old = in.stored().get(f.fingerprint());
      Optional<Waiver> waiver = in.waivers().stream().filter(w -> w.covers(f, in.now())).findFirst();
      if (waiver.isPresent()) {
        waived(in, f, old, waiver.get(), changes, actions);
      } else {
        observedAgain(in, f, old, changes, actions);
      }
    }
    for (StoredFinding old : in.stored().values()) {
      if (observed.containsKey(old.fingerprint())) continue;
      if (!in.evaluatedChecks().contains(old.finding().check())) continue;
      if (old.status() == FindingStatus.RESOLVED) continue;
      if (!in.inventory().covers(old.finding().subject())) continue;
      gone(in, old, changes, actions);
    }
    return new Plan(changes, actions);
  }

  private void observedAgain(Input in, Finding f, StoredFinding old, List<Change> changes, List<Action> actions) {
    boolean flag = f.flag() != null;
    if (old == null) {
      changes.add(new Change(new StoredFinding(f, FindingStatus.OPEN, in.now(), in.now(), null, "", true, false, ""),
          "opened", String.join("\n", f.evidence())));
      actions.add(flag ? action(ActionType.FLAG_ISSUE, f, f.flag().issueKey(), flagComment(f), null)
          : action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, in.now()), null));
      return;
    }
    switch (old.status()) {
      case OPEN -> {
        TicketState ticket = flag || old.ticketKey().isEmpty() ? null : in.tickets().get(f.fingerprint());
        boolean closedByPerson = ticket != null && ticket.closedByPerson();
        StoredFinding next = with(old, f, FindingStatus.OPEN, in.now());
        int before = changes.size();
        if (closedByPerson && old.ticketClosed().isEmpty()) {
          next = next.withTicketClosed(ticket.describe());
          changes.add(new Change(next, "ticket-closed", "ticket " + old.ticketKey() + " " + ticket.describe()
              + "; Vigil leaves it so while the evidence stays the same"));
        } else if (ticket != null && !closedByPerson && !old.ticketClosed().isEmpty()) {
          next = next.withTicketClosed("");
          changes.add(new Change(next, "ticket-reopened", "ticket " + old.ticketKey() + " is open again in the system of record"));
        }
        if (old.finding().evidence().equals(f.evidence())) {
          if (changes.size() == before) changes.add(new Change(next, "", ""));
        } else {
          String diff = evidenceDiff(old.finding(), f);
          String text = "The evidence changed in run " + in.runId() + ":\n" + diff;
          if (!flag && closedByPerson && !ticket.exists()) {
            next = new StoredFinding(f, FindingStatus.OPEN, old.firstSeen(), in.now(), null, "", true, old.flagNoted(), "", "");
            actions.add(action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, old.firstSeen()) + "\n" + text, null));
          } else if (!flag && (closedByPerson || !old.ticketClosed().isEmpty())) {
            next = next.withTicketClosed("");
            actions.add(action(ActionType.REOPEN_TICKET, f, old.ticketKey(), text, null));
          } else if (!flag) {
            actions.add(action(ActionType.UPDATE_TICKET, f, old.ticketKey(), text, null));
          }
          changes.add(new Change(next, "evidence-changed", diff));
        }
      }
      case RESOLVED -> {
        TicketState ticket = in.tickets().get(f.fingerprint());
        boolean ticketGone = !flag && ticket != null && !ticket.exists(); // deleted while the finding was away
        StoredFinding reopened = new StoredFinding(f, FindingStatus.OPEN, old.firstSeen(), in.now(), null,
            ticketGone ? "" : old.ticketKey(), true, old.flagNoted(), "");
        changes.add(new Change(reopened, "reopened", String.join("\n", f.evidence())));
        if (ticketGone) {
          actions.add(action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, old.firstSeen()), null));
        } else if (!flag) {
          actions.add(old.ticketed()
              ? action(ActionType.REOPEN_TICKET, f, old.ticketKey(), "Observed again in run " + in.runId() + " at "
                  + in.now() + ":\n" + bullets(f.evidence()), null)
              : action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, old.firstSeen()), null));
        } else if (!old.ticketed()) {
          actions.add(action(ActionType.FLAG_ISSUE, f, f.flag().issueKey(), flagComment(f), null));
        }
      }
      case WAIVED -> {
        // the waiver ended (expired or revoked) while the finding is still there
        StoredFinding reopened = new StoredFinding(f, FindingStatus.OPEN, old.firstSeen(), in.now(), null,
            old.ticketKey(), true, old.flagNoted(), "");
        changes.add(new Change(reopened, "waiver-ended", "waiver " + old.waiverId() + " no longer applies"));
        if (!old.ticketed()) {
          actions.add(flag ? action(ActionType.FLAG_ISSUE, f, f.flag().issueKey(), flagComment(f), null)
              : action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, old.firstSeen()), null));
        } else if (!flag) {
          actions.add(action(ActionType.REOPEN_TICKET, f, old.ticketKey(), "The waiver " + old.waiverId()
              + " no longer applies (expired or revoked) and the finding is still observed in run " + in.runId()
              + ".", null));
        }
      }
    }
  }

  private void waived(Input in, Finding f, StoredFinding old, Waiver w, List<Change> changes, List<Action> actions) {
    if (old != null && old.status() == FindingStatus.WAIVED && old.waiverId().equals(w.id())) {
      changes.add(new Change(with(old, f, FindingStatus.WAIVED, in.now()), "", ""));
      return;
    }
    boolean ticketed = old != null && old.ticketed();
    StoredFinding state = new StoredFinding(f, FindingStatus.WAIVED, old == null ? in.now() : old.firstSeen(),
        in.now(), null, old == null ? "" : old.ticketKey(), ticketed, old != null && old.flagNoted(), w.id());
    changes.add(new Change(state, "waived", waiverText(w)));
    if (ticketed && f.flag() == null && old.status() == FindingStatus.OPEN) {
      actions.add(action(ActionType.WAIVE_TICKET, f, old.ticketKey(), waiverText(w), w));
    }
  }

  private void gone(Input in, StoredFinding old, List<Change> changes, List<Action> actions) {
    Finding f = old.finding();
    boolean subjectStillThere = switch (f.subject().kind()) {
      case CI -> in.inventory().ci(f.subject().id()).isPresent();
      case ISSUE -> in.inventory().issue(f.subject().id()).isPresent();
      case IDENTITY -> in.inventory().identity(f.subject().id()).isPresent();
    };
    String because = subjectStillThere
        ? f.subject().kind().id() + " " + f.subject().display() + " no longer violates " + f.ruleId()
        : f.subject().kind().id() + " " + f.subject().id() + " no longer exists";
    String text = "No longer observed in run " + in.runId() + " at " + in.now() + ", because " + because + ".";
    boolean noteFlag = f.flag() != null && old.status() == FindingStatus.OPEN && !old.flagNoted();
    StoredFinding resolved = new StoredFinding(f, FindingStatus.RESOLVED, old.firstSeen(), old.lastSeen(), in.now(),
        old.ticketKey(), old.ticketed(), old.flagNoted() || noteFlag, "");
    changes.add(new Change(resolved, "resolved", because));
    if (old.status() != FindingStatus.OPEN) return; // a waived finding's ticket was resolved when it was waived
    if (f.flag() != null) {
      if (noteFlag) {
        actions.add(action(ActionType.NOTE_ISSUE, f, f.flag().issueKey(), "This issue no longer matches security rule "
            + f.ruleId() + " (run " + in.runId() + "); the security-incident flag stays in place.", null));
      }
    } else if (old.ticketed()) {
      actions.add(action(ActionType.RESOLVE_TICKET, f, old.ticketKey(), text, null));
    }
  }

  private static StoredFinding with(StoredFinding old, Finding f, FindingStatus status, Instant now) {
    return new StoredFinding(f, status, old.firstSeen(), now, old.resolvedAt(), old.ticketKey(), old.ticketed(),
        old.flagNoted(), old.waiverId(), old.ticketClosed());
  }

  private static Action action(ActionType type, Finding f, String target, String comment, Waiver w) {
    return new Action(0, type, f.fingerprint(), target, f, comment, w);
  }

  static String evidenceDiff(Finding before, Finding after) {
    TreeSet<String> added = new TreeSet<>(after.evidence());
    before.evidence().forEach(added::remove);
    TreeSet<String> removed = new TreeSet<>(before.evidence());
    after.evidence().forEach(removed::remove);
    StringBuilder out = new StringBuilder();
    added.forEach(l -> out.append("+ ").append(l).append('\n'));
    removed.forEach(l -> out.append("- ").append(l).append('\n'));
    return out.toString().stripTrailing();
  }

  /** What a new ticket's description says besides the finding itself: the requirement, its source, the remedy. */
  private static String ticketText(Input in, Finding f, Instant firstSeen) {
    Requirement r = in.requirements().get(f.ruleId());
    StringBuilder b = new StringBuilder();
    if (r != null) {
      b.append("Requirement: ").append(r.title()).append('\n')
          .append("Source: ").append(r.source()).append('\n')
          .append("Remediation: ").append(r.remediation()).append('\n');
    }
    b.append("First seen: ").append(firstSeen).append(" (run ").append(in.runId()).append(')');
    return b.toString();
  }

  private static String flagComment(Finding f) {
    StringBuilder b = new StringBuilder("Vigil flagged this issue as a security incident under rule ")
        .append(f.ruleId()).append(": ").append(f.title()).append("\n").append(bullets(f.evidence()));
    if (!f.flag().procedure().isEmpty()) b.append("\nProcedure to follow: ").append(f.flag().procedure());
    return b.toString();
  }

  private static String bullets(List<String> lines) {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append("- ").append(l).append('\n'));
    return b.toString().stripTrailing();
  }

  private static String waiverText(Waiver w) {
    return "Waived by " + w.approver() + " until " + w.expiresAt() + ": " + w.reason();
  }
}
