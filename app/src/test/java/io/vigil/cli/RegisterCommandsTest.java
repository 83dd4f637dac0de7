package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterCommandsTest {
  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        classification:
          source: ISO 27001 A.5.12
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server]
        manual:
          - id: BCP-1
            title: The continuity plan is tested every year
            source: { kind: contract, ref: "Acme MSA §9", customer: acme, region: EU }
            attestEvery: 365d
        """);
    config = dir.resolve("vigil.yaml");
    Files.writeString(config, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb:
            type: memory
            cis:
              - { key: SRV-1, type: Server }
        """.formatted(dir.resolve("store/vigil").toAbsolutePath()));
  }

  @Test
  void validatePrintsAPlainTextSourceAsAWarningAndStillAcceptsThePolicy() {
    Cli cli = Cli.run("validate", "--config", config.toString());
    assertThat(cli.exitCode).isZero();
    assertThat(cli.out).contains("is valid").contains("warning: ").contains("policy.yaml:2:")
        .contains("CLS-1: the source is plain text");
  }

  @Test
  void attestsAManualRequirementWithALinkOrAFileAndTheReportCountsItValidated() throws Exception {
    Cli link = Cli.run("attest", "--config", config.toString(), "--requirement", "BCP-1",
        "--evidence", "https://wiki.example/bcp-2026", "--note", "failover test passed", "--by", "ada.auditor");
    assertThat(link.exitCode).as(link.err).isZero();
    assertThat(link.out).contains("BCP-1 attested by ada.auditor with https://wiki.example/bcp-2026");
    Path evidence = Files.writeString(dir.resolve("report.pdf"), "abc");
    Cli file = Cli.run("attest", "--config", config.toString(), "--requirement", "BCP-1", "--file", evidence.toString(),
        "--note", "signed report", "--by", "ada.auditor");
    assertThat(file.exitCode).as(file.err).isZero();
    assertThat(file.out).contains("report.pdf (sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad)");

    Cli report = Cli.run("report", "--config", config.toString());
    assertThat(report.exitCode).as(report.err).isZero();
    JsonNode doc = new ObjectMapper().readTree(report.out);
    assertThat(doc.get("byStatus").get("validated").asLong()).isEqualTo(1);
    assertThat(doc.get("byStatus").get("not-validated").asLong()).isEqualTo(1);
    assertThat(doc.get("byKind").get("contract").get("validated").asLong()).isEqualTo(1);
    JsonNode bcp = doc.get("requirements").get(0);
    assertThat(bcp.get("id").asText()).isEqualTo("BCP-1");
    assertThat(bcp.get("status").asText()).isEqualTo("validated");
    assertThat(bcp.get("attestation").get("evidenceName").asText()).isEqualTo("report.pdf");
    assertThat(doc.get("requirements").get(1).get("kind").asText()).isEqualTo("unspecified");
  }

  @Test
  void writesTheRegisterAsCsvToAFileAndPrintsTheCounts() throws Exception {
    Path out = dir.resolve("register.csv");
    Cli cli = Cli.run("report", "--config", config.toString(), "--format", "csv", "--out", out.toString(),
        "--customer", "acme");
    assertThat(cli.exitCode).as(cli.err).isZero();
    assertThat(cli.out).contains("1 requirement(s): 0 validated, 0 failing, 0 accepted-risk, 1 not-validated")
        .contains("contract").contains("written to " + out);
    assertThat(Files.readAllLines(out)).hasSize(2).first().asString().startsWith("id,title,severity,kind,source");
    assertThat(Files.readAllLines(out).get(1)).startsWith("BCP-1,The continuity plan is tested every year,medium,"
        + "contract,Acme MSA §9,acme,EU,true,,not-validated,\"never attested;");
  }

  @Test
  void refusesToAttestARequirementAChecksEvaluatesOrAnUnknownStatusFilter() {
    Cli cli = Cli.run("attest", "--config", config.toString(), "--requirement", "CLS-1",
        "--evidence", "https://wiki.example/x", "--note", "n", "--by", "ada.auditor");
    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("not recorded").contains("CLS-1 is evaluated by a check");
    Cli bad = Cli.run("report", "--config", config.toString(), "--status", "green");
    assertThat(bad.exitCode).isEqualTo(1);
    assertThat(bad.err).contains("--status 'green'");
  }
}
