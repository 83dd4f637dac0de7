package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The side file that seeds what a realm export lacks: user events and active sessions. Shape:
 * <pre>
 * {"events":   [{"type": "LOGIN", "user": "alice.andersen", "time": "2026-11-20T08:00:00Z" | "daysAgo": 3,
 *                "clientId": "portal", "ipAddress": "10.0.0.5"}],
 *  "sessions": [{"user": "bob.berg", "startedDaysAgo": 0, "ipAddress": "10.0.0.7", "clients": ["portal"]}]}
 * </pre>
 * {@code daysAgo} and {@code startedDaysAgo} are relative to the moment of loading, so a demo stays
 * current. Errors name the file and the entry.
 */
final class ActivityFile {
    private ActivityFile() {
    }

    static void load(Path file, KeycloakSandbox sandbox, Instant now) {
        JsonNode root;
        try {
            root = Representations.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new RealmFileException("Cannot read activity file " + file + ": " + e.getMessage()
                    + ". It must be JSON with \"events\" and/or \"sessions\" arrays.", e);
        }
        int i = 0;
        for (JsonNode e : root.path("events")) {
            String where = file.getFileName() + ": events[" + i++ + "]";
            try {
                sandbox.addEvent(e.path("type").asText("LOGIN"), required(e, "user", where), time(e, "time", "daysAgo", now, where),
                        e.path("clientId").asText("account-console"), e.path("ipAddress").asText("127.0.0.1"));
            } catch (IllegalArgumentException ex) {
                throw new RealmFileException(where + ": " + ex.getMessage() + ".", ex);
            }
        }
        i = 0;
        for (JsonNode s : root.path("sessions")) {
            String where = file.getFileName() + ": sessions[" + i++ + "]";
            List<String> clients = new ArrayList<>();
            s.path("clients").forEach(c -> clients.add(c.asText()));
            Instant start = time(s, "start", "startedDaysAgo", now, where);
            try {
                sandbox.addSession(required(s, "user", where), start, s.has("lastAccess") ? Instant.parse(s.get("lastAccess").asText()) : start,
                        s.path("ipAddress").asText("127.0.0.1"), clients.toArray(String[]::new));
            } catch (IllegalArgumentException ex) {
                throw new RealmFileException(where + ": " + ex.getMessage() + ".", ex);
            }
        }
    }

    private static String required(JsonNode n, String field, String where) {
        if (!n.hasNonNull(field)) {
            throw new RealmFileException(where + " has no \"" + field + "\" (a username or user id).");
        }
        return n.get(field).asText();
    }

    private static Instant time(JsonNode n, String absolute, String daysAgo, Instant now, String where) {
        if (n.hasNonNull(absolute)) {
            try {
                return Instant.parse(n.get(absolute).asText());
            } catch (RuntimeException e) {
                throw new RealmFileException(where + ": \"" + absolute + "\" is not an ISO-8601 instant such as 2026-11-20T08:00:00Z.", e);
            }
        }
        if (n.hasNonNull(daysAgo)) {
            return now.minus(Duration.ofMinutes(Math.round(n.get(daysAgo).asDouble() * 24 * 60)));
        }
        return now;
    }
}
