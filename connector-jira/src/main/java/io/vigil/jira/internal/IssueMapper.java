package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps an issue as Jira's search returns it to a {@link ServiceIssue} (approvals are attached later). Values that
 * repeat across issues (people, statuses, request types, security levels, labels, CI keys) are shared rather than
 * held once per issue: the run keeps every issue in memory, and they are most of its strings. Thread-safe.
 */
public final class IssueMapper {
  private final Shared shared;
  private final Fields fields;
  private final Map<String, String> kinds;
  private final Map<String, String> ciKeysById;
  private final AccessRequestFields accessFields;
  private final EntitlementObjects entitlementObjects;

  /**
   * @param kinds request type or issue type name (lower case) → kind id
   * @param ciKeysById Assets object id → object key, for Cloud's Assets field, which gives ids only
   */
  public IssueMapper(Fields fields, Map<String, String> kinds, Map<String, String> ciKeysById) {
    this(fields, kinds, ciKeysById, new Shared());
  }

  /** @param shared where repeated values are shared (with the approvals of the same collection) */
  public IssueMapper(Fields fields, Map<String, String> kinds, Map<String, String> ciKeysById, Shared shared) {
    this(fields, kinds, ciKeysById, shared, null);
  }

  /** @param accessFields where access requests say what they ask for; null to read no access requests' fields */
  public IssueMapper(Fields fields, Map<String, String> kinds, Map<String, String> ciKeysById, Shared shared,
      AccessRequestFields accessFields) {
    this(fields, kinds, ciKeysById, shared, accessFields, null);
  }

  /**
   * @param entitlementObjects the Assets objects an Assets entitlement field names, as read so far (an object not yet
   *     read maps to an invalid value, so requests naming objects are mapped once they are read); null for none
   */
  public IssueMapper(Fields fields, Map<String, String> kinds, Map<String, String> ciKeysById, Shared shared,
      AccessRequestFields accessFields, EntitlementObjects entitlementObjects) {
    this.entitlementObjects = entitlementObjects;
    this.accessFields = accessFields;
    this.shared = shared;
    this.fields = fields;
    this.kinds = kinds;
    this.ciKeysById = ciKeysById;
  }

  /** What {@link #account} reads of a user. */
  static final JsonShape USER = JsonShape.of("accountId", "key", "name", "emailAddress", "displayName");
  /** What {@link JiraTime#parse} reads of a timestamp: a string, or JSM's {@code {iso8601, epochMillis}}. */
  static final JsonShape TIME = JsonShape.of("iso8601", "epochMillis");
  /** What {@link Adf#text} reads of a rich-text document, to any depth. */
  static final JsonShape ADF = JsonShape.nested("content", Map.of("type", JsonShape.WHOLE, "text", JsonShape.WHOLE,
      "attrs", JsonShape.of("text")));

  /**
   * What {@link #map} and the readers of approvals and of access requests read of an issue: its key, and of its fields
   * only the members they read; search pages are read in this shape, the rest skipped as it streams.
   */
  public JsonShape shape() {
    JsonShape f = JsonShape.object()
        .with("summary", JsonShape.WHOLE)
        .with("issuetype", JsonShape.of("name"))
        .with("status", JsonShape.of("name"))
        .with("labels", JsonShape.WHOLE)
        .with("reporter", USER)
        .with("assignee", USER)
        .with("created", TIME)
        .with("updated", TIME)
        .with("resolutiondate", TIME)
        .with("resolution", JsonShape.object())
        .with("security", JsonShape.of("name"))
        .with("description", ADF);
    if (!fields.requestType().isEmpty()) {
      f = f.with(fields.requestType(), JsonShape.object().with("requestType", JsonShape.of("name")));
    }
    if (!fields.affectedCis().isEmpty()) f = f.with(fields.affectedCis(), JsonShape.of("objectKey", "key", "objectId", "id"));
    if (!fields.organizations().isEmpty()) f = f.with(fields.organizations(), JsonShape.of("name"));
    if (!fields.approvals().isEmpty()) f = f.with(fields.approvals(), ApprovalField.SHAPE);
    if (accessFields != null) {
      f = f.with(accessFields.entitlementField(), JsonShape.WHOLE); // any of its shapes, as the request holds it
      if (!accessFields.forWhomField().isEmpty()) f = f.with(accessFields.forWhomField(), USER);
    }
    return JsonShape.of("key").with("fields", f);
  }

