package io.vigil.cli.demo;

import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small slice of Acme Corp (sandbox/DEMO-ORG.md) held in memory: CIs with good, missing, invalid and
 * too-low classifications, and a few incidents. The JSM and Keycloak sandboxes replace it with the full
 * organisation.
 */
public final class DemoOrganisation {
  private DemoOrganisation() {}

  public static MemoryJira serviceDesk() {
    List<ConfigurationItem> cis = new ArrayList<>();
    cis.add(ci("CMDB-1", "payroll-db", "Database", "yusuf.yilmaz@acme.example", Classification.of("secret", "secret", "confidential")));
    cis.add(ci("CMDB-2", "payroll-app", "Application", "yusuf.yilmaz@acme.example", Classification.of("secret", "confidential", "internal"), "CMDB-3", "CMDB-1"));
    cis.add(ci("CMDB-3", "srv-app-01", "Server", "victor.vance@acme.example", Classification.of("internal", "confidential", "internal")));
    cis.add(ci("CMDB-4", "srv-web-01", "Server", "victor.vance@acme.example", Classification.of("public", null, null)));
    cis.add(ci("CMDB-5", "crm", "Application", "", Classification.of("top-secret", "internal", "internal")));
    cis.add(ci("CMDB-6", "intranet", "Application", "wendy.wu@acme.example", Classification.of("internal", "internal", "internal"), "CMDB-4"));
    cis.add(ci("CMDB-7", "core-switch-1", "Network device", "victor.vance@acme.example", Classification.NONE));
    cis.add(ci("CMDB-8", "hr-db", "Database", "wendy.wu@acme.example", Classification.NONE));
    AccountRef wendy = new AccountRef("5b10a2844c20165700ede229", "wendy.wu@acme.example", "Wendy Wu");
    AccountRef erin = new AccountRef("5b10a2844c20165700ede21e", "erin.eriksen@acme.example", "Erin Eriksen");
    List<ServiceIssue> issues = List.of(
        ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).requestType("Report a security incident")
            .summary("Suspicious phishing e-mail asking for payroll credentials").reporter(wendy).assignee(erin)
            .affectedCis(List.of("CMDB-2")).status("Open").created(Instant.parse("2026-11-20T09:12:00Z"))
            .updated(Instant.parse("2026-11-20T09:30:00Z")).build(),
        ServiceIssue.builder("ITSM-2").kind(IssueKind.INCIDENT).requestType("Get IT help")
            .summary("<script>alert(1)</script> printer on floor 3 jams").reporter(wendy)
            .status("Open").created(Instant.parse("2026-11-21T08:00:00Z")).updated(Instant.parse("2026-11-21T08:00:00Z"))
            .build());
    return new MemoryJira(cis, issues);
  }

  private static ConfigurationItem ci(String key, String name, String type, String owner, Classification c,
      String... dependsOn) {
    return ConfigurationItem.builder(key).name(name).type(type).owner(owner).classification(c)
        .dependsOn(List.of(dependsOn)).attributes(Map.of("Name", name)).build();
  }
}
