package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil verify}: an auditor proves the store's history untouched, or learns the first row that was not. */
class VerifyCommandTest {
  @TempDir Path dir;
  private Path config;
  private String url;

  @BeforeEach
  void runOnce() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        classification:
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server]
        """);
    url = "jdbc:h2:file:" + dir.resolve("store/vigil").toAbsolutePath();
    config = dir.resolve("vigil.yaml");
    Files.writeString(config, """
        store: { url: "%s" }
        policy: policy.yaml
        connectors:
          cmdb:
            type: memory
            cis:
              - { key: SRV-1, type: Server }
              - { key: SRV-2, type: Server }
            people: [grace.gomez]
        """.formatted(url));
    assertThat(Cli.run("run", "--config", config.toString()).exitCode).isZero();
    assertThat(Cli.run("waive", "--config", config.toString(), "--rule", "CLS-1", "--subject", "ci:SRV-2",
        "--reason", "decommissioned next week", "--approver", "grace.gomez", "--expires", "2099-01-31").exitCode)
        .isZero();
  }

  @Test
  void saysEveryChainIsIntactWithItsLengthAndExitsZero() {
    Cli cli = Cli.run("verify", "--config", config.toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    assertThat(cli.out).containsPattern("finding events +intact \\(2 rows\\), head [0-9a-f]{64}")
        .containsPattern("audit log +intact \\(1 row\\)")
        .containsPattern("waivers +intact \\(1 row\\)");
  }

  @Test
  void namesTheEditedHistoryRowAndExitsOne() throws Exception {
    long id;
    try (Connection c = DriverManager.getConnection(url); var s = c.createStatement()) {
      var rs = s.executeQuery("SELECT MIN(id) FROM finding_events");
      rs.next();
      id = rs.getLong(1);
      s.executeUpdate("UPDATE finding_events SET detail = 'nothing to see here' WHERE id = " + id);
    }
    Cli cli = Cli.run("verify", "--config", config.toString(), "--json");
    assertThat(cli.exitCode).isEqualTo(1);
    JsonNode doc = new ObjectMapper().readTree(cli.out);
    assertThat(doc.get("intact").asBoolean()).isFalse();
    JsonNode events = doc.get("chains").get(0);
    assertThat(events.get("chain").asText()).isEqualTo("finding events");
    assertThat(events.get("brokenAt").asText()).isEqualTo(Long.toString(id));
    assertThat(events.get("problem").asText()).contains("was changed");
    assertThat(doc.get("chains").get(1).get("intact").asBoolean()).isTrue();
  }
}
