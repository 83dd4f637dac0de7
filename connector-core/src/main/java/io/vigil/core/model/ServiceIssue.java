package io.vigil.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An incident, change, access request or other request from the service desk.
 *
 * @param key issue key, e.g. {@code ITSM-123}
 * @param kind ITIL record type
 * @param requestType the service desk request type name (e.g. "Change", "Access request"); empty if none
 * @param summary one-line summary, exactly as typed by a person (never trusted as markup)
 * @param description plain text of the description; empty if none
 * @param status workflow status name
 * @param reporter who raised it; null if unknown
 * @param assignee who works on it; null if unassigned
 * @param affectedCis keys of the configuration items the issue concerns
 * @param securityLevel name of the issue security level; empty if none
 * @param labels the issue's labels
 * @param approvals the request's approvals, oldest first
 * @param created when it was created
 * @param updated when it was last updated (the incremental-read cursor field)
 * @param resolved when Jira resolved it (its resolution date); null while unresolved or when unknown
 * @param access for an access request whose connector maps the requested entitlement, what it asks for; null
 *     otherwise
 * @param organizations the JSM organizations the request is shared with (names), as Jira's Organizations field
 *     gives them; empty when none or when the site has no such field
 */
public record ServiceIssue(
    String key,
    IssueKind kind,
    String requestType,
    String summary,
    String description,
    String status,
    AccountRef reporter,
    AccountRef assignee,
    List<String> affectedCis,
    String securityLevel,
    Set<String> labels,
    List<Approval> approvals,
    Instant created,
    Instant updated,
    Instant resolved,
    AccessRequest access,
    Set<String> organizations) {

  public ServiceIssue {
    Objects.requireNonNull(key, "key");
    kind = kind == null ? IssueKind.OTHER : kind;
    requestType = requestType == null ? "" : requestType;
    summary = summary == null ? "" : summary;
    description = description == null ? "" : description;
    status = status == null ? "" : status;
    affectedCis = List.copyOf(affectedCis == null ? List.of() : affectedCis);
    securityLevel = securityLevel == null ? "" : securityLevel;
    labels = Set.copyOf(labels == null ? Set.of() : labels);
    approvals = List.copyOf(approvals == null ? List.of() : approvals);
    organizations = Set.copyOf(organizations == null ? Set.of() : organizations);
  }

  /** The same issue with its approvals, read separately from the issue itself. */
  public ServiceIssue withApprovals(List<Approval> newApprovals) {
    return new ServiceIssue(key, kind, requestType, summary, description, status, reporter, assignee, affectedCis,
        securityLevel, labels, newApprovals, created, updated, resolved, access, organizations);
  }

  public static Builder builder(String key) {
    return new Builder(key);
  }

  public static final class Builder {
    private final String key;
    private IssueKind kind = IssueKind.OTHER;
    private String requestType;
    private String summary;
    private String description;
    private String status;
    private AccountRef reporter;
    private AccountRef assignee;
    private List<String> affectedCis = List.of();
    private String securityLevel;
    private Set<String> labels = Set.of();
    private List<Approval> approvals = List.of();
    private Instant created;
    private Instant updated;
    private Instant resolved;
    private AccessRequest access;
    private Set<String> organizations = Set.of();

    private Builder(String key) {
      this.key = key;
    }

    public Builder kind(IssueKind v) { this.kind = v; return this; }
    public Builder requestType(String v) { this.requestType = v; return this; }
    public Builder summary(String v) { this.summary = v; return this; }
    public Builder description(String v) { this.description = v; return this; }
    public Builder status(String v) { this.status = v; return this; }
    public Builder reporter(AccountRef v) { this.reporter = v; return this; }
    public Builder assignee(AccountRef v) { this.assignee = v; return this; }
    public Builder affectedCis(List<String> v) { this.affectedCis = v; return this; }
    public Builder securityLevel(String v) { this.securityLevel = v; return this; }
    public Builder labels(Set<String> v) { this.labels = v; return this; }
    public Builder approvals(List<Approval> v) { this.approvals = v; return this; }
    public Builder created(Instant v) { this.created = v; return this; }
    public Builder updated(Instant v) { this.updated = v; return this; }
    public Builder resolved(Instant v) { this.resolved = v; return this; }
    public Builder access(AccessRequest v) { this.access = v; return this; }
    public Builder organizations(Set<String> v) { this.organizations = v; return this; }

    public ServiceIssue build() {
      return new ServiceIssue(key, kind, requestType, summary, description, status, reporter, assignee,
          affectedCis, securityLevel, labels, approvals, created, updated, resolved, access, organizations);
    }
  }
}
