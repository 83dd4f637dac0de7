package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JiraSandboxAssetsTest {
    private static JiraSandbox sandbox;
    private static JiraHttp http;
    private static String prefix;

    @BeforeAll
    static void start() {
        sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        http = JiraHttp.vigil(sandbox);
        prefix = sandbox.assetsBaseUrl().substring(sandbox.baseUrl().length());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void findsTheWorkspace() {
        JsonNode ws = http.ok("GET", "/rest/servicedeskapi/assets/workspace", null);
        assertThat(ws.at("/values/0/workspaceId").asText()).isEqualTo(sandbox.workspaceId());
        assertThat(sandbox.assetsBaseUrl()).endsWith("/jsm/assets/workspace/" + sandbox.workspaceId() + "/v1");
    }

    @Test
    void pagesThroughAqlResults() {
        List<String> keys = new ArrayList<>();
        int startAt = 0;
        while (true) {
            JsonNode page = http.ok("POST", prefix + "/object/aql?startAt=" + startAt + "&maxResults=10&includeAttributes=true",
                    "{\"qlQuery\":\"objectSchema = CMDB\"}");
            page.get("values").forEach(o -> keys.add(o.get("objectKey").asText()));
            assertThat(page.get("total").asInt()).isEqualTo(44);
            if (page.get("isLast").asBoolean()) {
                break;
            }
            startAt += 10;
        }
        assertThat(keys).hasSize(44).doesNotHaveDuplicates();
    }

    @Test
    void theSameQueryAnswersAnewOnceAnObjectChanged() {
        // a query's objects are kept per site version (a full read asks the same query for every page)
        String query = "{\"qlQuery\":\"objectSchema = CMDB AND Confidentiality = secret\"}";
        List<String> before = keys(http.ok("POST", prefix + "/object/aql?maxResults=100", query));
        assertThat(before).contains("CMDB-1");
        assertThat(keys(http.ok("POST", prefix + "/object/aql?maxResults=100", query))).isEqualTo(before);
        try {
            sandbox.setObjectAttribute("CMDB-1", "Confidentiality", "internal");
            List<String> after = keys(http.ok("POST", prefix + "/object/aql?maxResults=100", query));
            List<String> expected = new ArrayList<>(before);
            expected.remove("CMDB-1");
            assertThat(after).isEqualTo(expected);
        } finally {
            sandbox.setObjectAttribute("CMDB-1", "Confidentiality", "secret");
        }
        assertThat(keys(http.ok("POST", prefix + "/object/aql?maxResults=100", query))).isEqualTo(before);
    }

    private static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("values").forEach(o -> keys.add(o.get("objectKey").asText()));
        return keys;
    }

    @Test
    void filtersByTypeKeyAndAttribute() {
        JsonNode servers = http.ok("POST", prefix + "/object/aql?maxResults=100", "{\"qlQuery\":\"objectType = Server\"}");
        servers.get("values").forEach(o -> assertThat(o.at("/objectType/name").asText()).isEqualTo("Server"));
        JsonNode two = http.ok("POST", prefix + "/object/aql?maxResults=100", "{\"qlQuery\":\"objectType IN (Database, \\\"Network device\\\")\"}");
        assertThat(two.get("values")).extracting(o -> o.at("/objectType/name").asText()).contains("Database", "Network device")
                .doesNotContain("Server");
        JsonNode one = http.ok("POST", prefix + "/object/aql", "{\"qlQuery\":\"Key = CMDB-1\"}");
        assertThat(one.get("values")).hasSize(1);
        JsonNode db = one.at("/values/0");
        assertThat(db.get("label").asText()).isEqualTo("payroll-db");
        String confidentialityId = attributeId(one, "Confidentiality");
        JsonNode conf = null;
        for (JsonNode a : db.get("attributes")) {
            if (a.get("objectTypeAttributeId").asText().equals(confidentialityId)) {
                conf = a;
            }
        }
        assertThat(conf).isNotNull();
        assertThat(conf.at("/objectAttributeValues/0/value").asText()).isEqualTo("secret");
        JsonNode secret = http.ok("POST", prefix + "/object/aql?maxResults=100", "{\"qlQuery\":\"Confidentiality = secret\"}");
        assertThat(secret.get("values")).extracting(o -> o.get("objectKey").asText()).contains("CMDB-1", "CMDB-2");
        assertThat(http.post(prefix + "/object/aql", "{\"qlQuery\":\"Colour = blue\"}").status()).isEqualTo(400);
    }

    @Test
    void servesReferencesAndUsersAndSingleObjects() {
        JsonNode app = http.ok("GET", prefix + "/object/2", null);
        assertThat(app.get("objectKey").asText()).isEqualTo("CMDB-2");
        List<String> refs = new ArrayList<>();
        String owner = null;
        for (JsonNode a : app.get("attributes")) {
            for (JsonNode v : a.get("objectAttributeValues")) {
                if (v.has("referencedObject")) {
                    refs.add(v.at("/referencedObject/objectKey").asText());
                }
                if (v.has("user")) {
                    owner = v.at("/user/emailAddress").asText();
                }
            }
        }
        assertThat(refs).containsExactly("CMDB-3", "CMDB-1");
        assertThat(owner).isEqualTo("yusuf.yilmaz@acme.example");
        assertThat(http.get(prefix + "/object/9999").status()).isEqualTo(404);
        assertThat(http.get("/jsm/assets/workspace/other/v1/object/1").status()).isEqualTo(404);
    }

    private static String attributeId(JsonNode result, String name) {
        for (JsonNode d : result.get("objectTypeAttributes")) {
            if (d.get("name").asText().equals(name)) {
                return d.get("id").asText();
            }
        }
        throw new AssertionError("no attribute " + name);
    }
}
