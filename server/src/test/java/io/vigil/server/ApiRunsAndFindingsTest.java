package io.vigil.server;

import static io.vigil.server.ApiTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.engine.store.AuditEntry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiRunsAndFindingsTest {
  @TempDir Path dir;
  private ApiTestServer api;

  @BeforeEach
  void start() throws Exception {
    api = new ApiTestServer(dir);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private String runNow(String schedule, String sources) throws Exception {
    HttpResponse<String> created = api.send("POST", "/api/v1/schedules", api.admin(),
        "{\"name\": \"" + schedule + "\", \"cron\": \"0 0 2 * * ?\", \"sources\": " + sources + ", \"mode\": \"full\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> run = api.send("POST", "/api/v1/schedules/" + schedule + "/run", api.admin(), null);
    assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
    return api.json(run).get("runId").asText();
  }

  private JsonNode progress(String runId) throws Exception {
    return api.json(api.get("/api/v1/runs/" + runId + "/progress", api.auditor()));
  }

  private boolean finished(String runId) {
    try {
      return progress(runId).path("status").isTextual();
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aRunStartedNowAppearsFinishesAndShowsItsProgressAndStats() throws Exception {
    String runId = runNow("now", "[\"cmdb\"]");
    await(() -> finished(runId));
    JsonNode progress = progress(runId);
    assertThat(progress.get("status").asText()).isEqualTo("succeeded");
    assertThat(progress.get("phase").asText()).isEqualTo("finished");
    assertThat(progress.get("sources").get("cmdb").get("items").asLong()).isEqualTo(2);
    assertThat(progress.get("apiCalls").asLong()).isEqualTo(1);
    assertThat(progress.get("findings").asInt()).isEqualTo(1);

    JsonNode list = api.json(api.get("/api/v1/runs?limit=10", api.auditor()));
    assertThat(list.get("total").asLong()).isEqualTo(1);
    assertThat(list.get("items").get(0).get("id").asText()).isEqualTo(runId);
    JsonNode detail = api.json(api.get("/api/v1/runs/" + runId, api.auditor()));
    assertThat(detail.get("run").get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(detail.get("run").get("triggeredBy").asText()).contains("nina.novak").contains("now");
    assertThat(detail.get("run").get("stats").get("cmdb").get("items").asLong()).isEqualTo(2);
    assertThat(detail.get("run").get("stats").has("gate")).as("the schedule named only cmdb").isFalse();
    assertThat(api.store.audit().list(5)).extracting(AuditEntry::action).contains("run.start");
    assertThat(api.get("/api/v1/runs/nope", api.auditor()).statusCode()).isEqualTo(404);
  }

  @Test
  void anAdminConfirmsWhatThePlausibilityGuardHeldBackAndNothingElse() throws Exception {
    for (int i = 3; i <= 8; i++) api.cmdb.put("CMDB-" + i, "unclassified");
    String first = runNow("all", "[\"cmdb\"]");
    await(() -> finished(first));
    for (int i = 3; i <= 8; i++) api.cmdb.put("CMDB-" + i, null); // 6 of 7 problems gone at once
    HttpResponse<String> again = api.send("POST", "/api/v1/schedules/all/run", api.admin(), null);
    String guarded = api.json(again).get("runId").asText();
    await(() -> finished(guarded));
    JsonNode held = api.json(api.get("/api/v1/runs/" + guarded, api.auditor())).get("run").get("heldBack");
    assertThat(held).hasSize(1);
    assertThat(held.get(0).get("confirmable").asBoolean()).isTrue();
    assertThat(openFindings()).isEqualTo(7);

    assertThat(api.send("POST", "/api/v1/runs/" + guarded + "/confirm-resolve", api.auditor(), null).statusCode())
        .as("auditors read; confirming is a change").isEqualTo(403);
    assertThat(api.send("POST", "/api/v1/runs/nope/confirm-resolve", api.admin(), null).statusCode()).isEqualTo(404);
    HttpResponse<String> confirm = api.send("POST", "/api/v1/runs/" + guarded + "/confirm-resolve", api.admin(), null);
    assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(202);
    String confirming = api.json(confirm).get("runId").asText();
    assertThat(api.json(confirm).get("confirms").asText()).isEqualTo(guarded);
    await(() -> finished(confirming));
    JsonNode run = api.json(api.get("/api/v1/runs/" + confirming, api.auditor())).get("run");
    assertThat(run.get("heldBack")).isEmpty();
    assertThat(run.get("triggeredBy").asText()).contains("nina.novak").contains("confirming run " + guarded);
    assertThat(openFindings()).as("only CMDB-1's problem is left").isEqualTo(1);
    assertThat(api.store.audit().list(5)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("run.confirm-resolve");
      assertThat(e.details()).contains(guarded).contains("problem");
    });

    // a run held back because a source failed is nothing to confirm
    api.cmdb.failWith("GET /objects answered 500");
    HttpResponse<String> failing = api.send("POST", "/api/v1/schedules/all/run", api.admin(), null);
    String failed = api.json(failing).get("runId").asText();
    await(() -> finished(failed));
    HttpResponse<String> refused = api.send("POST", "/api/v1/runs/" + failed + "/confirm-resolve", api.admin(), null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("a source failed");
  }

  private long openFindings() throws Exception {
    return api.json(api.get("/api/v1/findings?status=open&limit=100", api.auditor())).get("total").asLong();
  }

  @Test
  void aRunShowsItsSourcesWarningsAndTheChecksItHeldBack() throws Exception {
    api.gate.warnings = List.of("user events are disabled in realm corp");
    api.cmdb.failWith("GET /objects answered 500");
    String runId = runNow("warned", "[\"cmdb\", \"gate\"]");
    await(() -> finished(runId));
    JsonNode run = api.json(api.get("/api/v1/runs/" + runId, api.auditor())).get("run");
    assertThat(run.get("status").asText()).isEqualTo("PARTIAL");
    assertThat(run.get("warnings")).hasSize(1);
    assertThat(run.get("warnings").get(0).get("source").asText()).isEqualTo("gate");
    assertThat(run.get("warnings").get(0).get("message").asText()).isEqualTo("user events are disabled in realm corp");
    assertThat(run.get("heldBack")).hasSize(1);
    assertThat(run.get("heldBack").get(0).get("check").asText()).isEqualTo("problem");
    assertThat(run.get("heldBack").get(0).get("reason").asText()).contains("source cmdb failed").contains("500");
  }

  @Test
  void cancelsARunWhileItCollectsAndRefusesToCancelItTwice() throws Exception {
    api.gate.hold = true;
    String runId = runNow("slow", "[\"gate\"]");
    assertThat(api.gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(progress(runId).get("phase").asText()).isEqualTo("collect");
    HttpResponse<String> cancel = api.send("POST", "/api/v1/runs/" + runId + "/cancel", api.admin(), null);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    await(() -> finished(runId));
    assertThat(progress(runId).get("status").asText()).isEqualTo("cancelled");
    assertThat(progress(runId).get("cancelledBy").asText()).isEqualTo("nina.novak");
    JsonNode run = api.json(api.get("/api/v1/runs/" + runId, api.auditor())).get("run");
    assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
    HttpResponse<String> again = api.send("POST", "/api/v1/runs/" + runId + "/cancel", api.admin(), null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(api.json(again).get("message").asText()).contains("already finished");
    assertThat(api.store.audit().list(5)).extracting(AuditEntry::action).contains("run.cancel");
  }

  @Test
  void filtersFindingsAndShowsOneWithItsEvidenceAndHistory() throws Exception {
    String runId = runNow("all", "[]");
    await(() -> finished(runId));
    JsonNode open = api.json(api.get("/api/v1/findings?check=problem&severity=medium&status=open&subject=cmdb-1",
        api.auditor()));
    assertThat(open.get("total").asInt()).isEqualTo(1);
    String fp = open.get("items").get(0).get("finding").get("fingerprint").asText();
    assertThat(api.json(api.get("/api/v1/findings?severity=critical", api.auditor())).get("total").asInt()).isZero();
    assertThat(api.json(api.get("/api/v1/findings?subject=CMDB-2", api.auditor())).get("total").asInt()).isZero();
    HttpResponse<String> badSeverity = api.get("/api/v1/findings?severity=urgent", api.auditor());
    assertThat(badSeverity.statusCode()).isEqualTo(400);
    assertThat(api.json(badSeverity).get("field").asText()).isEqualTo("severity");

    JsonNode detail = api.json(api.get("/api/v1/findings/" + fp, api.auditor()));
    assertThat(detail.get("finding").get("finding").get("evidence").toString()).contains("unclassified <script>");
    assertThat(detail.get("history")).extracting(e -> e.get("event").asText()).containsExactly("opened");
    assertThat(api.get("/api/v1/findings/0000", api.auditor()).statusCode()).isEqualTo(404);
  }

  @Test
  void verifiesTheStoresChainsForAnAuditorAndNamesTheRowEditedBehindVigilsBack() throws Exception {
    String runId = runNow("v", "[\"cmdb\"]");
    await(() -> finished(runId));
    assertThat(api.get("/api/v1/verify", null).statusCode()).isEqualTo(401);
    JsonNode intact = api.json(api.get("/api/v1/verify", api.auditor()));
    assertThat(intact.get("intact").asBoolean()).isTrue();
    assertThat(intact.get("chains")).extracting(c -> c.get("chain").asText())
        .containsExactly("finding events", "audit log", "waivers", "attestations", "waiver revocations");
    assertThat(intact.get("chains").get(0).get("rows").asLong()).isPositive();
    api.store.withHandle(h -> h.execute("UPDATE audit_log SET actor = 'mallory'"));
    JsonNode broken = api.json(api.get("/api/v1/verify", api.auditor()));
    assertThat(broken.get("intact").asBoolean()).isFalse();
    assertThat(broken.get("chains").get(1).get("problem").asText()).contains("audit log").contains("was changed");
  }

  @Test
  void waivesAFindingListsTheWaiverAndRevokesIt() throws Exception {
    String runId = runNow("w", "[\"cmdb\"]");
    await(() -> finished(runId));
    String fp = api.json(api.get("/api/v1/findings", api.auditor())).get("items").get(0).get("finding")
        .get("fingerprint").asText();
    HttpResponse<String> past = api.send("POST", "/api/v1/waivers", api.admin(),
        "{\"fingerprint\": \"" + fp + "\", \"reason\": \"r\", \"approver\": \"heidi\", \"expires\": \"2001-01-01\"}");
    assertThat(past.statusCode()).isEqualTo(400);
    assertThat(api.json(past).get("message").asText()).contains("not in the future");
    HttpResponse<String> both = api.send("POST", "/api/v1/waivers", api.admin(),
        "{\"fingerprint\": \"" + fp + "\", \"rule\": \"PRB-1\", \"reason\": \"r\", \"approver\": \"heidi\", \"expires\": \"2999-01-01\"}");
    assertThat(both.statusCode()).isEqualTo(400);

    io.vigil.engine.testing.Directory.knows(api.store, "heidi");
    HttpResponse<String> unknown = api.send("POST", "/api/v1/waivers", api.admin(),
        "{\"fingerprint\": \"" + fp + "\", \"reason\": \"r\", \"approver\": \"mallory\", \"expires\": \"2999-01-01\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(api.json(unknown).get("message").asText()).contains("the approver 'mallory' is not a known identity");
    HttpResponse<String> created = api.send("POST", "/api/v1/waivers", api.admin(),
        "{\"fingerprint\": \"" + fp + "\", \"reason\": \"decommissioned next week\", \"approver\": \"heidi\", \"expires\": \"2999-01-01\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = api.json(created).get("waiver").get("id").asText();
    assertThat(api.json(created).get("waiver").get("createdBy").asText()).isEqualTo("nina.novak");
    JsonNode listed = api.json(api.get("/api/v1/waivers", api.auditor())).get("items");
    assertThat(listed).singleElement().satisfies(w -> assertThat(w.get("state").asText()).isEqualTo("active"));

    assertThat(api.send("DELETE", "/api/v1/waivers/" + id, api.admin(), null).statusCode()).isEqualTo(204);
    assertThat(api.json(api.get("/api/v1/waivers", api.auditor())).get("items")).isEmpty();
    assertThat(api.json(api.get("/api/v1/waivers?all=true", api.auditor())).get("items").get(0).get("state").asText())
        .isEqualTo("revoked");
    assertThat(api.send("DELETE", "/api/v1/waivers/" + id, api.admin(), null).statusCode()).isEqualTo(404);
    JsonNode audit = api.json(api.get("/api/v1/audit?limit=2", api.auditor()));
    assertThat(audit.get("items")).extracting(e -> e.get("action").asText()).containsExactly("waiver.revoke", "waiver.create");
    assertThat(audit.get("total").asLong()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void validatesAnUploadedPolicyReportingLineAndColumnAndShowsTheCurrentVersion() throws Exception {
    assertThat(api.json(api.get("/api/v1/policy", api.auditor())).get("version").asText()).isEqualTo("empty");
    HttpResponse<String> broken = api.send("POST", "/api/v1/policy/validate", api.admin(), """
        classification:
          levels: [public, internal]
          attributes: { confidentiality: Confidentiality }
          requiredFor: [Server]
          baseline: {}
        accounts:
          - id: ACC-1
            title: [not, a, title
        """);
    assertThat(broken.statusCode()).isEqualTo(200);
    JsonNode v = api.json(broken);
    assertThat(v.get("valid").asBoolean()).isFalse();
    assertThat(v.get("problems")).isNotEmpty();
    assertThat(v.get("problems").get(0).get("line").asInt()).isGreaterThan(0);
    assertThat(v.get("problems").get(0).get("message").asText()).isNotBlank();
    HttpResponse<String> unknownKey = api.send("POST", "/api/v1/policy/validate", api.admin(), "nonsense: 1\n");
    JsonNode u = api.json(unknownKey);
    assertThat(u.get("valid").asBoolean()).isFalse();
    assertThat(u.get("problems").get(0).get("line").asInt()).isEqualTo(1);
    assertThat(u.get("problems").get(0).get("column").asInt()).isEqualTo(1);
    assertThat(u.get("problems").get(0).get("message").asText()).contains("nonsense");
  }

  @Test
  void showsConnectorsWithTheirCheckAndNeverASecret() throws Exception {
    HttpResponse<String> r = api.get("/api/v1/connectors", api.auditor());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(ApiTestServer.SECRET).contains("********");
    JsonNode items = api.json(r).get("items");
    assertThat(items).extracting(c -> c.get("name").asText()).containsExactly("cmdb", "gate", "legacy");
    assertThat(items.get(0).get("status").get("state").asText()).isEqualTo("OK");
    assertThat(items.get(0).get("settings").get("url").asText()).isEqualTo("https://cmdb.example.com");
    assertThat(items.get(1).get("status").get("state").asText()).isEqualTo("UNREACHABLE");
    assertThat(items.get(2).get("enabled").asBoolean()).isFalse();
    assertThat(items.get(2).get("status").isNull()).as("a disabled connector is not checked").isTrue();
  }
}
