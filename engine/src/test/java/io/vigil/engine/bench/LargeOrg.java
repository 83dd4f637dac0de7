package io.vigil.engine.bench;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A synthetic organisation, generated from a seed straight into a sink (nothing is kept between collections, so the
 * heap holds one copy: the run's inventory). {@code identities} identities with about 10 grants each (realm roles,
 * client roles and groups, held directly, through a team group and its parent, or through a composite), as many
 * issues (60 % incidents, 20 % changes with approvals, 20 % access requests with approvals) and a fifth as many CIs
 * (classified, with dependencies and access attributes). Shaped for {@code bench/large-org-policy.yaml}: about one
 * finding per two identities.
 *
 * <p>Every subject is drawn from its own random stream (seed and index), so {@code changed} — the variant in which
 * about 1 % of identities, issues and CIs differ in something the policy looks at — leaves the other 99 % exactly
 * as they were.
 */
public final class LargeOrg {
  public static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
  static final String[] LEVELS = {"public", "internal", "confidential", "secret"};

  /** Entitlements the policy names; each held by about 6 % of identities, independently. */
  static final List<Entitlement> SPECIAL = List.of(
      Entitlement.realmRole("change-approver"), Entitlement.clientRole("deployer", "prod-deploy"),
      Entitlement.group("/ops/admins"), Entitlement.realmRole("realm-admin"),
      Entitlement.clientRole("realm-management", "manage-users"), Entitlement.realmRole("finance-approver"),
      Entitlement.clientRole("payments", "refund"), Entitlement.clientRole("payments", "approve-refund"),
      Entitlement.clientRole("hr-portal", "edit-salary"), Entitlement.clientRole("hr-portal", "approve-salary"),
      Entitlement.group("/security/approvers"), Entitlement.group("/finance/ap"), Entitlement.group("/finance/ar"),
      Entitlement.realmRole("db-admin"), Entitlement.realmRole("release-manager"));
  static final int SECURITY_APPROVERS = 10;
  static final int APP_GROUPS = 20;
  private static final int REALM_ROLES = 150;
  private static final int CLIENTS = 20;
  private static final String[] CLIENT_ROLES = {"read", "write", "admin", "deploy", "approve"};
  private static final int DEPTS = 20;
  private static final int TEAMS = 10;
  private static final String[] CI_TYPES = {"Server", "Server", "Server", "Server", "Application", "Application",
      "Application", "Database", "Database", "Network"};
  private static final String[] PHRASES = {"Printer on floor 3 is jammed", "VPN drops every few minutes",
      "Cannot open the expense report", "Laptop fan is loud", "Password reset for the HR portal",
      "Outlook search returns nothing", "Slow response from the payroll application", "Badge reader offline",
      "Monitor flickers", "Request for a second screen"};
  private static final String[] KEYWORDS = {"phishing mail received", "possible malware on laptop",
      "ransomware note on share", "unauthorized access to payroll", "data leak suspected", "exfiltration alert"};

  final int identities;
  final int issues;
  final int cis;
  final long seed;
  final boolean changed;

  private final List<GrantPath> realmDirect = new ArrayList<>();
  private final List<GrantPath> clientDirect = new ArrayList<>();
  private final List<Entitlement> realmRoles = new ArrayList<>();
  private final List<Entitlement> clientRoles = new ArrayList<>();
  private final Map<Entitlement, List<GrantPath>> specialPaths = new HashMap<>();
  private final List<Entitlement[]> teamEnts = new ArrayList<>();
  private final List<GrantPath[]> teamPaths = new ArrayList<>();

