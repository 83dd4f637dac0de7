package io.vigil.engine.store;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Who is who, for the waiver approver rules. After a run that read the identity provider in full, the identities
 * with every key a person may be named by (id, username, email, the values of the {@code identity.match}
 * attribute, e.g. a Jira account id); after each run, for every finding about an issue, the people on the issue
 * (requester, assignee, approvers) as the service desk names them. Written as a difference, so an unchanged run
 * writes nothing. Thread-safe.
 */
public final class People {
  People() {}

  /** A person known to the identity provider. */
  public record Person(String identityId, String label, Set<String> keys) {
    /** Whether this person is the service desk account (by account id or email, or the identity it matched). */
    public boolean is(Party party) {
      return (!party.identityId().isEmpty() && party.identityId().equals(identityId))
          || (!party.accountId().isEmpty() && keys.contains(party.accountId().toLowerCase(Locale.ROOT)))
          || (!party.email().isEmpty() && keys.contains(party.email().toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * A person on an issue.
   *
   * @param role {@code requester}, {@code assignee} or {@code approver}
   * @param identityId the identity the account matched in the run ({@code identity.match}); empty if none
   */
  public record Party(String role, String accountId, String email, String label, String identityId) {
    String line() {
      return String.join("\t", role, accountId, email, label.replace('\t', ' ').replace('\n', ' '), identityId);
    }

    static Party parse(String line) {
      String[] p = line.split("\t", -1);
      return new Party(p[0], p[1], p[2], p[3], p.length > 4 ? p[4] : "");
    }
  }

  /** Every key an identity may be named by, lower-cased: id, username, email, values of the match attribute. */
  public static Set<String> keysOf(Identity identity, io.vigil.core.inventory.IdentityMatch match) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(identity.id().toLowerCase(Locale.ROOT));
    if (!identity.username().isBlank()) keys.add(identity.username().trim().toLowerCase(Locale.ROOT));
    if (!identity.email().isEmpty()) keys.add(identity.email());
    match.keysOf(identity).forEach(k -> keys.add(k.trim().toLowerCase(Locale.ROOT)));
    return keys;
  }

  /** The people on an issue: its requester, assignee and every approver asked. */
  public static List<Party> partiesOf(ServiceIssue issue, Inventory inventory) {
    List<Party> out = new ArrayList<>();
    add(out, "requester", issue.reporter(), inventory);
    add(out, "assignee", issue.assignee(), inventory);
    for (Approval a : issue.approvals()) {
      for (ApproverDecision d : a.approvers()) add(out, "approver", d.approver(), inventory);
    }
    return out.stream().distinct().toList();
  }

  private static void add(List<Party> out, String role, AccountRef a, Inventory inventory) {
    if (a == null || (a.accountId().isEmpty() && a.email().isEmpty())) return;
    String identity = inventory.identityOf(a).map(Identity::id).orElse("");
    out.add(new Party(role, a.accountId(), a.email(), a.label(), identity));
  }

  /**
   * Records what a run read: the identities when it read them all ({@code identitiesComplete}), and the people on
   * the issues of its findings. Only rows that differ from the stored ones are written.
   */
  public void record(Handle h, Inventory inventory, boolean identitiesComplete, Collection<Finding> observed) {
    if (identitiesComplete && !inventory.identities().isEmpty()) {
      Map<String, Person> now = new HashMap<>();
      for (Identity i : inventory.identities().values()) {
        now.put(i.id(), new Person(i.id(), io.vigil.core.model.Subject.identity(i).display(),
            keysOf(i, inventory.identityMatch())));
      }
      replacePeople(h, now.values());
    }
    for (Finding f : observed) {
      if (f.subject().kind() != SubjectKind.ISSUE) continue;
      Optional<ServiceIssue> issue = inventory.issue(f.subject().id());
      if (issue.isEmpty()) continue;
      String text = String.join("\n", partiesOf(issue.get(), inventory).stream().map(Party::line).toList());
      Optional<String> stored = h.createQuery("SELECT parties FROM finding_parties WHERE fingerprint = :fp")
          .bind("fp", f.fingerprint()).mapTo(String.class).findOne();
      if (stored.isPresent() && stored.get().equals(text)) continue;
      if (stored.isPresent()) {
        h.createUpdate("UPDATE finding_parties SET parties = :p WHERE fingerprint = :fp").bind("p", text)
            .bind("fp", f.fingerprint()).execute();
      } else {
        h.createUpdate("INSERT INTO finding_parties (fingerprint, parties) VALUES (:fp, :p)").bind("p", text)
            .bind("fp", f.fingerprint()).execute();
      }
    }
  }

  /** Makes the stored identities these, writing only the differences. */
  public void replacePeople(Handle h, Collection<Person> people) {
    Map<String, Person> stored = new HashMap<>();
    all(h).forEach(p -> stored.put(p.identityId(), p));
    for (Person p : people) {
      Person old = stored.remove(p.identityId());
      String keys = String.join("\n", p.keys());
      if (old == null) {
        h.createUpdate("INSERT INTO people (identity_id, label, match_keys) VALUES (:id, :label, :keys)")
            .bind("id", p.identityId()).bind("label", p.label()).bind("keys", keys).execute();
      } else if (!old.equals(p)) {
        h.createUpdate("UPDATE people SET label = :label, match_keys = :keys WHERE identity_id = :id")
            .bind("id", p.identityId()).bind("label", p.label()).bind("keys", keys).execute();
      }
    }
    for (String gone : stored.keySet()) {
      h.createUpdate("DELETE FROM people WHERE identity_id = :id").bind("id", gone).execute();
    }
  }

  public List<Person> all(Handle h) {
    return h.createQuery("SELECT identity_id, label, match_keys FROM people ORDER BY identity_id")
        .map((rs, ctx) -> new Person(rs.getString(1), rs.getString(2),
            new LinkedHashSet<>(List.of(rs.getString(3).split("\n"))))).list();
  }

  /** The identities named by {@code name} (an email, username, id or match-attribute value, ignoring case). */
  public List<Person> named(Handle h, String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    return all(h).stream().filter(p -> p.keys().contains(key)).toList();
  }

  /** The people on the issue a finding is about, as the last run that saw it recorded them. */
  public List<Party> partiesOf(Handle h, String fingerprint) {
    return h.createQuery("SELECT parties FROM finding_parties WHERE fingerprint = :fp").bind("fp", fingerprint)
        .mapTo(String.class).findOne().map(t -> t.isEmpty() ? List.<Party>of()
            : java.util.Arrays.stream(t.split("\n")).map(Party::parse).toList()).orElse(List.of());
  }

  public void recordParties(Handle h, String fingerprint, List<Party> parties) {
    h.createUpdate("DELETE FROM finding_parties WHERE fingerprint = :fp").bind("fp", fingerprint).execute();
    h.createUpdate("INSERT INTO finding_parties (fingerprint, parties) VALUES (:fp, :p)").bind("fp", fingerprint)
        .bind("p", String.join("\n", parties.stream().map(Party::line).toList())).execute();
  }
}
