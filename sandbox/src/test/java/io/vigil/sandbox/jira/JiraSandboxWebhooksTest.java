package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jira's webhooks in the sandbox: the admin webhook API (administrators only, secrets never shown), the dynamic
 * webhook API refusing callers that are not apps (contract-checked), and deliveries signed as Jira signs them, to
 * the webhooks whose events and JQL filter match.
 */
class JiraSandboxWebhooksTest {
    private JiraSandbox sandbox;
    private JiraHttp http;
    private Javalin receiver;
    private final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        http = JiraHttp.vigil(sandbox);
        receiver = Javalin.create(c -> c.showJavalinBanner = false).start("127.0.0.1", 0);
        receiver.post("/hook", ctx -> {
            received.add(new String[]{ctx.body(), ctx.header("X-Hub-Signature"), ctx.header("X-Atlassian-Webhook-Identifier")});
            ctx.status(200);
        });
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.stop();
        assertThat(sandbox.violations()).isEmpty();
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.port() + "/hook";
    }

    private JiraHttp.Response register(String jql, String secret) {
        return http.post("/rest/webhooks/1.0/webhook", """
                {"name":"test hook","url":"%s","events":["jira:issue_created","jira:issue_updated"],
                 "filters":{"issue-related-events-section":"%s"},"excludeBody":false%s}"""
                .formatted(hookUrl(), jql, secret == null ? "" : ",\"secret\":\"" + secret + "\""));
    }

    @Test
    void anAdministratorRegistersAWebhookWhoseSecretIsNeverShownAgain() {
        JiraHttp.Response created = register("project = ITSM", "s3cret-hook");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().path("self").asText()).isEqualTo(sandbox.baseUrl() + "/rest/webhooks/1.0/webhook/1");
        assertThat(created.text()).doesNotContain("s3cret-hook");
        JsonNode list = http.ok("GET", "/rest/webhooks/1.0/webhook", null);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("filters").path("issue-related-events-section").asText()).isEqualTo("project = ITSM");
        assertThat(list.toString()).doesNotContain("s3cret-hook");
        assertThat(sandbox.webhooks().get(0).path("hasSecret").asBoolean()).isTrue();

        JiraHttp.Response changed = http.put("/rest/webhooks/1.0/webhook/1", """
                {"name":"renamed","url":"%s","events":["jira:issue_created"],"filters":{"issue-related-events-section":"project = SEC"}}"""
                .formatted(hookUrl()));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(sandbox.webhooks().get(0).path("hasSecret").asBoolean()).as("an update without secret keeps it").isTrue();
        assertThat(http.delete("/rest/webhooks/1.0/webhook/1").status()).isEqualTo(204);
        assertThat(http.get("/rest/webhooks/1.0/webhook/1").status()).isEqualTo(404);
        assertThat(sandbox.webhooks()).isEmpty();
    }

    @Test
    void aUserWhoIsNoAdministratorIsRefusedAndAnInvalidFilterIsA400InJqlsWords() {
        JiraHttp.Response bad = register("project = NOPE", "x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errorMessages").toString()).contains("The value 'NOPE' does not exist for the field 'project'.");
        sandbox.denyPermissions("ADMINISTER");
        JiraHttp.Response refused = register("project = ITSM", "x");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(http.get("/rest/webhooks/1.0/webhook").status()).isEqualTo(403);
        assertThat(sandbox.webhooks()).isEmpty();
    }

    @Test
    void theDynamicWebhookApiIsForAppsOnlyAndAnswersAnApiTokenCaller403AsItsContractSays() {
        JiraHttp.Response post = http.post("/rest/api/3/webhook", """
                {"url":"%s","webhooks":[{"events":["jira:issue_created"],"jqlFilter":"project = ITSM"}]}""".formatted(hookUrl()));
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.json().path("errorMessages").get(0).asText()).isEqualTo("Only apps can access this resource.");
        assertThat(http.get("/rest/api/3/webhook").status()).isEqualTo(403);
        assertThat(http.put("/rest/api/3/webhook/refresh", "{\"webhookIds\":[1]}").status()).isEqualTo(403);
        assertThat(http.send("DELETE", "/rest/api/3/webhook", "{\"webhookIds\":[1]}").status()).isEqualTo(403);
        assertThat(http.get("/rest/api/3/webhook/failed").status()).isEqualTo(403);
    }

    @Test
    void deliversSignedIssueEventsToTheWebhooksWhoseFilterMatches() throws Exception {
        assertThat(register("project = ITSM", "s3cret-hook").status()).isEqualTo(201);
        JsonNode created = http.ok("POST", "/rest/servicedeskapi/request", """
                {"serviceDeskId":"1","requestTypeId":"13","requestFieldValues":{"summary":"Access please"}}""");
        String key = created.path("issueKey").asText();
        String[] first = received.poll(10, TimeUnit.SECONDS);
        assertThat(first).as("a delivery of the new request").isNotNull();
        JsonNode body = JiraHttp.MAPPER.readTree(first[0]);
        assertThat(body.path("webhookEvent").asText()).isEqualTo("jira:issue_created");
        assertThat(body.path("issue").path("key").asText()).isEqualTo(key);
        assertThat(body.path("issue").path("fields").path("project").path("key").asText()).isEqualTo("ITSM");
        assertThat(body.path("timestamp").asLong()).isPositive();
        assertThat(body.path("matchedWebhookIds").get(0).asLong()).isEqualTo(1);
        javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
        m.init(new javax.crypto.spec.SecretKeySpec("s3cret-hook".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(first[1]).isEqualTo("sha256=" + HexFormat.of().formatHex(m.doFinal(first[0].getBytes(StandardCharsets.UTF_8))));
        assertThat(first[2]).isNotBlank();

        sandbox.setIssueField(key, "customfield_10300", "{\"value\":\"realm:release-manager\",\"id\":\"10402\"}");
        String[] second = received.poll(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(JiraHttp.MAPPER.readTree(second[0]).path("webhookEvent").asText()).isEqualTo("jira:issue_updated");
        assertThat(second[2]).as("each delivery has its own identifier").isNotEqualTo(first[2]);

        // a compliance ticket in SEC is outside the filter: nothing is delivered
        http.ok("POST", "/rest/api/3/issue", """
                {"fields":{"project":{"key":"SEC"},"issuetype":{"name":"Compliance Finding"},"summary":"elsewhere"}}""");
        assertThat(received.poll(1, TimeUnit.SECONDS)).isNull();
        List<WebhookDelivery> made = sandbox.webhookDeliveries();
        assertThat(made).extracting(WebhookDelivery::issueKey).containsExactly(key, key);
        assertThat(made).allSatisfy(d -> assertThat(d.signed()).isTrue()).allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
    }
}