  public ServiceIssue map(JsonNode issue) {
    JsonNode f = issue.path("fields");
    String requestType = fields.requestType().isEmpty() ? ""
        : f.path(fields.requestType()).path("requestType").path("name").asText("");
    String issueType = f.path("issuetype").path("name").asText("");
    Set<String> labels = new LinkedHashSet<>();
    f.path("labels").forEach(l -> labels.add(share(l.asText())));
    IssueKind kind = kindOf(requestType, issueType);
    AccountRef reporter = share(account(f.path("reporter")));
    return ServiceIssue.builder(issue.path("key").asText())
        .kind(kind)
        .access(kind == IssueKind.ACCESS_REQUEST && accessFields != null ? accessFields.read(f, reporter, entitlementObjects) : null)
        .resolved(resolved(f))
        .requestType(share(requestType.isEmpty() ? issueType : requestType))
        .summary(f.path("summary").asText(""))
        .description(Adf.text(f.path("description")))
        .status(share(f.path("status").path("name").asText("")))
        .reporter(reporter)
        .assignee(share(account(f.path("assignee"))))
        .affectedCis(affectedCis(f.path(fields.affectedCis())))
        .securityLevel(share(f.path("security").path("name").asText("")))
        .labels(labels)
        .created(JiraTime.parse(f.path("created")))
        .updated(JiraTime.parse(f.path("updated")))
        .organizations(organizations(fields.organizations().isEmpty() ? null : f.path(fields.organizations())))
        .build();
  }

  /** Jira's resolution date; when only the resolution was read, resolved is known but not when: the last update. */
  private static java.time.Instant resolved(JsonNode f) {
    java.time.Instant at = JiraTime.parse(f.path("resolutiondate"));
    if (at != null) return at;
    JsonNode resolution = f.path("resolution");
    return resolution.isObject() ? JiraTime.parse(f.path("updated")) : null;
  }

  private <T> T share(T value) {
    return shared.of(value);
  }

  IssueKind kindOf(String requestType, String issueType) {
    IssueKind k = named(requestType);
    if (k == null) k = named(issueType);
    return k == null ? IssueKind.OTHER : k;
  }

  /** Distinct request and issue type names remembered at most (a bound for unusual sites, not a cache to tune). */
  private static final int NAMES = 1_000;
  /** Request or issue type name as read → its kind (empty: none), so that each issue costs a lookup, not two case changes. */
  private final Map<String, java.util.Optional<IssueKind>> kindByName = new java.util.concurrent.ConcurrentHashMap<>();

  /** The kind a request or issue type name maps to (ignoring case), or null. */
  private IssueKind named(String name) {
    java.util.Optional<IssueKind> k = kindByName.get(name);
    if (k == null) {
      String id = kinds.get(name.toLowerCase(Locale.ROOT));
      k = java.util.Optional.ofNullable(id == null ? null : IssueKind.valueOf(id.toUpperCase(Locale.ROOT)));
      if (kindByName.size() < NAMES) kindByName.put(name, k);
    }
    return k.orElse(null);
  }

  /** A Jira user: Cloud gives accountId, Data Center key and name; the email may be hidden by privacy settings. */
  public static AccountRef account(JsonNode u) {
    if (u == null || u.isMissingNode() || u.isNull()) return null;
    String id = u.path("accountId").asText(u.path("key").asText(u.path("name").asText("")));
    return new AccountRef(id, u.path("emailAddress").asText(""), u.path("displayName").asText(null));
  }

  /** The names in JSM's Organizations field ({@code [{id, name, _links}]}). */
  private Set<String> organizations(JsonNode value) {
    Set<String> names = new LinkedHashSet<>();
    if (value == null || !value.isArray()) return names;
    for (JsonNode o : value) {
      String name = o.path("name").asText("");
      if (!name.isEmpty()) names.add(share(name));
    }
    return names;
  }

  private List<String> affectedCis(JsonNode value) {
    List<String> keys = new ArrayList<>();
    if (!value.isArray()) return keys;
    for (JsonNode ref : value) {
      String key = ref.path("objectKey").asText(ref.path("key").asText(""));
      if (key.isEmpty()) key = ciKeysById.getOrDefault(ref.path("objectId").asText(ref.path("id").asText("")), "");
      if (!key.isEmpty()) keys.add(share(key));
    }
    return keys;
  }
}
