package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JiraDatasetTest {
    private static String withIssue(String fields) {
        ObjectNode root = SiteTemplate.skeleton();
        try {
            root.withArray("issues").add(JiraHttp.MAPPER.readTree("{\"id\":\"10001\",\"key\":\"ITSM-1\",\"fields\":" + fields + "}"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return root.toString();
    }

    private static final String GOOD = "{\"summary\":\"s\",\"issuetype\":{\"name\":\"Incident\"},\"status\":{\"name\":\"Open\"},"
            + "\"created\":\"2026-11-01T10:00:00.000+0000\",\"updated\":\"2026-11-02T10:00:00.000+0000\","
            + "\"reporter\":{\"accountId\":\"5b10a2844c20165700ede229\"}}";

    @Test
    void readsAnIssueInJirasShape() {
        JiraDataset d = JiraDataset.parse("one.json", withIssue(GOOD));
        assertThat(d.issueKeys()).containsExactly("ITSM-1");
        assertThat(d.issueTypeCounts()).containsEntry("Incident", 1);
    }

    @Test
    void namesTheFileAndTheElementOnAnUnknownStatus() {
        assertThatThrownBy(() -> JiraDataset.parse("bad.json", withIssue(GOOD.replace("\"Open\"", "\"Limbo\""))))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("issues[0] (ITSM-1).fields.status")
                .hasMessageContaining("Limbo");
    }

    @Test
    void namesTheElementOnAnUnknownUserOrBadDate() {
        assertThatThrownBy(() -> JiraDataset.parse("bad.json", withIssue(GOOD.replace("5b10a2844c20165700ede229", "nobody"))))
                .hasMessageContaining("issues[0] (ITSM-1).fields.reporter").hasMessageContaining("nobody");
        assertThatThrownBy(() -> JiraDataset.parse("bad.json", withIssue(GOOD.replace("2026-11-01T10:00:00.000+0000", "last tuesday"))))
                .hasMessageContaining("issues[0] (ITSM-1).fields.created").hasMessageContaining("last tuesday");
        assertThatThrownBy(() -> JiraDataset.parse("bad.json", withIssue(GOOD.replace("\"summary\":\"s\",", ""))))
                .hasMessageContaining("issues[0] (ITSM-1).fields").hasMessageContaining("summary is missing");
    }

    @Test
    void namesTheElementOnABrokenOrganizationsValue() {
        assertThatThrownBy(() -> JiraDataset.parse("orgs.json", withIssue(GOOD.replace("\"summary\":\"s\",",
                "\"summary\":\"s\",\"customfield_10002\":[{\"id\":\"1\"}],"))))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("issues[0] (ITSM-1).fields.customfield_10002 (Organizations)[0]")
                .hasMessageContaining("needs an id and a name");
        assertThatThrownBy(() -> JiraDataset.parse("orgs.json", withIssue(GOOD.replace("\"summary\":\"s\",",
                "\"summary\":\"s\",\"customfield_10002\":\"Acme\","))))
                .hasMessageContaining("must be an array of organizations");
    }

    @Test
    void namesTheElementOnABrokenAssetsObject() {
        ObjectNode root = SiteTemplate.skeleton();
        ObjectNode o = root.with("assets").withArray("objects").addObject();
        o.put("id", "1").put("objectKey", "CMDB-1").putObject("objectType").put("name", "Spaceship");
        assertThatThrownBy(() -> JiraDataset.parse("cis.json", root.toString()))
                .hasMessageContaining("cis.json: assets.objects[0] (CMDB-1)").hasMessageContaining("Spaceship");
    }

    @Test
    void reportsInvalidJsonWithItsPosition(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"users\": [\n  {\"accountId\": }\n]}");
        assertThatThrownBy(() -> JiraDataset.load(file)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("broken.json").hasMessageContaining("line 2");
        assertThatThrownBy(() -> JiraDataset.load(dir.resolve("missing.json"))).hasMessageContaining("missing.json");
    }

    @Test
    void generatesABenchmarkOrganisationReproducibly() {
        JiraDataset a = JiraDataset.generate(100_000, 20_000, 42);
        assertThat(a.issueCount()).isEqualTo(100_000);
        assertThat(a.objectCount()).isEqualTo(20_000);
        assertThat(a.issueTypeCounts().keySet()).containsExactly("Change", "Incident", "Service Request");
        JiraDataset b = JiraDataset.generate(1000, 100, 42);
        JiraDataset c = JiraDataset.generate(1000, 100, 42);
        JiraSandbox sb = JiraSandbox.start(b, 0, ContractMode.OFF);
        JiraSandbox sc = JiraSandbox.start(c, 0, ContractMode.OFF);
        try {
            assertThat(sb.issue("ITSM-500")).isEqualTo(sc.issue("ITSM-500"));
        } finally {
            sb.close();
            sc.close();
        }
    }
}
