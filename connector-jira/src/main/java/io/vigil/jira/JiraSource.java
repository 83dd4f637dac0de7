package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Approval;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.ClassificationScheme;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.ConnectionStatus.State;
import io.vigil.core.spi.Source;
import io.vigil.jira.internal.ApprovalField;
import io.vigil.jira.internal.ApprovalReader;
import io.vigil.jira.internal.AssetsReader;
import io.vigil.jira.internal.CiDigest;
import io.vigil.jira.internal.EntitlementObjects;
import io.vigil.jira.internal.AccessRequestFields;
import io.vigil.jira.internal.Fields;
import io.vigil.jira.internal.IssueMapper;
import io.vigil.jira.internal.IssueSearch;
import io.vigil.jira.internal.JiraException;
import io.vigil.jira.internal.JiraTime;
import io.vigil.jira.internal.Shared;
import io.vigil.jira.internal.Site;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Reads the service desk: every CI from Assets (always in full, as checks of any issue need them), and the
 * projects' issues — in full, or incrementally from the cursor with an overlap window, skipping what the
 * last read already delivered unchanged — with the approvals of changes and requests, taken from JSM's Approvals
 * field in the search pages and read per request only where that field is missing or incomplete. Thread-safe.
 *
 * <p>The cursor is {@code {"since": <run start>, "recent": {key: updated}, "cis": {ci key: digest}}}: the next
 * incremental read asks for {@code updated >= since - overlap}, so an issue edited while a run was reading is read
 * again next time; and since every CI is read on every run, the CIs whose digest changed (a reclassification, a new
 * owner, a new dependency) are known, and the issues referencing them are read again — one search per
 * {@value #CI_BATCH} such CIs — so a CI raised to confidential makes its unchanged incidents security incidents.
 * Where access requests name their entitlement as Assets objects, the cursor also keeps the requests still waiting
 * with the objects they name ({@code accessPending}) and a digest of what each object maps to ({@code accessObjects}):
 * each incremental read reads those objects again, in batches, and reads again the waiting requests whose object
 * changed, so a request is judged anew when the access role it names changes.
 */
public final class JiraSource implements Source, io.vigil.core.spi.IssueEvents, io.vigil.core.spi.WebhookRegistration {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The permissions reading needs in each service desk project. */
  static final List<String> READ_PERMISSIONS = List.of("BROWSE_PROJECTS");
  /** The permissions flagging needs in each service desk project. */
  static final List<String> FLAG_PERMISSIONS = List.of("EDIT_ISSUES", "ADD_COMMENTS", "SET_ISSUE_SECURITY");
  /** What keeping the what-if comment on access requests up to date needs besides flagging: editing it in place. */
  static final List<String> WHAT_IF_PERMISSIONS = List.of("EDIT_OWN_COMMENTS");
  /** The permissions compliance tickets need in the compliance project. */
  static final List<String> TICKET_PERMISSIONS = List.of("BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES",
      "ADD_COMMENTS", "TRANSITION_ISSUES", "LINK_ISSUES", "ADMINISTER_PROJECTS");
  /** CIs looked up per search when their change sends the issues referencing them back through the checks. */
  static final int CI_BATCH = 50;
  static final Set<IssueKind> WITH_APPROVALS = EnumSet.of(IssueKind.CHANGE, IssueKind.ACCESS_REQUEST, IssueKind.SERVICE_REQUEST);

  private final String name;
  private final Site site;
  private final JiraSettings settings;
  private final int ciBatch;
  /**
   * Every access request (with its approvals) as this source's reads in this process delivered it, up to the read
   * that started at {@code since}: what a read asked to reuse its last read adds to the requests it read again.
   */
  private volatile KnownRequests known;

  private record KnownRequests(Instant since, Map<String, ServiceIssue> byKey) {}

  public JiraSource(String name, Site site) {
    this(name, site, CI_BATCH);
  }

  /** @param ciBatch changed CIs per search for the issues referencing them (tests make it small) */
  JiraSource(String name, Site site, int ciBatch) {
    this.name = name;
    this.site = site;
    this.settings = site.settings();
    this.ciBatch = ciBatch;
  }

  @Override
  public String name() {
    return name;
  }

  /** The site this source reads (its HTTP statistics, for tests and benchmarks). */
  public Site site() {
    return site;
  }

  @Override
  public Set<SubjectKind> provides() {
    return EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE);
  }

  @Override
  public ConnectionStatus check() {
    String where = "Jira at " + settings.url();
    try {
      site.http().get(settings.api() + "/myself");
    } catch (JiraException e) {
      if (e.status() == 401) {
        return ConnectionStatus.failed(State.UNAUTHENTICATED, where + " rejected the credentials"
            + (settings.cloud() ? " of " + settings.auth().email() + " (check the API token)" : " (check the personal access token)"));
      }
      if (e.status() == 0) return ConnectionStatus.failed(State.UNREACHABLE, where + " is unreachable: " + e.getMessage());
      return ConnectionStatus.failed(State.ERROR, where + ": " + e.getMessage());
    }
    List<String> missing = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try {
      for (String project : settings.projects()) {
        List<String> needed = concat(READ_PERMISSIONS, FLAG_PERMISSIONS);
        if (settings.accessRequests() != null) needed.addAll(WHAT_IF_PERMISSIONS);
        missing.addAll(missing(project, needed));
      }
      if (settings.complianceProject() != null && !settings.complianceProject().isBlank()) {
        missing.addAll(missing(settings.complianceProject(), TICKET_PERMISSIONS));
      }
    } catch (JiraException e) {
      return ConnectionStatus.failed(State.ERROR, where + ": cannot read permissions: " + e.getMessage());
    }
    if (settings.assets().enabled()) {
      try {
        site.assets();
      } catch (JiraException e) {
        warnings.add("Assets is not readable, so no CIs will be read: " + e.getMessage());
      }
      try {
        JsonNode fieldList = site.http().get(settings.api() + "/field");
        AccessRequestFields accessFields = null;
        if (settings.accessRequests() != null) {
          try {
            accessFields = AccessRequestFields.resolve(fieldList, settings.accessRequests());
          } catch (JiraException e) {
            warnings.add("access requests cannot be read: " + e.getMessage());
          }
        }
        Fields fields = Fields.resolve(fieldList, settings.affectedCisField(), entitlementAssetsField(accessFields));
        if (fields.affectedCis().isEmpty()) {
          warnings.add("no issue field holds Assets objects, so no issue can be linked to the CIs it affects (checks"
              + " reading those links are held back); add the Assets field to the projects' screens, or name it in"
              + " affectedCisField");
        }
      } catch (JiraException e) {
        warnings.add("the affected-CIs field cannot be found: " + e.getMessage());
      }
    }
    if (!missing.isEmpty()) {
      return new ConnectionStatus(State.PERMISSIONS_MISSING, where + ": the account lacks " + String.join(", ", missing)
          + "; grant them in the projects' permission schemes", missing, warnings);
    }
    return ConnectionStatus.ok(where + ": signed in, every permission granted", warnings);
  }

  private List<String> missing(String project, List<String> permissions) throws JiraException {
    JsonNode answer = site.http().get(settings.api() + "/mypermissions?projectKey=" + project + "&permissions="
        + String.join(",", permissions));
    List<String> missing = new ArrayList<>();
    for (String p : permissions) {
      if (!answer.path("permissions").path(p).path("havePermission").asBoolean(false)) missing.add(p + " in " + project);
    }
    return missing;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink target) throws CollectException {
    if (request.scope() != null) return collectScope(request, target);
    long callsBefore = site.calls();
    long retriesBefore = site.retries();
    List<String> warnings = new ArrayList<>();
    Cursor given = request.full() ? null : Cursor.parse(request.cursor());
    // the access requests known from earlier reads hold for this one if its cursor is no newer than the read they
    // reflect: everything updated since is read again now
    KnownRequests before = known;
    boolean merges = given != null && before != null && !given.since().isAfter(before.since());
    // asked for every access request with none known (a restart): read everything, as a full read does
    Cursor cursor = request.reuseLastRead() && !merges ? null : given;
    // asked for every access request with them known: only those changed since are read (see followUp)
    if (request.reuseLastRead() && merges) return followUp(request, target, before);
    Map<String, ServiceIssue> reread = new ConcurrentHashMap<>();
    InventorySink sink = new Capturing(target, reread);
    try {
      boolean readNow = cursor == null; // a full read reads the site's facts again
      ZoneId zone = site.jqlZone(readNow);
      Resolved resolved = resolveFields(readNow);
      AccessRequestFields accessFields = resolved.access();
      Fields fields = resolved.fields();
      EntitlementObjects objects = accessFields != null && accessFields.assets()
          ? new EntitlementObjects(accessFields.entitlementAttribute()) : null;
      if (fields.affectedCis().isEmpty()) {
        warnings.add("no Assets objects field on issues: issues affect no CI");
        // with Assets read, the links are expected: without them every issue would look as if it touched no CI,
        // and findings that follow issues to CIs would resolve; the run holds those checks back instead
        if (settings.assets().enabled()) {
          sink.incomplete(io.vigil.core.inventory.InventoryPart.AFFECTED_CIS, "the field list names no Assets objects"
              + " field" + (settings.affectedCisField() == null || settings.affectedCisField().isBlank() ? ""
                  : " '" + settings.affectedCisField() + "'") + ", so no issue could be linked to the CIs it affects");
        }
      }
      AtomicLong items = new AtomicLong();
      Map<String, String> ciKeysById = new HashMap<>();
      Map<String, String> digests = null; // null: no CIs read, so none can be compared next time
      if (settings.assets().enabled()) {
        JiraSettings.Assets a = settings.assets();
        AssetsReader assets = new AssetsReader(site.assets(), settings.cloud(), classificationAttributes(request),
            a.ownerAttribute(), a.dependsOnAttributes(), a.dependedOnByAttributes(), Math.min(settings.pageSize(), 100),
            settings.maxConcurrency());
        Map<String, String> read = new LinkedHashMap<>();
        Map<String, io.vigil.core.model.ConfigurationItem> cisByKey = new HashMap<>();
        assets.read(a.aql(), ci -> {
          sink.addCi(ci);
          read.put(ci.key(), CiDigest.of(ci));
          if (objects != null) cisByKey.put(ci.key(), ci);
          items.incrementAndGet();
        });
        digests = read;
        ciKeysById.putAll(assets.keysById());
        if (objects != null) objects.reuse(assets.keysById(), cisByKey); // entitlement objects among the CIs: not read again
        sink.complete(SubjectKind.CI);
        if (!assets.ignoredReferenceAttributes().isEmpty()) {
          warnings.add("Assets reference attributes " + String.join(", ", assets.ignoredReferenceAttributes())
              + " are in neither assets.dependsOnAttributes nor assets.dependedOnByAttributes, so their references are"
              + " ignored; add each to the list of its direction");
        }
      }
      customerCis(request, sink, warnings);
      Shared shared = new Shared();
      IssueMapper mapper = new IssueMapper(fields, settings.kinds(), ciKeysById, shared, accessFields, objects);
      // access requests naming Assets objects wait until their objects are read (in batches), then are delivered
      Map<String, JsonNode> held = new ConcurrentHashMap<>();
      Map<String, List<String>> carried = new ConcurrentHashMap<>(cursor == null ? Map.of() : cursor.accessPending());
      List<String> requested = resolved.requested();
      Approvals approvals = new Approvals(new ApprovalField(fields.approvals(), shared), new ApprovalReader(site.http(), shared));
      Instant since = cursor == null ? null : cursor.since().minus(Duration.ofMinutes(settings.overlapMinutes()));
      String condition = settings.jql();
      if (since != null) {
        condition = (condition.isEmpty() ? "" : "(" + condition + ") AND ") + "updated >= " + JiraTime.jql(since, zone);
      }
      Instant windowStart = request.startedAt().minus(Duration.ofMinutes(settings.overlapMinutes()));
      Map<String, String> recent = new ConcurrentHashMap<>();
      Set<String> delivered = ConcurrentHashMap.newKeySet();
      List<JiraException> failures = new ArrayList<>();
      IssueSearch search = new IssueSearch(site.http(), settings.cloud(), settings.pageSize(), settings.maxConcurrency(),
          settings.searchWindow()).keeping(mapper.shape()); // only what is read of each issue is built
      search.readProjects(settings.projects(), condition, requested, json -> {
        ServiceIssue issue = mapper.map(json);
        boolean inWindow = issue.updated() != null && !issue.updated().isBefore(windowStart);
        // the text form only where it is kept or compared: a full read's older issues need neither
        String updated = inWindow || cursor != null ? String.valueOf(issue.updated()) : null;
        if (inWindow) recent.put(issue.key(), updated);
        if (cursor != null && updated.equals(cursor.recent().get(issue.key()))) return; // delivered unchanged last time
        if (hold(issue, json, accessFields, objects, held, carried)) return;
        deliver(issue, json, approvals, sink, delivered, items, failures);
      });
      if (!failures.isEmpty()) throw failures.get(0);
      if (cursor != null && cursor.cis() != null && digests != null && !fields.affectedCis().isEmpty()) {
        List<String> changed = CiDigest.changed(cursor.cis(), digests);
        for (int from = 0; from < changed.size(); from += ciBatch) {
          String jql = referencingCis(fields, changed.subList(from, Math.min(changed.size(), from + ciBatch)));
          search.read(jql, requested, json -> {
            ServiceIssue issue = mapper.map(json);
            if (issue.updated() != null && !issue.updated().isBefore(windowStart)) {
              recent.put(issue.key(), String.valueOf(issue.updated()));
            }
            if (delivered.contains(issue.key()) || held.containsKey(issue.key())) return;
            if (!hold(issue, json, accessFields, objects, held, carried)) deliver(issue, json, approvals, sink, delivered, items, failures);
          });
          if (!failures.isEmpty()) throw failures.get(0);
        }
      }
      Map<String, List<String>> pending = Map.of();
      Map<String, String> objectDigests = null;
      if (objects != null) {
        String base = projectsClause() + (settings.jql().isEmpty() ? "" : " AND (" + settings.jql() + ")");
        pending = deliverHeld(cursor, base, requested, search, accessFields, objects, mapper, held, carried, approvals,
            sink, delivered, items, failures);
        objectDigests = new java.util.TreeMap<>();
        for (List<String> refs : pending.values()) {
          for (String r : refs) objectDigests.put(r, objects.digest(EntitlementObjects.Ref.of(r)));
        }
      }
      if (request.full()) sink.complete(SubjectKind.ISSUE);
      Map<String, ServiceIssue> requests = new HashMap<>();
      if (cursor != null && merges) requests.putAll(before.byKey());
      reread.forEach((key, issue) -> {
        if (issue.access() != null) requests.put(key, issue);
        else requests.remove(key); // no longer an access request
      });
      if (request.reuseLastRead() && cursor != null) {
        // asked for every access request: those not read again now are as the earlier reads delivered them
        for (ServiceIssue issue : new java.util.TreeMap<>(requests).values()) {
          if (reread.containsKey(issue.key())) continue;
          target.addIssue(issue);
          items.incrementAndGet();
        }
      }
      known = cursor == null || merges ? new KnownRequests(request.startedAt(), Map.copyOf(requests)) : null;
      return new CollectResult(new Cursor(request.startedAt(), recent, digests, pending, objectDigests).json(), items.get(),
          site.calls() - callsBefore, warnings, site.retries() - retriesBefore);
    } catch (JiraException e) {
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // the sink refused an item, or an answer could not be mapped: a failed read like any other, so the run
      // discards what this one delivered and keeps the old cursor
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + " stopped: " + e, e);
    }
  }

  /** The fields a read uses: the platform's and JSM's, and the access requests' (null when none are configured). */
  private record Resolved(Fields fields, AccessRequestFields access) {
    /** The issue fields a search asks for: the platform's and JSM's, then the access requests' not among them. */
    List<String> requested() {
      List<String> out = new ArrayList<>(fields.requested());
      if (access != null) access.requested().stream().filter(r -> !out.contains(r)).forEach(out::add);
      return out;
    }
  }

  /**
   * Resolves the fields from the site's field list as kept for the process ({@link Site#FACTS_MAX_AGE}), or read now;
   * a configured field missing from a kept list is looked for again in a list read now, so the clear error about a
   * missing field only ever comes from the site as it is.
   */
  private Resolved resolveFields(boolean readNow) throws JiraException {
    try {
      return resolve(site.fieldList(readNow));
    } catch (JiraException e) {
      if (readNow) throw e;
      return resolve(site.fieldList(true));
    }
  }

  private Resolved resolve(JsonNode fieldList) throws JiraException {
    AccessRequestFields accessFields = settings.accessRequests() == null ? null
        : AccessRequestFields.resolve(fieldList, settings.accessRequests());
    return new Resolved(Fields.resolve(fieldList, settings.affectedCisField(), entitlementAssetsField(accessFields)),
        accessFields);
  }

  /**
   * The Keycloak poll's follow-up read, with the access requests known from this process's earlier reads: it needs
   * the access requests and their approvals only. One search over the configured projects for what changed since the
   * read the known requests reflect (with the overlap window); issues that are not access requests are skipped, as are
   * requests unchanged since they were known; Assets is read only for the objects the requests read again name (where
   * entitlements map from Assets objects), and for the customers' AQL queries only where a customer lists an
   * access-governance requirement. Every known request not read again is delivered as known. The cursor is left as it
   * was (null): the next ordinary read still reads every issue changed since it, CIs included.
   */
  private CollectResult followUp(CollectRequest request, InventorySink target, KnownRequests before)
      throws CollectException {
    long callsBefore = site.calls();
    long retriesBefore = site.retries();
    List<String> warnings = new ArrayList<>();
    try {
      Map<String, ServiceIssue> requests = new HashMap<>(before.byKey());
      Map<String, ServiceIssue> reread = new ConcurrentHashMap<>();
      AtomicLong items = new AtomicLong();
      if (settings.accessRequests() != null) {
        ZoneId zone = site.jqlZone(false);
        Resolved resolved = resolveFields(false);
        AccessRequestFields accessFields = resolved.access();
        Fields fields = resolved.fields();
        if (request.policy() != null && !request.policy().accessGovernance().isEmpty()) {
          Set<String> rules = request.policy().accessGovernance().stream().map(io.vigil.core.policy.AccessGovernanceRule::id)
              .collect(Collectors.toSet());
          if (request.policy().customers().stream().anyMatch(c -> c.requirements().stream().anyMatch(rules::contains))) {
            customerCis(request, target, warnings); // a customer's access-governance rules hold within its scope
          }
        }
        EntitlementObjects objects = accessFields.assets() ? new EntitlementObjects(accessFields.entitlementAttribute()) : null;
        IssueMapper mapper = new IssueMapper(fields, settings.kinds(), Map.of(), new Shared(), accessFields, objects);
        List<String> requested = resolved.requested();
        Instant since = before.since().minus(Duration.ofMinutes(settings.overlapMinutes()));
        String condition = projectsClause() + (settings.jql().isEmpty() ? "" : " AND (" + settings.jql() + ")")
            + " AND updated >= " + JiraTime.jql(since, zone);
        List<JsonNode> changed = new ArrayList<>();
        Set<String> notRequests = ConcurrentHashMap.newKeySet();
        new IssueSearch(site.http(), settings.cloud(), settings.pageSize(), 1, settings.searchWindow())
            .keeping(mapper.shape()).read(condition, requested, json -> {
              ServiceIssue issue = mapper.map(json);
              ServiceIssue known = before.byKey().get(issue.key());
              if (issue.kind() != IssueKind.ACCESS_REQUEST) {
                notRequests.add(issue.key());
              } else if (known == null || !java.util.Objects.equals(known.updated(), issue.updated())) {
                synchronized (changed) {
                  changed.add(json);
                }
              }
            });
        if (objects != null) {
          List<EntitlementObjects.Ref> refs = new ArrayList<>();
          changed.forEach(j -> refs.addAll(accessFields.objectRefs(j.path("fields"))));
          objects.read(refs, () -> new AssetsReader(site.assets(), settings.cloud(), Map.of(),
              settings.assets().ownerAttribute(), List.of(), List.of(), EntitlementObjects.BATCH, 1));
        }
        Approvals approvals = new Approvals(new ApprovalField(fields.approvals(), new Shared()),
            new ApprovalReader(site.http(), new Shared()));
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        List<JiraException> failures = new ArrayList<>();
        InventorySink sink = new Capturing(target, reread);
        for (JsonNode json : changed) deliver(mapper.map(json), json, approvals, sink, delivered, items, failures);
        if (!failures.isEmpty()) throw failures.get(0);
        notRequests.forEach(requests::remove); // no longer an access request
        requests.putAll(reread);
      }
      for (ServiceIssue issue : new java.util.TreeMap<>(requests).values()) {
        if (reread.containsKey(issue.key())) continue; // delivered as read now
        target.addIssue(issue);
        items.incrementAndGet();
      }
      known = new KnownRequests(request.startedAt(), Map.copyOf(requests));
      return new CollectResult(null, items.get(), site.calls() - callsBefore, warnings, site.retries() - retriesBefore);
    } catch (JiraException e) {
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + " stopped: " + e, e);
    }
  }

  /** A sink that also keeps each issue handed to it, by key. */
  private static final class Capturing implements InventorySink {
    private final InventorySink sink;
    private final Map<String, ServiceIssue> issues;

    Capturing(InventorySink sink, Map<String, ServiceIssue> issues) {
      this.sink = sink;
      this.issues = issues;
    }

    @Override public void addCi(io.vigil.core.model.ConfigurationItem ci) { sink.addCi(ci); }
    @Override public void addIssue(ServiceIssue issue) {
      sink.addIssue(issue);
      issues.put(issue.key(), issue);
    }
    @Override public void addIdentity(io.vigil.core.model.Identity identity) { sink.addIdentity(identity); }
    @Override public void addGrant(io.vigil.core.model.Grant grant) { sink.addGrant(grant); }
    @Override public void addGrantEvent(io.vigil.core.model.GrantEvent event) { sink.addGrantEvent(event); }
    @Override public void addImplication(io.vigil.core.model.Implication implication) { sink.addImplication(implication); }
    @Override public void entitlementsExist(java.util.Collection<io.vigil.core.model.Entitlement> e) { sink.entitlementsExist(e); }
    @Override public void complete(SubjectKind kind) { sink.complete(kind); }
    @Override public void activityUntracked(String reason) { sink.activityUntracked(reason); }
    @Override public void incomplete(io.vigil.core.inventory.InventoryPart part, String reason) { sink.incomplete(part, reason); }
    @Override public void addCustomerCis(String customerId, java.util.Collection<String> ciKeys) {
      sink.addCustomerCis(customerId, ciKeys);
    }
  }

  /** The access requests' entitlement field when it holds Assets objects (never the affected-CIs field); else empty. */
  private static String entitlementAssetsField(AccessRequestFields accessFields) {
    return accessFields != null && accessFields.assets() ? accessFields.entitlementField() : "";
  }

  /**
   * Holds back an access request whose entitlement field names Assets objects, to be delivered once the objects are
   * read; true if held. Any request read again is no longer carried over from the last cursor.
   */
  private static boolean hold(ServiceIssue issue, JsonNode json, AccessRequestFields accessFields,
      EntitlementObjects objects, Map<String, JsonNode> held, Map<String, List<String>> carried) {
    if (objects == null) return false;
    carried.remove(issue.key());
    if (issue.kind() != IssueKind.ACCESS_REQUEST || accessFields.objectRefs(json.path("fields")).isEmpty()) return false;
    held.put(issue.key(), json);
    return true;
  }

  /**
   * Reads the Assets objects the held requests name — and those named by the requests still waiting as of the last
   * read — in batches, reads again (one search per {@code ciBatch} keys) the waiting requests whose objects changed
   * since, and delivers every held request with its objects mapped to entitlements.
   *
   * @return the requests still waiting for a decision (not resolved), each with the objects it names, for the cursor
   */
  private Map<String, List<String>> deliverHeld(Cursor cursor, String base, List<String> requested, IssueSearch search,
      AccessRequestFields accessFields, EntitlementObjects objects, IssueMapper mapper, Map<String, JsonNode> held,
      Map<String, List<String>> carried, Approvals approvals, InventorySink sink, Set<String> delivered, AtomicLong items,
      List<JiraException> failures) throws JiraException {
    List<EntitlementObjects.Ref> refs = new ArrayList<>();
    held.values().forEach(j -> refs.addAll(accessFields.objectRefs(j.path("fields"))));
    carried.values().forEach(list -> list.forEach(r -> refs.add(EntitlementObjects.Ref.of(r))));
    EntitlementObjects.AssetsReaderFactory reader = () -> new AssetsReader(site.assets(), settings.cloud(), Map.of(),
        settings.assets().ownerAttribute(), List.of(), List.of(), EntitlementObjects.BATCH, 1);
    objects.read(refs, reader);
    if (cursor != null && cursor.accessObjects() != null) {
      List<String> changed = new ArrayList<>();
      carried.forEach((key, list) -> {
        for (String r : list) {
          if (!objects.digest(EntitlementObjects.Ref.of(r)).equals(cursor.accessObjects().get(r))) {
            changed.add(key);
            return;
          }
        }
      });
      java.util.Collections.sort(changed);
      for (int from = 0; from < changed.size(); from += ciBatch) {
        List<String> keys = changed.subList(from, Math.min(changed.size(), from + ciBatch));
        for (String key : keys) carried.remove(key); // read again below, or gone
        List<JsonNode> found = new ArrayList<>();
        readKeys(search, base, keys, requested, found, null);
        for (JsonNode json : found) {
          ServiceIssue issue = mapper.map(json);
          if (delivered.contains(issue.key()) || held.containsKey(issue.key())) continue;
          if (!hold(issue, json, accessFields, objects, held, carried)) deliver(issue, json, approvals, sink, delivered, items, failures);
        }
      }
      List<EntitlementObjects.Ref> more = new ArrayList<>();
      held.values().forEach(j -> more.addAll(accessFields.objectRefs(j.path("fields"))));
      objects.read(more, reader); // only those not read yet
    }
    Map<String, List<String>> pending = new java.util.TreeMap<>(carried);
    for (JsonNode json : held.values()) {
      ServiceIssue issue = mapper.map(json);
      deliver(issue, json, approvals, sink, delivered, items, failures);
      if (issue.resolved() == null) {
        pending.put(issue.key(), accessFields.objectRefs(json.path("fields")).stream().map(EntitlementObjects.Ref::lookup).toList());
      }
    }
    if (!failures.isEmpty()) throw failures.get(0);
    return pending;
  }

  /**
   * The issues with these keys, in one search. JQL refuses the whole query when one key does not exist (deleted or
   * moved since): then each is asked for alone — unless it was the only one, whose refusal already said so — skipping
   * those gone, each told to {@code warnings} when given (null: nothing said).
   */
  private static void readKeys(IssueSearch search, String base, List<String> keys, List<String> requested,
      List<JsonNode> found, List<String> warnings) throws JiraException {
    try {
      search.read(base + " AND key IN (" + String.join(", ", keys.stream().map(IssueSearch::quote).toList()) + ")",
          requested, j -> {
            synchronized (found) {
              found.add(j);
            }
          });
    } catch (JiraException e) {
      if (e.status() != 400) throw e;
      found.clear();
      if (keys.size() == 1) return;
      for (String key : keys) {
        try {
          search.read(base + " AND key = " + IssueSearch.quote(key), requested, found::add);
        } catch (JiraException one) {
          if (one.status() != 400) throw one;
          if (warnings != null) warnings.add("issue " + key + " is not readable any more (deleted or moved?); skipped");
        }
      }
    }
  }

  /** Vigil's webhook, through Jira's admin webhook API (see {@link io.vigil.jira.internal.AdminWebhooks}). */
  @Override
  public Registered register(String url, io.vigil.core.spi.Secret secret) throws CollectException {
    try {
      return new io.vigil.jira.internal.AdminWebhooks(site.http(), settings.projects()).register(url, secret);
    } catch (JiraException e) {
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + ": registering Vigil's webhook: "
          + e.getMessage() + io.vigil.jira.internal.AdminWebhooks.hint(e.status()), e);
    }
  }

  @Override
  public ConnectionStatus checkRegistration() {
    return io.vigil.jira.internal.AdminWebhooks.status(site, name);
  }

  @Override
  public Set<String> projects() {
    return Set.copyOf(settings.projects());
  }

  /**
   * One search, {@code project IN (…) AND updated >= -Nm} (with the configured condition), asking for nothing but
   * each issue's key and updated time. Minutes are JQL's smallest relative unit, so the window is rounded up.
   */
  @Override
  public List<Changed> changedWithin(Duration window) throws CollectException {
    long minutes = Math.max(1, (window.toSeconds() + 59) / 60);
    String condition = projectsClause() + (settings.jql().isEmpty() ? "" : " AND (" + settings.jql() + ")")
        + " AND updated >= -" + minutes + "m";
    List<Changed> changed = new ArrayList<>();
    try {
      new IssueSearch(site.http(), settings.cloud(), settings.pageSize(), 1, settings.searchWindow())
          .read(condition, List.of("updated"), json -> {
            synchronized (changed) {
              changed.add(new Changed(json.path("key").asText(), JiraTime.parse(json.path("fields").path("updated"))));
            }
          });
    } catch (JiraException e) {
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + ": polling for changed issues: "
          + e.getMessage(), e);
    }
    return changed;
  }

  private String projectsClause() {
    return "project IN (" + settings.projects().stream().map(IssueSearch::quote).collect(Collectors.joining(", ")) + ")";
  }

  /**
   * An event run's read: only the scope's issues of the configured projects ({@code key IN (…)}, one search), their
   * approvals, and only the CIs they affect (one AQL search by object id and key within the configured {@code aql}).
   * Nothing is declared complete and the cursor is left as it was (a null cursor): this read says nothing about the
   * issues and CIs it did not ask for. A key Jira does not know (deleted since the event) is skipped.
   */
  private CollectResult collectScope(CollectRequest request, InventorySink sink) throws CollectException {
    long callsBefore = site.calls();
    long retriesBefore = site.retries();
    List<String> warnings = new ArrayList<>();
    try {
      Resolved resolved = resolveFields(false);
      AccessRequestFields accessFields = resolved.access();
      Fields fields = resolved.fields();
      List<String> requested = resolved.requested();
      IssueSearch search = new IssueSearch(site.http(), settings.cloud(), settings.pageSize(), 1, settings.searchWindow());
      List<String> keys = new ArrayList<>(new java.util.TreeSet<>(request.scope().issueKeys()));
      List<JsonNode> found = new ArrayList<>();
      String base = projectsClause() + (settings.jql().isEmpty() ? "" : " AND (" + settings.jql() + ")");
      readKeys(search, base, keys, requested, found, warnings);
      Map<String, String> ciKeysById = new HashMap<>();
      AtomicLong items = new AtomicLong();
      if (settings.assets().enabled() && !fields.affectedCis().isEmpty()) {
        Set<String> ids = new java.util.TreeSet<>();
        Set<String> ciKeys = new java.util.TreeSet<>();
        for (JsonNode issue : found) {
          for (JsonNode ref : issue.path("fields").path(fields.affectedCis())) {
            String key = ref.path("objectKey").asText(ref.path("key").asText(""));
            if (!key.isEmpty()) ciKeys.add(key);
            String id = ref.path("objectId").asText("");
            if (!id.isEmpty()) ids.add(id);
          }
        }
        if (!ids.isEmpty() || !ciKeys.isEmpty()) {
          List<String> which = new ArrayList<>();
          if (!ids.isEmpty()) which.add("objectId IN (" + String.join(", ", ids) + ")");
          if (!ciKeys.isEmpty()) which.add("Key IN (" + String.join(", ", ciKeys.stream().map(IssueSearch::quote).toList()) + ")");
          JiraSettings.Assets a = settings.assets();
          AssetsReader assets = new AssetsReader(site.assets(), settings.cloud(), classificationAttributes(request),
              a.ownerAttribute(), a.dependsOnAttributes(), a.dependedOnByAttributes(), Math.min(settings.pageSize(), 100),
              1);
          String aql = (a.aql() == null || a.aql().isBlank() ? "" : "(" + a.aql() + ") AND ") + "(" + String.join(" OR ", which) + ")";
          assets.read(aql, ci -> {
            sink.addCi(ci);
            items.incrementAndGet();
          });
          ciKeysById.putAll(assets.keysById());
        }
      }
      Shared shared = new Shared();
      EntitlementObjects objects = accessFields != null && accessFields.assets()
          ? new EntitlementObjects(accessFields.entitlementAttribute()) : null;
      if (objects != null) {
        List<EntitlementObjects.Ref> refs = new ArrayList<>();
        found.forEach(j -> refs.addAll(accessFields.objectRefs(j.path("fields"))));
        objects.read(refs, () -> new AssetsReader(site.assets(), settings.cloud(), Map.of(),
            settings.assets().ownerAttribute(), List.of(), List.of(), EntitlementObjects.BATCH, 1));
      }
      IssueMapper mapper = new IssueMapper(fields, settings.kinds(), ciKeysById, shared, accessFields, objects);
      Approvals approvals = new Approvals(new ApprovalField(fields.approvals(), shared), new ApprovalReader(site.http(), shared));
      Set<String> delivered = ConcurrentHashMap.newKeySet();
      List<JiraException> failures = new ArrayList<>();
      for (JsonNode json : found) deliver(mapper.map(json), json, approvals, sink, delivered, items, failures);
      if (!failures.isEmpty()) throw failures.get(0);
      return new CollectResult(null, items.get(), site.calls() - callsBefore, warnings, site.retries() - retriesBefore);
    } catch (JiraException e) {
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + " (" + request.scope().describe()
          + "): " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CollectException("Jira source '" + name + "' at " + settings.url() + " (" + request.scope().describe()
          + ") stopped: " + e, e);
    }
  }

  /**
   * Runs each customer's AQL query (customers whose CIs the policy selects by AQL), once per customer, through the
   * Assets API the CIs are read with, and records which CIs serve the customer. Without Assets, the queries cannot run:
   * that is a warning, and those customers' scopes hold no CIs of this source. A query Assets refuses (400) is a
   * warning too, and the CIs count as read only partly, so the checks reading them are held back until it is fixed.
   */
  private void customerCis(CollectRequest request, InventorySink sink, List<String> warnings) throws JiraException {
    if (request.policy() == null) return;
    List<io.vigil.core.policy.Customer> byAql = request.policy().customers().stream()
        .filter(c -> c.cis().byAql()).toList();
    if (byAql.isEmpty()) return;
    if (!settings.assets().enabled()) {
      warnings.add("customers " + byAql.stream().map(io.vigil.core.policy.Customer::id).toList() + " select their CIs"
          + " by AQL, but Assets is not enabled for this source: their scopes hold no CIs");
      return;
    }
    JiraSettings.Assets a = settings.assets();
    for (io.vigil.core.policy.Customer c : byAql) {
      AssetsReader query = new AssetsReader(site.assets(), settings.cloud(), Map.of(), a.ownerAttribute(), List.of(),
          List.of(), Math.min(settings.pageSize(), 100), settings.maxConcurrency());
      List<String> keys = new ArrayList<>();
      try {
        query.read(c.cis().aql(), ci -> keys.add(ci.key()));
      } catch (JiraException e) {
        if (e.status() != 400) {
          throw new JiraException("customer " + c.id() + "'s AQL query \"" + c.cis().aql() + "\": " + e.getMessage(),
              e.status(), e);
        }
        // Assets refused the query itself (an unknown attribute, a syntax error): the rest of the read stands, but
        // which CIs serve the customer is unknown, so what depends on the CIs waits until the query is fixed
        String reason = "customer " + c.id() + "'s AQL query \"" + c.cis().aql() + "\" was refused: " + e.getMessage();
        warnings.add(reason + "; fix cis.aql in the policy");
        sink.incomplete(io.vigil.core.inventory.InventoryPart.CIS, reason);
        continue;
      }
      sink.addCustomerCis(c.id(), keys);
    }
  }

  /**
   * Where approvals come from: the Approvals field of the issue as the search returned it, or — where the site has no
   * such field, or the issue's value is missing or incomplete — the request approval endpoint, one request per issue.
   */
  private record Approvals(ApprovalField field, ApprovalReader endpoint) {
    List<Approval> of(ServiceIssue issue, JsonNode json) throws JiraException {
      Optional<List<Approval>> embedded = field.read(json);
      return embedded.isPresent() ? embedded.get() : endpoint.read(issue.key());
    }
  }

  /** Hands an issue to the sink with its approvals; a failure to read them is kept for the caller to throw. */
  private static void deliver(ServiceIssue issue, JsonNode json, Approvals approvals, InventorySink sink,
      Set<String> delivered, AtomicLong items, List<JiraException> failures) {
    if (WITH_APPROVALS.contains(issue.kind())) {
      try {
        issue = issue.withApprovals(approvals.of(issue, json));
      } catch (JiraException e) {
        synchronized (failures) {
          failures.add(e);
        }
        return;
      }
    }
    if (!delivered.add(issue.key())) return; // read twice in one run (an overlap of key ranges or of searches)
    sink.addIssue(issue);
    items.incrementAndGet();
  }

  /**
   * The projects' issues (within the configured condition) whose Assets field holds one of the CIs, as Jira Cloud and
   * Data Center's Assets JQL function takes it: {@code "Affected CIs" IN aqlFunction("Key IN (\"CMDB-1\")")}, by the
   * field's name (the function refuses {@code cf[id]}).
   */
  private String referencingCis(Fields fields, List<String> ciKeys) {
    String aql = "Key IN (" + ciKeys.stream().map(IssueSearch::quote).collect(Collectors.joining(", ")) + ")";
    String projects = "project IN (" + settings.projects().stream().map(IssueSearch::quote).collect(Collectors.joining(", ")) + ")";
    return projects + (settings.jql().isEmpty() ? "" : " AND (" + settings.jql() + ")")
        + " AND " + IssueSearch.quote(fields.affectedCisName()) + " IN aqlFunction(" + IssueSearch.quote(aql) + ")";
  }

  private static Map<Dimension, String> classificationAttributes(CollectRequest request) {
    return request.policy() == null ? Map.of()
        : request.policy().classificationScheme().map(ClassificationScheme::attributes).orElse(Map.of());
  }

  /**
   * Where the last read got to: when it started, the issues it read near that point with their updated time, and a
   * digest of every CI it read ({@code cis}; null when it read none, or was written before digests were kept).
   */
  record Cursor(Instant since, Map<String, String> recent, Map<String, String> cis,
      Map<String, List<String>> accessPending, Map<String, String> accessObjects) {
    Cursor(Instant since, Map<String, String> recent, Map<String, String> cis) {
      this(since, recent, cis, Map.of(), null);
    }

    static Cursor parse(String text) throws CollectException {
      if (text == null || text.isBlank()) return null;
      try {
        JsonNode n = JSON.readTree(text);
        Map<String, String> recent = new HashMap<>();
        n.path("recent").fields().forEachRemaining(e -> recent.put(e.getKey(), e.getValue().asText()));
        Map<String, String> cis = null;
        if (n.path("cis").isObject()) {
          Map<String, String> read = new HashMap<>();
          n.get("cis").fields().forEachRemaining(e -> read.put(e.getKey(), e.getValue().asText()));
          cis = read;
        }
        Map<String, List<String>> pending = new HashMap<>();
        n.path("accessPending").fields().forEachRemaining(e -> {
          List<String> refs = new ArrayList<>();
          e.getValue().forEach(r -> refs.add(r.asText()));
          pending.put(e.getKey(), refs);
        });
        Map<String, String> objects = null;
        if (n.path("accessObjects").isObject()) {
          Map<String, String> read = new HashMap<>();
          n.get("accessObjects").fields().forEachRemaining(e -> read.put(e.getKey(), e.getValue().asText()));
          objects = read;
        }
        return new Cursor(Instant.parse(n.path("since").asText()), recent, cis, pending, objects);
      } catch (Exception e) {
        throw new CollectException("the stored Jira cursor is unreadable (" + e.getMessage() + "); run once with a full read");
      }
    }

    String json() {
      ObjectNode n = JSON.createObjectNode().put("since", since.toString());
      ObjectNode r = n.putObject("recent");
      recent.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> r.put(e.getKey(), e.getValue()));
      if (cis != null) {
        ObjectNode c = n.putObject("cis");
        cis.forEach(c::put);
      }
      if (accessObjects != null) {
        ObjectNode p = n.putObject("accessPending");
        new java.util.TreeMap<>(accessPending).forEach((k, refs) -> refs.forEach(p.putArray(k)::add));
        ObjectNode o = n.putObject("accessObjects");
        new java.util.TreeMap<>(accessObjects).forEach(o::put);
      }
      return n.toString();
    }
  }
}