  public LargeOrg(int identities, long seed, boolean changed) {
    this.identities = identities;
    this.issues = identities;
    this.cis = Math.max(10, identities / 5);
    this.seed = seed;
    this.changed = changed;
    for (int r = 0; r < REALM_ROLES; r++) {
      Entitlement e = Entitlement.realmRole(String.format("role-%03d", r));
      realmRoles.add(e);
      realmDirect.add(GrantPath.direct(e));
    }
    for (int c = 0; c < CLIENTS; c++) {
      for (String role : CLIENT_ROLES) {
        Entitlement e = Entitlement.clientRole(String.format("app-%02d", c), role);
        clientRoles.add(e);
        clientDirect.add(GrantPath.direct(e));
      }
    }
    // a team group gives its own membership, its parent department, and three realm roles
    for (int d = 0; d < DEPTS; d++) {
      Entitlement dept = Entitlement.group("/dept-" + d);
      for (int t = 0; t < TEAMS; t++) {
        Entitlement team = Entitlement.group("/dept-" + d + "/team-" + t);
        int n = d * TEAMS + t;
        Entitlement[] ents = {team, dept, realmRoles.get((n * 3) % REALM_ROLES), realmRoles.get((n * 3 + 1) % REALM_ROLES),
            realmRoles.get((n * 3 + 2) % REALM_ROLES)};
        GrantPath[] paths = {GrantPath.direct(team),
            new GrantPath(List.of(new Hop(HopKind.GROUP, team), new Hop(HopKind.PARENT_GROUP, dept))),
            viaGroup(team, ents[2]), viaGroup(team, ents[3]), viaGroup(team, ents[4])};
        teamEnts.add(ents);
        teamPaths.add(paths);
      }
    }
    Entitlement opsSuper = Entitlement.realmRole("ops-superuser");
    for (Entitlement e : SPECIAL) {
      List<GrantPath> ways = new ArrayList<>();
      ways.add(GrantPath.direct(e));
      if (e.kind() != io.vigil.core.model.EntitlementKind.GROUP) {
        // group /ops/admins/dba → parent /ops/admins → composite ops-superuser → e
        ways.add(new GrantPath(List.of(new Hop(HopKind.GROUP, Entitlement.group("/ops/admins/dba")),
            new Hop(HopKind.PARENT_GROUP, Entitlement.group("/ops/admins")), new Hop(HopKind.COMPOSITE, opsSuper),
            new Hop(HopKind.DIRECT, e))));
      }
      specialPaths.put(e, ways);
    }
    for (int k = 0; k < APP_GROUPS; k++) {
      Entitlement e = appGroup(k);
      specialPaths.put(e, List.of(GrantPath.direct(e)));
    }
  }

  private static GrantPath viaGroup(Entitlement group, Entitlement role) {
    return new GrantPath(List.of(new Hop(HopKind.GROUP, group), new Hop(HopKind.DIRECT, role)));
  }

  static Entitlement appGroup(int k) {
    return Entitlement.group("/apps/app-" + k + "/users");
  }

