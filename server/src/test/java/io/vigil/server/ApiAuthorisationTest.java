package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the API, called with no token, a refused token, an auditor's and an administrator's. */
class ApiAuthorisationTest {
  @TempDir Path dir;
  private ApiTestServer api;

  @BeforeEach
  void start() throws Exception {
    api = new ApiTestServer(dir);
    HttpResponse<String> created = api.send("POST", "/api/v1/schedules", api.admin(),
        "{\"name\": \"nightly\", \"cron\": \"0 0 2 * * ?\", \"sources\": [\"cmdb\"]}");
    assertThat(created.statusCode()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** Every route with its path parameters filled in, and a body for writes. */
  private List<String[]> routes() {
    List<String[]> out = new ArrayList<>();
    for (String route : api.server.routes()) {
      if (!route.contains(" /api/v1/")) continue;
      String[] parts = route.split(" ", 2);
      String path = parts[1].replace("{name}", "nightly").replace("{id}", "some-id").replace("{fingerprint}", "some-fp");
      String body = parts[1].equals("/api/v1/policy/validate") ? "nonsense: 1\n"
          : parts[1].equals("/api/v1/schedules") ? "{\"name\": \"other\", \"cron\": \"0 0 3 * * ?\"}"
          : parts[1].equals("/api/v1/waivers") ? "{\"rule\": \"PRB-1\", \"reason\": \"r\", \"approver\": \"a\", \"expires\": \"2999-01-01\"}"
          : parts[1].equals("/api/v1/schedules/{name}") ? "{\"cron\": \"0 0 4 * * ?\"}"
          : parts[1].endsWith("/attestations") ? "{\"evidenceUrl\": \"https://wiki.example/x\", \"note\": \"n\"}" : null;
      out.add(new String[] {parts[0], path, body});
    }
    assertThat(out).hasSizeGreaterThanOrEqualTo(20);
    return out;
  }

  private String state() {
    return api.schedules.list() + " " + api.auditCount() + " " + api.store.waivers().all().size();
  }

  @Test
  void refusesEveryRouteWithoutATokenOrWithARefusedOneAndChangesNothing() throws Exception {
    String before = state();
    String forged = new TestTokens().token("mallory", "vigil-admin"); // signed by a key the server does not know
    for (String[] r : routes()) {
      for (String token : new String[] {null, forged, "not-a-jwt"}) {
        HttpResponse<String> response = api.send(r[0], r[1], token, r[2]);
        assertThat(response.statusCode()).as(r[0] + " " + r[1] + " with " + (token == null ? "no token" : "a bad token"))
            .isEqualTo(401);
        assertThat(api.json(response).get("error").asText()).isEqualTo("unauthorized");
      }
    }
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void letsAnAuditorReadEverythingAndChangeNothing() throws Exception {
    String before = state();
    String auditor = api.auditor();
    for (String[] r : routes()) {
      HttpResponse<String> response = api.send(r[0], r[1], auditor, r[2]);
      if (r[0].equals("GET") || r[0].equals("POST") && r[1].matches("/api/v1/requirements/[^/]+/attestations")) {
        // reading, and attesting a manual requirement: the one change auditors may make (none here: the policy has none)
        assertThat(response.statusCode()).as(r[0] + " " + r[1]).isNotIn(401, 403);
      } else {
        assertThat(response.statusCode()).as(r[0] + " " + r[1]).isEqualTo(403);
        assertThat(api.json(response).get("message").asText()).contains("vigil-admin");
      }
    }
    assertThat(state()).isEqualTo(before);
    assertThat(api.scheduler.quartz().getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup())).hasSize(1);
  }

  @Test
  void letsAnAdministratorCallEveryRoute() throws Exception {
    String admin = api.admin();
    for (String[] r : routes()) {
      if (r[0].equals("DELETE") && r[1].startsWith("/api/v1/schedules/")) continue; // called last, below
      HttpResponse<String> response = api.send(r[0], r[1], admin, r[2]);
      assertThat(response.statusCode()).as(r[0] + " " + r[1] + ": " + response.body()).isNotIn(401, 403, 405, 500);
    }
    assertThat(api.send("DELETE", "/api/v1/schedules/nightly", admin, null).statusCode()).isEqualTo(204);
  }
}
