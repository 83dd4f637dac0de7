package io.vigil.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.core.policy.Customer;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomersSectionTest {
  private static final String RULES = """
      securityIncidents:
        - id: SEC-1
          when: { keywords: ["breach"] }
          flag: { label: security-incident }
        - id: SLA-ACME-1
          when: { keywords: ["acme outage"] }
          flag: { label: security-incident }
        - id: SLA-ACME-2
          when: { keywords: ["acme data"] }
          flag: { label: security-incident }
        - id: SLA-GLOBEX-1
          when: { keywords: ["globex"] }
          flag: { label: security-incident }
      """;

  @Test
  void readsCustomersAsTheIssueWritesThemAndScopesTheirRules() throws Exception {
    Policy p = PolicyLoader.parse("policy.yaml", RULES + """
        customers:
          - id: acme
            name: Acme Retail
            organization: "Acme Retail"
            cis: { attribute: Customer, value: "Acme Retail" }
            sla: "Acme MSA 2026, security schedule"
            requirements: [SLA-ACME-1, SLA-ACME-2]
            report: { cron: "0 0 6 1 * ?", zone: Europe/Berlin, period: month }
          - id: globex
            name: Globex
            cis: { aql: "objectType = Server AND Customer = Globex" }
            requirements: [SLA-GLOBEX-1]
        """);
    assertThat(p.customers()).extracting(Customer::id).containsExactly("acme", "globex");
    Customer acme = p.customer("acme").orElseThrow();
    assertThat(acme.name()).isEqualTo("Acme Retail");
    assertThat(acme.organization()).isEqualTo("Acme Retail");
    assertThat(acme.sla()).isEqualTo("Acme MSA 2026, security schedule");
    assertThat(acme.cis().attribute()).isEqualTo("Customer");
    assertThat(acme.cis().byAql()).isFalse();
    assertThat(acme.report().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(acme.report().period()).isEqualTo(Customer.Period.MONTH);
    assertThat(acme.report().cron()).isEqualTo("0 0 6 1 * ?");
    Customer globex = p.customer("globex").orElseThrow();
    assertThat(globex.cis().byAql()).isTrue();
    assertThat(globex.report()).isNull();
    // the baseline (SEC-1) applies to everyone, a customer's own rules to it only
    assertThat(p.requirementsOf(acme)).extracting(Requirement::id).containsExactly("SEC-1", "SLA-ACME-1", "SLA-ACME-2");
    assertThat(p.requirementsOf(globex)).extracting(Requirement::id).containsExactly("SEC-1", "SLA-GLOBEX-1");
    assertThat(p.customersOf("SLA-ACME-2")).containsExactly(acme);
    assertThat(p.customersOf("SEC-1")).isEmpty();
  }

  @Test
  void reportsEveryProblemOfTheSectionInOnePassWithItsLine() {
    String text = RULES + """
        customers:
          - id: acme
            cis: { attribute: Customer, value: Acme, aql: "Customer = Acme" }
            requirements: [SLA-ACME-1, SLA-NOPE]
            report: { cron: "every monday", zone: Mars/Olympus, period: fortnight }
          - id: acme
            cis: {}
            requirements: [SLA-ACME-2]
          - id: globex
            cis: { attribute: Customer }
            requirements: [SLA-GLOBEX-1, SLA-GLOBEX-1]
        """;
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", text));
    assertThat(e).isNotNull();
    List<Problem> problems = e.problems();
    assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo("policy.yaml"));
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(16);
      assertThat(p.message()).contains("customer acme").contains("not both");
    });
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(17);
      assertThat(p.message()).contains("'SLA-NOPE' is not a rule of this policy");
    });
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(18);
      assertThat(p.message()).contains("report.cron 'every monday' is not a Quartz cron expression");
    });
    assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("report.zone 'Mars/Olympus' is not a time zone"));
    assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("report.period 'fortnight' is not one of week, month, quarter"));
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(19);
      assertThat(p.message()).contains("duplicate customer id 'acme' (first at line 15)");
    });
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(20);
      assertThat(p.message()).contains("found neither");
    });
    assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("cis.attribute 'Customer' needs a value"));
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(24);
      assertThat(p.message()).contains("'SLA-GLOBEX-1' is listed twice");
    });
  }

  @Test
  void aCustomerMissingItsCisOrWithAnUnknownKeyIsAProblemAndTheOthersAreStillChecked() {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", RULES + """
        customers:
          - id: acme
            requirements: [SLA-ACME-1]
          - id: globex
            cis: { aql: "Customer = Globex" }
            requirements: [SLA-UNKNOWN]
        """));
    assertThat(e).isNotNull();
    assertThat(e.problems()).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(15);
      assertThat(p.message()).contains("missing required key 'cis'");
    });
    assertThat(e.problems()).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(19);
      assertThat(p.message()).contains("customer globex: requirement 'SLA-UNKNOWN' is not a rule");
    });
  }
}