  /** A number in [0, 1) fixed by the seed, the subject's index and a salt. */
  double u(long index, int salt) {
    long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

  /** Whether this subject is among the ~1 % the changed variant alters. */
  boolean altered(long index, int kindSalt) {
    return changed && u(index, 9000 + kindSalt) < 0.01;
  }

  boolean holdsSpecial(int i, int s) {
    return u(i, 100 + s) < 0.06;
  }

  boolean holdsAppGroup(int i, int k) {
    return u(i, 200 + k) < 0.002;
  }

  boolean hasMfa(int i) {
    boolean appHolder = false;
    for (int k = 0; k < APP_GROUPS && !appHolder; k++) appHolder = holdsAppGroup(i, k);
    boolean mfa = u(i, 3) < (appHolder ? 0.997 : 0.85);
    return altered(i, 1) != mfa;
  }

  boolean isPartner(int i) {
    return u(i, 4) < 0.05;
  }

  static String user(int i) {
    return "u" + i;
  }

  static AccountRef account(int i) {
    return new AccountRef("acc-" + i, "u" + i + "@acme.example", "User " + i);
  }

  /** Adds the whole organisation to the sink. */
  public void addTo(InventorySink sink) {
    for (int i = 0; i < identities; i++) addIdentity(i, sink);
    for (int c = 0; c < cis; c++) sink.addCi(ci(c));
    for (int n = 0; n < issues; n++) sink.addIssue(issue(n));
  }

  private void addIdentity(int i, InventorySink sink) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
    String id = "id-" + i;
    boolean service = u(i, 1) < 0.02;
    boolean enabled = u(i, 2) >= 0.03;
    Map<String, List<String>> attrs = new HashMap<>();
    if (u(i, 5) >= 0.04) attrs.put("department", List.of("dept-" + (i % DEPTS)));
    if (isPartner(i)) {
      attrs.put("affiliation", List.of("partner"));
      double v = u(i, 6);
      if (v < 0.10) {
        // no expiry
      } else if (v < 0.15) {
        attrs.put("accessExpires", List.of("soon"));
      } else if (v < 0.20) {
        attrs.put("accessExpires", List.of("2026-01-31"));
      } else {
        attrs.put("accessExpires", List.of("2027-12-31"));
      }
    } else if (u(i, 7) < 0.03) {
      attrs.put("affiliation", List.of("contractor"));
      if (u(i, 8) >= 0.2) attrs.put("contractEnd", List.of("2027-06-30"));
    }
    Set<String> creds = new LinkedHashSet<>();
    creds.add("password");
    if (hasMfa(i)) creds.add(u(i, 9) < 0.7 ? "otp" : "webauthn");
    double seen = u(i, 10);
    if (altered(i, 2)) seen = seen < 0.05 ? 0.5 : 0.01;
    Instant lastSeen = seen < 0.01 ? null
        : seen < 0.03 ? NOW.minus(Duration.ofDays(400 + r.nextInt(200)))
        : seen < 0.05 ? NOW.minus(Duration.ofDays(100 + r.nextInt(200)))
        : NOW.minus(Duration.ofDays(1 + r.nextInt(60)));
    Instant created = NOW.minus(Duration.ofDays(u(i, 11) < 0.01 ? 3 : 700 + r.nextInt(1000)));
    String email = u(i, 12) < 0.01 ? "u" + i + "@gmail.com" : "u" + i + "@acme.example";
    sink.addIdentity(Identity.builder(id).username(service ? "svc-" + i : user(i)).email(service ? null : email)
        .kind(service ? IdentityKind.SERVICE_ACCOUNT : IdentityKind.PERSON).enabled(enabled).createdAt(created)
        .attributes(attrs).credentials(creds).credentialsKnown(true).lastSeen(lastSeen).name("User " + i).build());

    int team = r.nextInt(DEPTS * TEAMS);
    Entitlement[] ents = teamEnts.get(team);
    GrantPath[] paths = teamPaths.get(team);
    for (int k = 0; k < ents.length; k++) sink.addGrant(new Grant(id, ents[k], List.of(paths[k])));
    for (int k = 0; k < 2; k++) {
      int x = r.nextInt(REALM_ROLES);
      sink.addGrant(new Grant(id, realmRoles.get(x), List.of(realmDirect.get(x))));
    }
    for (int k = 0; k < 2; k++) {
      int x = r.nextInt(clientRoles.size());
      sink.addGrant(new Grant(id, clientRoles.get(x), List.of(clientDirect.get(x))));
    }
    for (int s = 0; s < SPECIAL.size(); s++) {
      if (!holdsSpecial(i, s)) continue;
      Entitlement e = SPECIAL.get(s);
      List<GrantPath> ways = specialPaths.get(e);
      sink.addGrant(new Grant(id, e, List.of(ways.get(r.nextInt(ways.size())))));
    }
    for (int k = 0; k < APP_GROUPS; k++) {
      if (holdsAppGroup(i, k)) sink.addGrant(new Grant(id, appGroup(k), specialPaths.get(appGroup(k))));
    }
  }

  int level(int c, int dim) {
    double v = u(c, 400 + dim);
    return v < 0.3 ? 0 : v < 0.7 ? 1 : v < 0.9 ? 2 : 3;
  }

  String type(int c) {
    return CI_TYPES[(int) (u(c, 410) * CI_TYPES.length)];
  }

  ConfigurationItem ci(int c) {
    SplittableRandom r = new SplittableRandom(seed * 7_000_003L + c);
    String type = type(c);
    java.util.EnumMap<io.vigil.core.model.Dimension, String> levels = new java.util.EnumMap<>(io.vigil.core.model.Dimension.class);
    io.vigil.core.model.Dimension[] dims = io.vigil.core.model.Dimension.values();
    for (int d = 0; d < dims.length; d++) {
      double gap = u(c, 420 + d);
      if (gap < 0.02) continue; // missing
      levels.put(dims[d], gap < 0.025 ? "tbd" : LEVELS[level(c, d)]);
    }
    List<String> dependsOn = new ArrayList<>();
    if (type.equals("Application")) {
      // an application runs on servers and databases classified at least as high, except about 3 % of the time
      int wanted = 1 + r.nextInt(2);
      for (int tries = 0; dependsOn.size() < wanted && tries < 200; tries++) {
        int t = r.nextInt(cis);
        String tt = type(t);
        if (t == c || !(tt.equals("Server") || tt.equals("Database"))) continue;
        boolean ok = true;
        for (int d = 0; d < dims.length; d++) ok &= level(t, d) >= level(c, d);
        if (ok || r.nextDouble() < 0.03) dependsOn.add("CMDB-" + t);
      }
    }
    Map<String, String> attrs = new HashMap<>();
    attrs.put("Environment", u(c, 430) < 0.4 ? "prod" : "test");
    if (u(c, 431) >= 0.05) attrs.put("Patched", "2026-10-0" + (1 + r.nextInt(9)));
    if (level(c, 0) >= 2 && u(c, 432) < 0.2) attrs.put("Access", appGroup((int) (u(c, 433) * APP_GROUPS)).ref());
    String owner = u(c, 434) < 0.05 ? "" : "owner" + (c % 500) + "@acme.example";
    if (altered(c, 3)) owner = owner.isEmpty() ? "owner@acme.example" : "";
    String name = (u(c, 435) < 0.01 ? "tmp-" : "") + type.toLowerCase() + "-" + c;
    return ConfigurationItem.builder("CMDB-" + c).name(name).type(type).owner(owner)
        .classification(new Classification(levels)).dependsOn(dependsOn).attributes(attrs).build();
  }

