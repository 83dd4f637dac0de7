package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.engine.policy.PolicyLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The requirements register and the attestation of manual requirements over the API. */
class ApiRequirementsTest {
  @TempDir Path dir;
  private ApiTestServer api;

  @BeforeEach
  void start() throws Exception {
    api = new ApiTestServer(dir);
    api.policy = PolicyLoader.parse("policy.yaml", """
        separationOfDuties:
          - id: SOD-1
            source: { kind: law, ref: "SOX 404", region: US }
            entitlements: [realm:a, realm:b]
            max: 1
        manual:
          - id: BCP-1
            title: The continuity plan is tested every year
            source: { kind: contract, ref: "Acme MSA §9", customer: acme }
            attestEvery: 365d
        """);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static final String BODY = "{\"evidenceUrl\": \"https://wiki.example/bcp\", \"note\": \"failover test passed\"}";

  @Test
  void listsTheRegisterWithCountsAndFilters() throws Exception {
    HttpResponse<String> r = api.get("/api/v1/reports/requirements", api.auditor());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = api.json(r);
    assertThat(doc.get("requirements")).hasSize(2);
    assertThat(doc.get("byStatus").get("not-validated").asLong()).isEqualTo(2);
    assertThat(doc.get("byKind").get("law").get("not-validated").asLong()).isEqualTo(1);
    JsonNode sod = doc.get("requirements").get(1);
    assertThat(sod.get("id").asText()).isEqualTo("SOD-1");
    assertThat(sod.get("source").asText()).isEqualTo("SOX 404");
    assertThat(sod.get("region").asText()).isEqualTo("US");
    assertThat(sod.get("status").asText()).isEqualTo("not-validated");
    JsonNode acme = api.json(api.get("/api/v1/reports/requirements?customer=acme&kind=contract", api.auditor()));
    assertThat(acme.get("requirements")).singleElement().satisfies(n -> assertThat(n.get("id").asText()).isEqualTo("BCP-1"));
    HttpResponse<String> bad = api.get("/api/v1/reports/requirements?status=green", api.auditor());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(api.json(bad).get("field").asText()).isEqualTo("status");
  }

  @Test
  void anAuditorAttestsAManualRequirementWhichIsThenValidatedAndAudited() throws Exception {
    HttpResponse<String> r = api.send("POST", "/api/v1/requirements/BCP-1/attestations", api.auditor(), BODY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(api.json(r).get("attestedBy").asText()).isEqualTo("trent.tan");
    assertThat(api.store.audit().list(1)).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("attestation.create");
      assertThat(e.actor()).isEqualTo("trent.tan");
    });
    JsonNode validated = api.json(api.get("/api/v1/reports/requirements?status=validated", api.auditor()));
    assertThat(validated.get("requirements")).singleElement().satisfies(n -> {
      assertThat(n.get("id").asText()).isEqualTo("BCP-1");
      assertThat(n.get("attestation").get("evidenceUrl").asText()).isEqualTo("https://wiki.example/bcp");
    });
    JsonNode list = api.json(api.get("/api/v1/requirements/BCP-1/attestations", api.auditor()));
    assertThat(list.get("items")).hasSize(1);
  }

  @Test
  void refusesToAttestWhatIsNotAManualRequirementOrLacksEvidence() throws Exception {
    HttpResponse<String> checked = api.send("POST", "/api/v1/requirements/SOD-1/attestations", api.admin(), BODY);
    assertThat(checked.statusCode()).isEqualTo(404);
    assertThat(api.json(checked).get("message").asText()).contains("evaluated by a check");
    HttpResponse<String> none = api.send("POST", "/api/v1/requirements/BCP-1/attestations", api.admin(),
        "{\"note\": \"trust me\"}");
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(api.json(none).get("message").asText()).contains("needs evidence");
    assertThat(api.store.attestations().of("BCP-1")).isEmpty();
  }

  @Test
  void auditorsMayStillChangeNothingElse() throws Exception {
    HttpResponse<String> r = api.send("POST", "/api/v1/waivers", api.auditor(),
        "{\"rule\": \"PRB-1\", \"reason\": \"r\", \"approver\": \"a\", \"expires\": \"2999-01-01\"}");
    assertThat(r.statusCode()).isEqualTo(403);
    HttpResponse<String> nested = api.send("POST", "/api/v1/requirements/BCP-1/attestations/x", api.auditor(), BODY);
    assertThat(nested.statusCode()).isEqualTo(403);
  }

  @Test
  void listsEachRunsKpiSnapshotNewestFirst() throws Exception {
    String run = api.json(api.send("POST", "/api/v1/schedules", api.admin(),
        "{\"name\": \"nightly\", \"cron\": \"0 0 2 * * ?\", \"sources\": [\"cmdb\"]}")).toString();
    assertThat(run).contains("nightly");
    assertThat(api.send("POST", "/api/v1/schedules/nightly/run", api.admin(), null).statusCode()).isEqualTo(202);
    ApiTestServer.await(() -> !api.store.kpis().latest(1).isEmpty());
    JsonNode doc = api.json(api.get("/api/v1/reports/kpis?limit=5", api.auditor()));
    assertThat(doc.get("items")).singleElement().satisfies(k -> {
      assertThat(k.get("opened").asInt()).isEqualTo(1);
      assertThat(k.get("openByCheck").get("problem").asInt()).isEqualTo(1);
      assertThat(k.get("requirementsByStatus").get("not-validated").asInt()).isEqualTo(2);
    });
    assertThat(api.get("/api/v1/reports/kpis?limit=0", api.auditor()).statusCode()).isEqualTo(400);
  }
}
