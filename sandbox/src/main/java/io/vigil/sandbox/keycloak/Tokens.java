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

    String issue(String issuer, Client client) {
        long now = System.currentTimeMillis();
        ObjectNode payload = Representations.MAPPER.createObjectNode();
        payload.put("exp", now / 1000 + LIFESPAN_SECONDS);
        payload.put("iat", now / 1000);
        payload.put("jti", java.util.UUID.randomUUID().toString());
        payload.put("iss", issuer);
        payload.put("sub", client.serviceAccount.id);
        payload.put("typ", "Bearer");
        payload.put("azp", client.clientId);
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
