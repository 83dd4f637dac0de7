package io.vigil.engine.internal.run;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Requirement;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.core.spi.TicketState;
import io.vigil.engine.internal.checks.WhatIfCheck;
import io.vigil.engine.store.StoredFinding;
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
    if (whatIf(f)) {
      whatIfObserved(in, f, old, changes, actions);
      return;
    }
    boolean flag = f.flag() != null;
    if (old == null) {
      changes.add(new Change(StoredFinding.builder(f).seen(in.now()).ticketed(true).build(),
          "opened", String.join("\n", f.evidence())));
      actions.add(flag ? action(ActionType.FLAG_ISSUE, f, f.flag().issueKey(), TicketWording.flag(f), null)
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
          String diff = TicketWording.evidenceDiff(old.finding(), f);
          String text = TicketWording.evidenceChanged(in.runId(), diff);
          if (!flag && closedByPerson && !ticket.exists()) {
            next = StoredFinding.builder(f).firstSeen(old.firstSeen()).lastSeen(in.now()).ticketed(true).flagNoted(old.flagNoted()).build();
            actions.add(action(ActionType.CREATE_TICKET, f, "", TicketWording.recreatedTicket(f, in.requirements().get(f.ruleId()), old.firstSeen(), in.runId(), diff), null));
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
        StoredFinding reopened = StoredFinding.builder(f).firstSeen(old.firstSeen()).lastSeen(in.now())
            .ticketKey(ticketGone ? "" : old.ticketKey()).ticketed(true).flagNoted(old.flagNoted()).build();
        changes.add(new Change(reopened, "reopened", String.join("\n", f.evidence())));
        if (ticketGone) {
          actions.add(action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, old.firstSeen()), null));
        } else if (!flag) {
          actions.add(old.ticketed()
              ? action(ActionType.REOPEN_TICKET, f, old.ticketKey(), TicketWording.observedAgain(f, in.runId(), in.now()), null)
              : action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, old.firstSeen()), null));
        } else if (!old.ticketed()) {
          actions.add(action(ActionType.FLAG_ISSUE, f, f.flag().issueKey(), TicketWording.flag(f), null));
        }
      }
      case WAIVED -> {
        // the waiver ended (expired or revoked) while the finding is still there
        StoredFinding reopened = StoredFinding.builder(f).firstSeen(old.firstSeen()).lastSeen(in.now())
            .ticketKey(old.ticketKey()).ticketed(true).flagNoted(old.flagNoted()).build();
        changes.add(new Change(reopened, "waiver-ended", "waiver " + old.waiverId() + " no longer applies"));
        if (!old.ticketed()) {
          actions.add(flag ? action(ActionType.FLAG_ISSUE, f, f.flag().issueKey(), TicketWording.flag(f), null)
              : action(ActionType.CREATE_TICKET, f, "", ticketText(in, f, old.firstSeen()), null));
        } else if (!flag) {
          actions.add(action(ActionType.REOPEN_TICKET, f, old.ticketKey(), TicketWording.waiverEnded(old.waiverId(), in.runId()), null));
        }
      }
    }
  }

  /**
   * A pending access request that would break rules keeps one comment: posted when first seen, edited in place when
   * the request (and so the evidence) changed or when it breaks rules again after it had stopped; nothing when nothing
   * changed, so evaluating the same request state twice writes nothing.
   */
  private void whatIfObserved(Input in, Finding f, StoredFinding old, List<Change> changes, List<Action> actions) {
    String text = WhatIfWording.comment(f);
    if (old == null) {
      changes.add(new Change(StoredFinding.builder(f).seen(in.now()).ticketed(true).build(), "opened",
          String.join("\n", f.evidence())));
      actions.add(action(ActionType.COMMENT_ISSUE, f, f.flag().issueKey(), text, null));
      return;
    }
    if (old.status() == FindingStatus.OPEN && old.finding().evidence().equals(f.evidence())) {
      changes.add(new Change(with(old, f, FindingStatus.OPEN, in.now()), "", ""));
      return;
    }
    boolean reopened = old.status() != FindingStatus.OPEN;
    StoredFinding next = StoredFinding.builder(f).firstSeen(old.firstSeen()).lastSeen(in.now())
        .ticketKey(old.ticketKey()).ticketed(true).flagNoted(false).build();
    changes.add(new Change(next, reopened ? "reopened" : "evidence-changed",
        reopened ? String.join("\n", f.evidence()) : TicketWording.evidenceDiff(old.finding(), f)));
    actions.add(action(old.ticketed() ? ActionType.EDIT_COMMENT : ActionType.COMMENT_ISSUE, f, f.flag().issueKey(), text,
        null));
  }

  /** What-if findings live as a comment on their request, not as a ticket. */
  static boolean whatIf(Finding f) {
    return WhatIfCheck.NAME.equals(f.check()) && f.flag() != null;
  }

  private void waived(Input in, Finding f, StoredFinding old, Waiver w, List<Change> changes, List<Action> actions) {
    if (old != null && old.status() == FindingStatus.WAIVED && old.waiverId().equals(w.id())) {
      changes.add(new Change(with(old, f, FindingStatus.WAIVED, in.now()), "", ""));
      return;
    }
    boolean ticketed = old != null && old.ticketed();
    StoredFinding state = StoredFinding.builder(f).status(FindingStatus.WAIVED)
        .firstSeen(old == null ? in.now() : old.firstSeen()).lastSeen(in.now()).ticketKey(old == null ? "" : old.ticketKey())
        .ticketed(ticketed).flagNoted(old != null && old.flagNoted()).waiverId(w.id()).build();
    changes.add(new Change(state, "waived", TicketWording.waived(w)));
    if (whatIf(f) && ticketed && old.status() == FindingStatus.OPEN) {
      actions.add(action(ActionType.EDIT_COMMENT, f, f.flag().issueKey(), WhatIfWording.waived(f, w), null));
      return;
    }
    if (ticketed && f.flag() == null && old.status() == FindingStatus.OPEN) {
      actions.add(action(ActionType.WAIVE_TICKET, f, old.ticketKey(), TicketWording.waived(w), w));
    }
  }

  private void gone(Input in, StoredFinding old, List<Change> changes, List<Action> actions) {
    Finding f = old.finding();
    if (whatIf(f)) {
      whatIfGone(in, old, changes, actions);
      return;
    }
    boolean subjectStillThere = switch (f.subject().kind()) {
      case CI -> in.inventory().ci(f.subject().id()).isPresent();
      case ISSUE -> in.inventory().issue(f.subject().id()).isPresent();
      case IDENTITY -> in.inventory().identity(f.subject().id()).isPresent();
    };
    String because = subjectStillThere
        ? f.subject().kind().id() + " " + f.subject().display() + " no longer violates " + f.ruleId()
        : f.subject().kind().id() + " " + f.subject().id() + " no longer exists";
    String text = TicketWording.resolved(in.runId(), in.now(), because);
    boolean noteFlag = f.flag() != null && old.status() == FindingStatus.OPEN && !old.flagNoted();
    StoredFinding resolved = old.toBuilder().status(FindingStatus.RESOLVED).resolvedAt(in.now())
        .flagNoted(old.flagNoted() || noteFlag).waiverId("").ticketClosed("").build();
    changes.add(new Change(resolved, "resolved", because));
    if (old.status() != FindingStatus.OPEN) return; // a waived finding's ticket was resolved when it was waived
    if (f.flag() != null) {
      if (noteFlag) {
        actions.add(action(ActionType.NOTE_ISSUE, f, f.flag().issueKey(), TicketWording.flagNoLongerMatches(f, in.runId()), null));
      }
    } else if (old.ticketed()) {
      actions.add(action(ActionType.RESOLVE_TICKET, f, old.ticketKey(), text, null));
    }
  }

  /**
   * A what-if finding no longer observed: if its request still waits for approval, the request changed so that it
   * breaks nothing, and the comment says so once (edited in place); if the request was decided, resolved or is gone,
   * the comment stays as the approver saw it.
   */
  private void whatIfGone(Input in, StoredFinding old, List<Change> changes, List<Action> actions) {
    Finding f = old.finding();
    Optional<io.vigil.core.model.ServiceIssue> issue = in.inventory().issue(f.subject().id()).filter(WhatIfCheck::pending);
    String because = issue.isPresent() ? "the request as it now stands breaks no rule"
        : "the request no longer waits for approval";
    changes.add(new Change(old.toBuilder().status(FindingStatus.RESOLVED).resolvedAt(in.now()).waiverId("")
        .ticketClosed("").build(), "resolved", because));
    if (issue.isPresent() && old.ticketed() && old.status() == FindingStatus.OPEN) {
      actions.add(action(ActionType.EDIT_COMMENT, f, f.flag().issueKey(),
          WhatIfWording.noLongerBreaks(f, WhatIfCheck.requestLine(issue.get(), in.inventory())), null));
    }
  }

  private static StoredFinding with(StoredFinding old, Finding f, FindingStatus status, Instant now) {
    return old.toBuilder().finding(f).status(status).lastSeen(now).build();
  }

  private static Action action(ActionType type, Finding f, String target, String comment, Waiver w) {
    return new Action(0, type, f.fingerprint(), target, f, comment, w);
  }

  private static String ticketText(Input in, Finding f, Instant firstSeen) {
    return TicketWording.newTicket(f, in.requirements().get(f.ruleId()), firstSeen, in.runId());
  }
}
