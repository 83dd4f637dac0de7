package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static io.vigil.sandbox.keycloak.SandboxHttp.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeycloakSandboxEventsTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void listsEventsNewestFirstWithTypeDateAndPagingFilters() {
        try (KeycloakSandbox sandbox = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            String bob = sandbox.userId("bob.berg");
            assertThat(sandbox.addLoginEvent("bob.berg", T0)).isTrue();
            sandbox.addLoginEvent("alice.andersen", T0.plusSeconds(86400));
            sandbox.addEvent("LOGIN_ERROR", "bob.berg", T0.plusSeconds(3600), "portal", "10.0.0.9");
            sandbox.addLoginEvent(bob, T0.plusSeconds(2 * 86400));
            SandboxHttp http = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret");

            JsonNode all = http.ok("/events");
            assertThat(field(all, "type")).containsExactly("LOGIN", "LOGIN", "LOGIN_ERROR", "LOGIN");
            assertThat(all.get(0).get("time").asLong()).isEqualTo(T0.plusSeconds(2 * 86400).toEpochMilli());
            assertThat(all.get(0).get("realmId").asText()).isEqualTo("acme-test-id");

            JsonNode logins = http.ok("/events?type=LOGIN");
            assertThat(logins).hasSize(3);
            assertThat(http.ok("/events?type=LOGIN&user=" + bob)).hasSize(2);
            assertThat(http.ok("/events?type=LOGIN&dateFrom=2026-11-02&dateTo=2026-11-02")).hasSize(1);
            assertThat(http.ok("/events?dateFrom=" + T0.plusSeconds(60).toEpochMilli())).hasSize(3);
            assertThat(http.ok("/events?direction=asc&max=1").get(0).get("time").asLong()).isEqualTo(T0.toEpochMilli());
            JsonNode second = http.ok("/events?type=LOGIN&first=1&max=1");
            assertThat(second.get(0).get("userId").asText()).isEqualTo(sandbox.userId("alice.andersen"));
            assertThat(http.get("/events?dateFrom=yesterday").status()).isEqualTo(400);
        }
    }

    @Test
    void recordsAClientCredentialsGrantAsAClientLoginOfTheServiceAccount() {
        String json = """
                {"realm": "agents", "eventsEnabled": true, "enabledEventTypes": ["LOGIN", "CLIENT_LOGIN"],
                 "clients": [{"clientId": "agent", "secret": "agent-secret", "publicClient": false, "serviceAccountsEnabled": true}],
                 "users": [{"username": "service-account-agent", "enabled": true, "serviceAccountClientId": "agent",
                            "clientRoles": {"realm-management": ["view-events"]}}]}
                """;
        try (KeycloakSandbox sandbox = KeycloakSandbox.start("agents.json", json, 0)) {
            SandboxHttp http = new SandboxHttp(sandbox).signIn("agent", "agent-secret");
            JsonNode events = http.ok("/events?type=CLIENT_LOGIN&client=agent");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("userId").asText()).isEqualTo(sandbox.userId("service-account-agent"));
            assertThat(events.get(0).get("clientId").asText()).isEqualTo("agent");
            assertThat(events.get(0).get("details").get("grant_type").asText()).isEqualTo("client_credentials");
        }
        // the test realm keeps LOGIN and LOGIN_ERROR only: a grant is not stored, as Keycloak would not
        try (KeycloakSandbox sandbox = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            assertThat(new SandboxHttp(sandbox).signIn("vigil", "vigil-secret").ok("/events")).isEmpty();
        }
    }

    @Test
    void storesNothingWhenTheRealmHasEventsDisabledOrTheTypeOff() {
        String json = "{\"realm\":\"quiet\",\"eventsEnabled\":false,\"users\":[{\"username\":\"u1\",\"enabled\":true}]}";
        try (KeycloakSandbox quiet = KeycloakSandbox.start("quiet.json", json, 0)) {
            assertThat(quiet.addLoginEvent("u1", T0)).isFalse();
        }
        try (KeycloakSandbox sandbox = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            assertThat(sandbox.addEvent("LOGOUT", "bob.berg", T0, null, null)).isFalse();
        }
    }

    @Test
    void seedsEventsAndSessionsFromAnActivityFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("activity.json");
        Files.writeString(file, """
                {"events": [{"type": "LOGIN", "user": "bob.berg", "time": "2026-11-01T10:00:00Z", "clientId": "portal"},
                            {"user": "carol.chen", "daysAgo": 2}],
                 "sessions": [{"user": "bob.berg", "start": "2026-11-01T10:00:00Z", "ipAddress": "10.1.1.1", "clients": ["portal"]}]}
                """);
        try (KeycloakSandbox sandbox = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            sandbox.loadActivity(file);
            SandboxHttp http = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret");
            assertThat(field(http.ok("/events"), "userId")).containsExactly(sandbox.userId("carol.chen"), sandbox.userId("bob.berg"));
            JsonNode sessions = http.ok("/users/" + sandbox.userId("bob.berg") + "/sessions");
            assertThat(sessions.get(0).get("ipAddress").asText()).isEqualTo("10.1.1.1");
            assertThat(sessions.get(0).get("clients").get(sandbox.clientUuid("portal")).asText()).isEqualTo("portal");
            assertThat(http.ok("/clients/" + sandbox.clientUuid("portal") + "/user-sessions")).hasSize(1);
            assertThat(http.ok("/clients/" + sandbox.clientUuid("vigil") + "/user-sessions")).isEmpty();
        }
        Files.writeString(file, "{\"events\": [{\"user\": \"ghost\"}]}");
        try (KeycloakSandbox sandbox = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            assertThatThrownBy(() -> sandbox.loadActivity(file)).isInstanceOf(RealmFileException.class)
                    .hasMessageContaining("activity.json: events[0]").hasMessageContaining("ghost");
        }
    }

    @Test
    void eventsConfigReportsWhetherEventsAreStored() {
        try (KeycloakSandbox sandbox = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            JsonNode config = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret").ok("/events/config");
            assertThat(config.get("eventsEnabled").asBoolean()).isTrue();
            assertThat(config.get("enabledEventTypes").toString()).isEqualTo("[\"LOGIN\",\"LOGIN_ERROR\"]");
        }
    }
}
