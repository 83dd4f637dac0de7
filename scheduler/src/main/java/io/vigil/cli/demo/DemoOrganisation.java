package io.vigil.cli.demo;

import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import java.time.Duration;
import java.util.Set;
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
    cis.add(ConfigurationItem.builder("CMDB-9").name("payroll-share").type("Application").owner("")
        .classification(Classification.of("confidential", "internal", "internal"))
        .attributes(Map.of("Name", "payroll-share", "Access", "group:/payroll/users")).build());
    AccountRef wendy = new AccountRef("5b10a2844c20165700ede229", "wendy.wu@acme.example", "Wendy Wu");
    AccountRef erin = new AccountRef("5b10a2844c20165700ede21e", "erin.eriksen@acme.example", "Erin Eriksen");
    AccountRef bob = new AccountRef("5b10a2844c20165700ede21b", "bob.berg@acme.example", "Bob Berg");
    AccountRef dave = new AccountRef("5b10a2844c20165700ede21d", "dave.diaz@acme.example", "Dave Diaz");
    Instant approvedAt = Instant.parse("2026-11-19T14:00:00Z");
    List<ServiceIssue> issues = List.of(
        ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).requestType("Report a security incident")
            .summary("Suspicious phishing e-mail asking for payroll credentials").reporter(wendy).assignee(erin)
            .affectedCis(List.of("CMDB-2")).status("Open").created(Instant.parse("2026-11-20T09:12:00Z"))
            .updated(Instant.parse("2026-11-20T09:30:00Z")).build(),
        ServiceIssue.builder("ITSM-2").kind(IssueKind.INCIDENT).requestType("Get IT help")
            .summary("<script>alert(1)</script> printer on floor 3 jams").reporter(wendy)
            .status("Open").created(Instant.parse("2026-11-21T08:00:00Z")).updated(Instant.parse("2026-11-21T08:00:00Z"))
            .build(),
        ServiceIssue.builder("ITSM-40").kind(IssueKind.CHANGE).requestType("Change")
            .summary("Upgrade payroll database to 16.4").reporter(dave).assignee(bob).affectedCis(List.of("CMDB-1"))
            .approvals(List.of(new Approval("101", "Change approval", Decision.APPROVED,
                List.of(new ApproverDecision(bob, Decision.APPROVED, approvedAt)), approvedAt.minusSeconds(3600), approvedAt)))
            .status("Implementing").created(approvedAt.minusSeconds(7200)).updated(approvedAt).build(),
        ServiceIssue.builder("ITSM-41").kind(IssueKind.CHANGE).requestType("Change")
            .summary("Rotate intranet TLS certificate").reporter(dave).assignee(erin).affectedCis(List.of("CMDB-6"))
            .approvals(List.of(new Approval("102", "Change approval", Decision.APPROVED,
                List.of(new ApproverDecision(dave, Decision.APPROVED, approvedAt)), approvedAt.minusSeconds(3600), approvedAt)))
            .status("Done").created(approvedAt.minusSeconds(7200)).updated(approvedAt).build());
    return new MemoryJira(cis, issues);
  }

  /** The demo realm's people with the entitlements the policy cares about, and the paths they hold them by. */
  public static MemoryKeycloak identityProvider(Instant now) {
    List<Identity> people = new ArrayList<>();
    List<Grant> grants = new ArrayList<>();
    Identity alice = person("alice.andersen", now.minus(Duration.ofDays(2)), Set.of("password"));
    Identity bob = person("bob.berg", now.minus(Duration.ofDays(1)), Set.of("password", "otp"));
    Identity carol = person("carol.chen", now.minus(Duration.ofDays(1)), Set.of("password", "otp"));
    Identity heidi = person("heidi.hansen", now.minus(Duration.ofDays(3)), Set.of("password", "otp", "webauthn"));
    Identity mallory = Identity.builder("kc-mallory.moore").username("mallory.moore").email("mallory.moore@acme.example")
        .createdAt(Instant.parse("2025-06-01T08:00:00Z")).credentials(Set.of("password")).credentialsKnown(true).build();
    Identity oscar = Identity.builder("kc-oscar.olsen").username("oscar.olsen").email("oscar.olsen@acme.example")
        .enabled(false).createdAt(Instant.parse("2024-12-01T08:00:00Z")).credentialsKnown(true).build();
    Identity ivan = partner("ivan.ivanov", null, now);
    Identity judy = partner("judy.jensen", "2026-06-30", now);
    Identity peggy = partner("peggy.park", "2027-03-31", now);
    Identity backup = Identity.builder("kc-service-account-backup-agent").username("service-account-backup-agent")
        .kind(IdentityKind.SERVICE_ACCOUNT).createdAt(now.minus(Duration.ofDays(300))).lastSeen(now).build();
    people.addAll(List.of(alice, bob, carol, heidi, mallory, oscar, ivan, judy, peggy, backup));
    grants.add(direct(alice, "realm:realm-admin"));
    grants.add(direct(alice, "group:/payroll/users"));
    grants.add(direct(heidi, "realm:realm-admin"));
    grants.add(direct(bob, "realm:change-approver"));
    grants.add(new Grant(bob.id(), Entitlement.parse("client:deployer/prod-deploy"), List.of(new GrantPath(List.of(
        new Hop(HopKind.GROUP, Entitlement.group("/ops/oncall")), new Hop(HopKind.COMPOSITE, Entitlement.realmRole("release-manager")),
        new Hop(HopKind.DIRECT, Entitlement.parse("client:deployer/prod-deploy")))))));
    grants.add(direct(carol, "group:/security/approvers"));
    grants.add(new Grant(oscar.id(), Entitlement.parse("client:realm-management/manage-users"), List.of(new GrantPath(List.of(
        new Hop(HopKind.GROUP, Entitlement.group("/ops/admins")), new Hop(HopKind.COMPOSITE, Entitlement.realmRole("ops-superuser")),
        new Hop(HopKind.DIRECT, Entitlement.parse("client:realm-management/manage-users")))))));
    grants.add(new Grant(backup.id(), Entitlement.parse("realm:realm-admin"), List.of(new GrantPath(List.of(
        new Hop(HopKind.COMPOSITE, Entitlement.realmRole("backup-operator")), new Hop(HopKind.DIRECT, Entitlement.parse("realm:realm-admin")))))));
    grants.add(direct(ivan, "group:/payroll/users"));
    return new MemoryKeycloak(people, grants);
  }

  private static Identity person(String username, Instant lastSeen, Set<String> credentials) {
    return Identity.builder("kc-" + username).username(username).email(username + "@acme.example")
        .createdAt(lastSeen.minus(Duration.ofDays(500))).lastSeen(lastSeen).credentials(credentials).credentialsKnown(true)
        .build();
  }

  private static Identity partner(String username, String expires, Instant now) {
    Map<String, List<String>> attributes = expires == null ? Map.of("affiliation", List.of("partner"))
        : Map.of("affiliation", List.of("partner"), "accessExpires", List.of(expires));
    return Identity.builder("kc-" + username).username(username).email(username + "@acme.example")
        .createdAt(now.minus(Duration.ofDays(60))).lastSeen(now.minus(Duration.ofDays(5))).attributes(attributes)
        .identityProviders(Set.of("partner-idp")).credentials(Set.of("otp")).credentialsKnown(true).build();
  }

  private static Grant direct(Identity i, String entitlement) {
    return new Grant(i.id(), Entitlement.parse(entitlement), List.of(GrantPath.direct(Entitlement.parse(entitlement))));
  }

  private static ConfigurationItem ci(String key, String name, String type, String owner, Classification c,
      String... dependsOn) {
    return ConfigurationItem.builder(key).name(name).type(type).owner(owner).classification(c)
        .dependsOn(List.of(dependsOn)).attributes(Map.of("Name", name)).build();
  }
}
