package io.vigil.core.model;

import java.util.Objects;

/**
 * What a finding is about.
 *
 * @param kind CI, issue or identity
 * @param id the stable key of the subject in its system (CI key, issue key, identity id); part of the fingerprint
 * @param display how a person recognises it (CI name, issue summary, username); not part of the fingerprint
 */
public record Subject(SubjectKind kind, String id, String display) {
  public Subject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    display = display == null || display.isBlank() ? id : display;
  }

  public static Subject ci(ConfigurationItem ci) {
    return new Subject(SubjectKind.CI, ci.key(), ci.name());
  }

  public static Subject issue(ServiceIssue issue) {
    return new Subject(SubjectKind.ISSUE, issue.key(), issue.key() + " " + issue.summary());
  }

  /** An identity shows as its username, then the person's name and email when known: {@code grace.gomez (Grace Gomez, grace@acme.example)}. */
  public static Subject identity(Identity identity) {
    StringBuilder who = new StringBuilder();
    if (!identity.name().isEmpty()) who.append(identity.name());
    if (!identity.email().isEmpty()) who.append(who.length() > 0 ? ", " : "").append(identity.email());
    return new Subject(SubjectKind.IDENTITY, identity.id(),
        who.length() == 0 ? identity.username() : identity.username() + " (" + who + ")");
  }

  /** {@code kind:id}, the form used in fingerprints, waiver patterns and the JSON output. */
  public String ref() {
    return kind.id() + ":" + id;
  }
}
