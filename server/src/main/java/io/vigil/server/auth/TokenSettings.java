package io.vigil.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * How bearer tokens are checked.
 *
 * @param issuer the exact {@code iss} expected, e.g. {@code https://sso.example.com/realms/corp}
 * @param jwksUri where the issuer publishes its keys; Keycloak: {@code <issuer>/protocol/openid-connect/certs}
 * @param audience the {@code aud} (or {@code azp}) the token must be meant for, e.g. {@code vigil}
 * @param clientId the client whose client roles also count ({@code resource_access.<clientId>.roles}); may equal audience
 * @param algorithms signature algorithms accepted; anything else (and {@code none}) is refused
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param jwksCacheTtl how long fetched keys are trusted before they are fetched again
 */
public record TokenSettings(URI issuer, URI jwksUri, String audience, String clientId, Set<JWSAlgorithm> algorithms,
    Duration clockSkew, Duration jwksCacheTtl) {

  public TokenSettings {
    algorithms = Set.copyOf(algorithms);
    if (algorithms.isEmpty()) throw new IllegalArgumentException("at least one signature algorithm must be allowed");
  }

  /** Keycloak's conventions: keys under the issuer, RS256/PS256/ES256, 30 s skew, keys cached 15 min. */
  public static TokenSettings keycloak(URI issuer, String audience) {
    String base = issuer.toString().replaceAll("/+$", "");
    return new TokenSettings(URI.create(base), URI.create(base + "/protocol/openid-connect/certs"), audience, audience,
        Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), Duration.ofSeconds(30),
        Duration.ofMinutes(15));
  }
}