  ServiceIssue issue(int n) {
    SplittableRandom r = new SplittableRandom(seed * 5_000_011L + n);
    double k = u(n, 500);
    IssueKind kind = k < 0.6 ? IssueKind.INCIDENT : k < 0.8 ? IssueKind.CHANGE : IssueKind.ACCESS_REQUEST;
    String requestType = switch (kind) {
      case INCIDENT -> "Incident";
      case CHANGE -> u(n, 501) < 0.5 ? "Change" : "Normal change";
      default -> "Access request";
    };
    int reporter = r.nextInt(identities);
    int assignee = r.nextInt(identities);
    String summary = PHRASES[r.nextInt(PHRASES.length)];
    boolean keyword = u(n, 502) < 0.02;
    if (altered(n, 4)) keyword = !keyword;
    if (keyword) summary = summary + " - " + KEYWORDS[r.nextInt(KEYWORDS.length)];
    String description = u(n, 503) < 0.05 ? "" : "Reported by user " + reporter + " via the portal.";
    List<String> affected = new ArrayList<>();
    if (kind == IssueKind.CHANGE || u(n, 504) < 0.2) {
      int count = kind == IssueKind.CHANGE && u(n, 505) < 0.95 ? 1 + r.nextInt(2) : kind == IssueKind.CHANGE ? 0 : 1;
      for (int a = 0; a < count; a++) affected.add("CMDB-" + r.nextInt(cis));
    }
    Set<String> labels = new LinkedHashSet<>();
    if (u(n, 506) < 0.05) labels.add("vip");
    if (u(n, 507) < 0.05) labels.add("escalated");
    List<Approval> approvals = new ArrayList<>();
    if (kind != IssueKind.INCIDENT) {
      Instant created = NOW.minus(Duration.ofDays(1 + r.nextInt(300)));
      List<ApproverDecision> decisions = new ArrayList<>();
      int approvers = 1 + r.nextInt(2);
      for (int a = 0; a < approvers; a++) {
        double who = u(n, 510 + a);
        AccountRef ref = who < 0.04 ? account(reporter) : who < 0.07 ? account(assignee)
            : who < 0.6 ? account(approverHolding(r, 10)) : account(r.nextInt(identities));
        decisions.add(new ApproverDecision(ref, u(n, 520 + a) < 0.9 ? Decision.APPROVED : Decision.DECLINED,
            created.plus(Duration.ofHours(2 + a))));
      }
      Decision fin = u(n, 530) < 0.85 ? Decision.APPROVED : u(n, 531) < 0.5 ? Decision.DECLINED : Decision.PENDING;
      approvals.add(new Approval("ap-" + n, kind == IssueKind.CHANGE ? "Change approval" : "Access approval", fin,
          decisions, created, fin == Decision.PENDING ? null : created.plus(Duration.ofHours(3))));
    }
    Instant created = NOW.minus(Duration.ofDays(1 + r.nextInt(365)));
    return ServiceIssue.builder("ITSM-" + (n + 1)).kind(kind).requestType(requestType).summary(summary)
        .description(description).status(u(n, 540) < 0.7 ? "Done" : "Waiting for support")
        .reporter(account(reporter)).assignee(account(assignee)).affectedCis(affected)
        .securityLevel(u(n, 541) < 0.02 ? "Security" : "").labels(labels).approvals(approvals)
        .created(created).updated(created.plus(Duration.ofHours(5))).build();
  }

  /** An identity holding the special entitlement {@code s} (first found from a random start). */
  private int approverHolding(SplittableRandom r, int s) {
    int start = r.nextInt(identities);
    for (int k = 0; k < identities; k++) {
      int i = (start + k) % identities;
      if (holdsSpecial(i, s)) return i;
    }
    return start;
  }
}
