package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.engine.internal.checks.AccessGovernanceCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.HeldBack;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.RecordingPublisher;
import io.vigil.engine.testing.ScriptedSource;
import io.vigil.keycloak.KeycloakSettings;
import io.vigil.keycloak.KeycloakSource;
import io.vigil.server.ItKeycloak;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access governance against a real Keycloak 26: administrators of the realm grant a privileged role through the admin
 * API, Keycloak records the admin events (who acted, on whom, which role), the Keycloak source keeps them in the
 * store's ledger, and the access-governance check traces each grant to the access requests a scripted Jira holds.
 * Keycloak's own admin events are the oracle for who granted what and when; clearing them (what its expiry does)
 * leaves the ledger, and so the findings, as they were.
 */
class AccessGovernanceIT {
  static final String POLICY = """
      accounts:
        - { id: ACC-1, privileged: ["realm:payments-admin"], requireMfa: true }
      accessGovernance:
        - { id: AG-1, severity: high, approvalWindowDays: 5, staleApprovalDays: 7 }
      """;
  static final String SECRET = "governance-it-secret";
  static final String PASSWORD = "governance-it-password";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String url;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    url = ItKeycloak.get().url();
  }

  /** A realm with the privileged role, two realm administrators (bob, carol), people who get access, and Vigil's client. */
  static void createRealm(String realm, boolean adminEvents) {
    ObjectNode r = JSON.createObjectNode();
    r.put("realm", realm).put("enabled", true).put("adminEventsEnabled", adminEvents)
        .put("adminEventsDetailsEnabled", adminEvents);
    r.putObject("roles").putArray("realm").addObject().put("name", "payments-admin");
    ArrayNode clients = r.putArray("clients");
    clients.addObject().put("clientId", "vigil").put("enabled", true).put("publicClient", false).put("secret", SECRET)
        .put("serviceAccountsEnabled", true).put("standardFlowEnabled", false);
    ArrayNode users = r.putArray("users");
    for (String name : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace")) {
      ObjectNode u = users.addObject().put("username", name).put("email", name + "@gov.example").put("enabled", true)
          .put("firstName", name).put("lastName", "Test").put("emailVerified", true);
      u.putArray("credentials").addObject().put("type", "password").put("value", PASSWORD).put("temporary", false);
      if (name.equals("bob") || name.equals("carol")) {
        u.putObject("clientRoles").putArray("realm-management").add("manage-users").add("view-users");
      }
    }
    ObjectNode sa = users.addObject().put("username", "service-account-vigil").put("enabled", true)
        .put("serviceAccountClientId", "vigil");
    ArrayNode roles = sa.putObject("clientRoles").putArray("realm-management");
    List.of("view-users", "view-realm", "view-clients", "view-events").forEach(roles::add);
    send("POST", "/admin/realms", masterToken(), r);
  }

  static String masterToken() {
    return token("master", Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin",
        "password", "admin-it-password"));
  }

  /** A realm administrator's own token: admin events name them as the actor. */
  static String adminToken(String realm, String username) {
    return token(realm, Map.of("grant_type", "password", "client_id", "admin-cli", "username", username,
        "password", PASSWORD));
  }

  static String token(String realm, Map<String, String> form) {
    String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return call(HttpRequest.newBuilder(URI.create(url + "/realms/" + realm + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build())
        .get("access_token").asText();
  }

  static JsonNode send(String method, String path, String token, Object body) {
    try {
      return call(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode call(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) throw new AssertionError(request.method() + " " + request.uri() + " → " + r.statusCode() + " " + r.body());
      return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String userId(String realm, String username) {
    return send("GET", "/admin/realms/" + realm + "/users?exact=true&username=" + username, masterToken(), null)
        .get(0).get("id").asText();
  }

  /** {@code by} maps payments-admin to {@code to} through the admin API, with their own token. */
  static void grant(String realm, String by, String to) {
    JsonNode role = send("GET", "/admin/realms/" + realm + "/roles/payments-admin", masterToken(), null);
    send("POST", "/admin/realms/" + realm + "/users/" + userId(realm, to) + "/role-mappings/realm", adminToken(realm, by),
        List.of(role));
  }

  static AccountRef person(String name) {
    return new AccountRef("acc-" + name, name + "@gov.example", name);
  }

  /** An access request by {@code forWhom} for payments-admin, decided by bob at {@code decided}. */
  static ServiceIssue request(String key, String forWhom, Decision decision, Instant decided) {
    Approval approval = new Approval("1", "Manager approval", decision,
        List.of(new ApproverDecision(person("bob"), decision, decided)), decided.minus(Duration.ofHours(1)), decided);
    return ServiceIssue.builder(key).kind(IssueKind.ACCESS_REQUEST).requestType("Access request")
        .summary("payments-admin for " + forWhom).reporter(person(forWhom)).status("Approved")
        .access(new AccessRequest(person(forWhom), List.of(Entitlement.realmRole("payments-admin")), List.of()))
        .approvals(List.of(approval)).created(decided.minus(Duration.ofDays(1))).updated(decided).build();
  }

  private RunPipeline pipeline(Store store, String realm, List<ServiceIssue> issues, Clock clock) {
    ScriptedSource jira = new ScriptedSource("jira", EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE),
        sink -> issues.forEach(sink::addIssue));
    KeycloakSource keycloak = new KeycloakSource("keycloak", KeycloakSettings.of(url, realm, "vigil", SECRET),
        new ConnectorContext(clock, store.activityLedger(), dir, "", store.grantEventLedger()));
    return new RunPipeline(store, List.of(jira, keycloak), List.of(new AccessGovernanceCheck()),
        List.of(new RecordingPublisher()), clock, IdentityMatch.EMAIL, RunListener.NONE);
  }

  private static Map<String, StoredFinding> findings(Store store) {
    return store.withHandle(h -> store.findings().all(h));
  }

  @Test
  void tracesRealGrantsToRequestsAndKeepsTheEvidenceAfterKeycloakDropsItsEvents() throws Exception {
    String realm = "governance-it";
    createRealm(realm, true);
    Instant before = Instant.now();
    grant(realm, "carol", "alice"); // approved by bob beforehand, granted by carol: traced
    grant(realm, "carol", "dave");  // no request at all
    grant(realm, "bob", "erin");    // bob approved erin's request and granted it himself
    grant(realm, "carol", "frank"); // granted before the approval
    Instant after = Instant.now();
    List<ServiceIssue> issues = new ArrayList<>(List.of(
        request("GOV-1", "alice", Decision.APPROVED, before.minus(Duration.ofHours(2))),
        request("GOV-3", "erin", Decision.APPROVED, before.minus(Duration.ofHours(2))),
        request("GOV-4", "frank", Decision.APPROVED, after.plus(Duration.ofHours(1))),
        request("GOV-5", "grace", Decision.APPROVED, before.minus(Duration.ofDays(10))))); // never granted: stale
    // Keycloak's own record of the grants is the oracle: four role-mapping events, each naming its actor
    JsonNode events = send("GET", "/admin/realms/" + realm + "/admin-events?resourceTypes=REALM_ROLE_MAPPING",
        masterToken(), null);
    assertThat(events).hasSize(4);

    MutableClock clock = new MutableClock(after.plus(Duration.ofHours(2)));
    Policy policy = PolicyLoader.parse("policy.yaml", POLICY);
    try (Store store = Store.open(Databases.h2(dir), clock)) {
      RunReport first = pipeline(store, realm, issues, clock).run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
      assertThat(first.heldBack()).isEmpty();
      Map<String, StoredFinding> open = findings(store);
      Map<String, String> bySubject = open.values().stream().collect(Collectors.toMap(
          s -> s.finding().subject().kind() == SubjectKind.ISSUE ? s.finding().subject().id()
              : s.finding().subject().display().split(" ")[0],
          s -> String.join("\n", s.finding().evidence())));
      assertThat(bySubject).containsOnlyKeys("dave", "erin", "frank", "GOV-5");
      String carol = userId(realm, "carol");
      assertThat(bySubject.get("dave")).contains("carol [" + carol + "]").contains("granted realm:payments-admin to dave")
          .contains("no approved access request for dave");
      assertThat(bySubject.get("erin")).contains("granted by bob [acc-bob], who approved GOV-3");
      assertThat(bySubject.get("frank")).contains("granted before GOV-4 was approved");
      assertThat(bySubject.get("GOV-5")).contains("grace has not been granted it since");
      // every recorded time is Keycloak's own
      long firstEvent = events.get(events.size() - 1).get("time").asLong();
      assertThat(store.grantEvents().events("keycloak")).hasSize(4)
          .allSatisfy(e -> assertThat(e.at().toEpochMilli()).isBetween(firstEvent, after.toEpochMilli()));

      // Keycloak drops its admin events (what adminEventsExpiration does once its cleanup runs): the ledger keeps them
      send("DELETE", "/admin/realms/" + realm + "/admin-events", masterToken(), null);
      assertThat(send("GET", "/admin/realms/" + realm + "/admin-events", masterToken(), null)).isEmpty();
      clock.advance(Duration.ofMinutes(5));
      RunReport second = pipeline(store, realm, issues, clock).run(policy, new RunOptions(false, false, Set.of(), Set.of(), "test"));
      assertThat(second.heldBack()).isEmpty();
      assertThat(findings(store).values()).allSatisfy(s -> assertThat(s.status()).isEqualTo(FindingStatus.OPEN));
      assertThat(findings(store).keySet()).isEqualTo(open.keySet());
      assertThat(store.grantEvents().events("keycloak")).hasSize(4);
    }
  }

  @Test
  void adminEventsSwitchedOffHoldTheCheckBackInsteadOfFindingNothing() throws Exception {
    String realm = "governance-off-it";
    createRealm(realm, false);
    grant(realm, "carol", "dave");
    MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
    try (Store store = Store.open(Databases.h2(dir), clock)) {
      RunReport report = pipeline(store, realm, List.of(), clock)
          .run(PolicyLoader.parse("policy.yaml", POLICY), new RunOptions(true, false, Set.of(), Set.of(), "test"));
      assertThat(report.heldBack()).extracting(HeldBack::check).containsExactly(AccessGovernanceCheck.NAME);
      assertThat(report.heldBack()).singleElement().satisfies(h ->
          assertThat(h.reason()).contains("grant-events").contains("admin events are disabled in Keycloak realm '" + realm + "'"));
      assertThat(findings(store)).isEmpty();
    }
  }

  private static List<io.vigil.core.model.Grant> collect(KeycloakSource source, String cursor, String[] next, Policy policy)
      throws Exception {
    io.vigil.core.inventory.InventoryBuilder sink = new io.vigil.core.inventory.InventoryBuilder(IdentityMatch.EMAIL);
    next[0] = source.collect(new io.vigil.core.spi.CollectRequest("run", cursor == null, cursor, policy, Instant.now()), sink)
        .cursor();
    return sink.build().grants().stream().sorted(java.util.Comparator.comparing(io.vigil.core.model.Grant::identityId)
        .thenComparing(io.vigil.core.model.Grant::entitlement)).toList();
  }

  @Test
  void anIncrementalReadReResolvesOnlyTheUserAGrantNamedAndAgreesWithAFullResolution() throws Exception {
    String realm = "governance-incremental-it";
    createRealm(realm, true);
    grant(realm, "carol", "alice");
    Policy policy = PolicyLoader.parse("policy.yaml", POLICY);
    KeycloakSettings settings = KeycloakSettings.of(url, realm, "vigil", SECRET);
    String[] cursor = new String[1];
    try (Store store = Store.open(Databases.h2(dir), Clock.systemUTC());
        KeycloakSource source = new KeycloakSource("keycloak", settings,
            new ConnectorContext(Clock.systemUTC(), store.activityLedger(), dir, "", store.grantEventLedger()))) {
      collect(source, null, cursor, policy);
      assertThat(source.lastResolution().incremental()).isFalse();
      List<io.vigil.core.model.Grant> unchanged = collect(source, cursor[0], cursor, policy);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));
      assertThat(unchanged).extracting(io.vigil.core.model.Grant::identityId).containsExactly(userId(realm, "alice"));

      Thread.sleep(5); // the grant's event lands after the cursor's millisecond
      grant(realm, "carol", "dave");
      List<io.vigil.core.model.Grant> incremental = collect(source, cursor[0], cursor, policy);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 1));
      try (KeycloakSource fresh = new KeycloakSource("other", settings,
          new ConnectorContext(Clock.systemUTC(), store.activityLedger(), dir, "", store.grantEventLedger()))) {
        assertThat(incremental).isEqualTo(collect(fresh, null, new String[1], policy)).hasSize(2);
      }
    }
  }
}
