package io.vigil.sandbox.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An access request's entitlement as an Assets object: the sandbox lists the field in {@code /field} with Jira Cloud's
 * Assets objects schema, serves its value in issues as {@code [{workspaceId, id, objectId}]}, finds the objects by
 * {@code objectId IN (…)}, and forgets a deleted object while the issue keeps its reference — all under strict
 * contract checking.
 */
class JiraSandboxAccessRoleFieldTest {
    private JiraSandbox sandbox;
    private JiraHttp http;
    private String prefix;

    @BeforeEach
    void start() {
        sandbox = JiraSandbox.start(AccessRoleDataset.demo(), 0);
        http = JiraHttp.vigil(sandbox);
        prefix = sandbox.assetsBaseUrl().substring(sandbox.baseUrl().length());
    }

    @AfterEach
    void stop() {
        sandbox.close();
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void listsTheFieldWithAssetsSchemaAndServesItsValueAsJiraDoes() {
        JsonNode field = null;
        for (JsonNode f : http.ok("GET", "/rest/api/3/field", null)) {
            if (f.get("id").asText().equals(AccessRoleDataset.FIELD)) {
                field = f;
            }
        }
        assertThat(field).isNotNull();
        assertThat(field.get("name").asText()).isEqualTo(AccessRoleDataset.FIELD_NAME);
        assertThat(field.at("/schema/custom").asText()).isEqualTo("com.atlassian.jira.plugins.cmdb:cmdb-object-cftype");
        assertThat(field.at("/schema/type").asText()).isEqualTo("array");

        JsonNode page = http.ok("POST", "/rest/api/3/search/jql", "{\"jql\": \"project = ITSM AND summary ~ \\\"Release manager rights\\\"\","
                + " \"fields\": [\"summary\", \"" + AccessRoleDataset.FIELD + "\"]}");
        JsonNode value = page.at("/issues/0/fields/" + AccessRoleDataset.FIELD);
        assertThat(value.isArray()).isTrue();
        assertThat(value.get(0).get("objectId").asText()).isEqualTo("101");
        assertThat(value.get(0).get("workspaceId").asText()).isEqualTo(sandbox.workspaceId());
        assertThat(value.get(0).get("id").asText()).isEqualTo(sandbox.workspaceId() + ":101");
    }

    @Test
    void findsAccessRolesByObjectIdAndForgetsADeletedOne() {
        JsonNode two = http.ok("POST", prefix + "/object/aql?maxResults=100&includeAttributes=true",
                "{\"qlQuery\": \"objectId IN (101, 104)\"}");
        assertThat(two.get("values")).extracting(o -> o.get("objectKey").asText()).containsExactlyInAnyOrder("CMDB-101", "CMDB-104");
        assertThat(two.get("values")).extracting(o -> o.at("/objectType/name").asText()).containsOnly("Access role");

        sandbox.deleteObject(AccessRoleDataset.NOT_AN_ENTITLEMENT);
        JsonNode after = http.ok("POST", prefix + "/object/aql?maxResults=100", "{\"qlQuery\": \"objectId IN (101, 105)\"}");
        assertThat(after.get("values")).extracting(o -> o.get("objectKey").asText()).containsExactly("CMDB-101");
        assertThatThrownBy(() -> sandbox.deleteObject("CMDB-1")).hasMessageContaining("is referenced");
    }

    @Test
    void aDatasetWhoseAssetsFieldNamesAnUnknownObjectOrAnotherShapeIsRefused() {
        String json = AccessRoleDataset.json();
        String unknown = json.replace("\"objectId\":\"101\"", "\"objectId\":\"999\"");
        assertThatThrownBy(() -> JiraDataset.parse("bad", unknown)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(AccessRoleDataset.FIELD).hasMessageContaining("is not among assets.objects");
        String text = json.replaceFirst("\"" + AccessRoleDataset.FIELD + "\":\\[[^]]*]", "\"" + AccessRoleDataset.FIELD + "\":\"CMDB-101\"");
        assertThat(text).isNotEqualTo(json);
        assertThatThrownBy(() -> JiraDataset.parse("bad", text)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("holds an array of {workspaceId, id, objectId}");
    }
}
