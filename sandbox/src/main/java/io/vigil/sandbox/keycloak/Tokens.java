package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.keycloak.Model.Client;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks access tokens for the client-credentials grant. Tokens look like Keycloak's
 * (three base64url parts, a JSON payload with iss/sub/azp/exp) but are only meaningful to this sandbox:
 * the server remembers each one it issued. Thread-safe.
 */
final class Tokens {
    static final int LIFESPAN_SECONDS = 300;

    record Grant(String clientUuid, long expiresAtMillis) {
    }

    private final Map<String, Grant> issued = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * Issues a token for the client's service account. Like Keycloak's (full-scope client, default
     * "roles" scope) the payload carries the account's effective roles in {@code realm_access} and
     * {@code resource_access}, so a caller can see which realm-management roles it holds.
     */
    String issue(String issuer, Client client, java.util.Collection<Model.Role> effectiveRoles) {
        long now = System.currentTimeMillis();
        ObjectNode payload = Representations.MAPPER.createObjectNode();
        payload.put("exp", now / 1000 + LIFESPAN_SECONDS);
        payload.put("iat", now / 1000);
        payload.put("jti", java.util.UUID.randomUUID().toString());
        payload.put("iss", issuer);
        payload.put("sub", client.serviceAccount.id);
        payload.put("typ", "Bearer");
        payload.put("azp", client.clientId);
        payload.put("acr", "1");
        ObjectNode realmAccess = payload.putObject("realm_access");
        var realmRoles = realmAccess.putArray("roles");
        ObjectNode resourceAccess = payload.putObject("resource_access");
        for (Model.Role role : effectiveRoles) {
            if (role.clientRole()) {
                ObjectNode entry = resourceAccess.has(role.client.clientId) ? (ObjectNode) resourceAccess.get(role.client.clientId)
                        : resourceAccess.putObject(role.client.clientId);
                (entry.has("roles") ? (com.fasterxml.jackson.databind.node.ArrayNode) entry.get("roles") : entry.putArray("roles")).add(role.name);
            } else {
                realmRoles.add(role.name);
            }
        }
        payload.put("scope", "profile email");
        payload.put("email_verified", false);
        payload.put("client_id", client.clientId);
        payload.put("preferred_username", client.serviceAccount.username);
        byte[] sig = new byte[32];
        random.nextBytes(sig);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(sig);
        issued.put(token, new Grant(client.id, now + LIFESPAN_SECONDS * 1000L));
        return token;
    }

    /** The grant behind a bearer token, or null when the token is unknown or expired. */
    Grant check(String token) {
        Grant grant = token == null ? null : issued.get(token);
        if (grant == null || grant.expiresAtMillis() < System.currentTimeMillis()) {
            return null;
        }
        return grant;
    }

    void revokeAll() {
        issued.clear();
    }
}
