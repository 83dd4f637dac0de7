package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JiraSandboxFaultsTest {
    private static JiraSandbox sandbox;
    private static JiraHttp http;

    @BeforeAll
    static void start() {
        sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        http = JiraHttp.vigil(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.allowAllPermissions();
        sandbox.setNearLimit(false);
        sandbox.resetCounters();
    }

    @Test
    void answers429WithRetryAfterThenRecovers() {
        sandbox.failNext(2, 429, 7);
        for (int i = 0; i < 2; i++) {
            JiraHttp.Response r = http.get("/rest/api/3/myself");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).contains("7");
            assertThat(r.json().get("errorMessages").get(0).asText()).contains("Rate limit");
        }
        assertThat(http.get("/rest/api/3/myself").status()).isEqualTo(200);
        assertThat(sandbox.requestCount("GET /rest/api/3/myself")).isEqualTo(3);
        assertThat(sandbox.requestCount()).isEqualTo(3);
    }

    @Test
    void answers503WithoutRetryAfterWhenNoneIsGiven() {
        sandbox.failNext(1, 503, null);
        JiraHttp.Response r = http.get("/rest/servicedeskapi/assets/workspace");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        assertThat(r.json().get("errorMessage").asText()).isNotBlank();
    }

    @Test
    void truncatesTheNextBody() {
        sandbox.malformNext();
        JiraHttp.Response r = http.get("/rest/api/3/myself");
        assertThat(r.status()).isEqualTo(200);
        assertThatThrownBy(r::json).isInstanceOf(AssertionError.class);
        assertThat(http.get("/rest/api/3/myself").json().get("emailAddress").asText()).isEqualTo(SiteTemplate.VIGIL_EMAIL);
    }

    @Test
    void flagsNearLimitWhenTold() {
        assertThat(http.get("/rest/api/3/myself").headers().firstValue("X-RateLimit-NearLimit")).isEmpty();
        sandbox.setNearLimit(true);
        assertThat(http.get("/rest/api/3/myself").headers().firstValue("X-RateLimit-NearLimit")).contains("true");
    }

    @Test
    void rejectsUnknownCredentialsInJirasShape() {
        JiraHttp wrong = new JiraHttp(sandbox.baseUrl(), SiteTemplate.VIGIL_EMAIL, "not-the-token");
        JiraHttp.Response r = wrong.get("/rest/api/3/myself");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("errorMessages").isArray()).isTrue();
        assertThat(r.text()).doesNotContain("not-the-token");
        assertThat(new JiraHttp(sandbox.baseUrl(), null, null).get("/rest/api/3/field").status()).isEqualTo(401);
    }

    @Test
    void acceptsABearerToken() {
        JiraHttp.Response r = new JiraHttpBearer(sandbox.baseUrl(), "vigil-demo-pat").get("/rest/api/3/myself");
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void reportsEachPermissionAndEnforcesDenials() {
        JsonNode all = http.ok("GET", "/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS", null);
        assertThat(all.at("/permissions/EDIT_ISSUES/havePermission").asBoolean()).isTrue();
        sandbox.denyPermissions("EDIT_ISSUES");
        JsonNode some = http.ok("GET", "/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES", null);
        assertThat(some.at("/permissions/BROWSE_PROJECTS/havePermission").asBoolean()).isTrue();
        assertThat(some.at("/permissions/EDIT_ISSUES/havePermission").asBoolean()).isFalse();
        assertThat(http.put("/rest/api/3/issue/ITSM-3", "{\"update\":{\"labels\":[{\"add\":\"x\"}]}}").status()).isEqualTo(403);
        assertThat(http.get("/rest/api/3/mypermissions").status()).isEqualTo(400);
    }

    @Test
    void answersUnknownRoutesWith404() {
        JiraHttp.Response r = http.get("/rest/api/3/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("errorMessages").get(0).asText()).contains("/rest/api/3/nothing-here");
    }

    /** Bearer variant of the test client. */
    static final class JiraHttpBearer {
        private final String base;
        private final String token;

        JiraHttpBearer(String base, String token) {
            this.base = base;
            this.token = token;
        }

        JiraHttp.Response get(String path) {
            try {
                var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                        .header("Authorization", "Bearer " + token).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                return new JiraHttp.Response(r.statusCode(), r.body(), r.headers());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
