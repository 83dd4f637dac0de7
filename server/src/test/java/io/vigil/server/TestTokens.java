package io.vigil.server;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vigil.server.auth.TokenSettings;
import io.vigil.server.auth.TokenVerifier;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Signs test tokens the way Keycloak does, with a key the returned verifier trusts. */
final class TestTokens {
  static final String ISSUER = "http://127.0.0.1/realms/corp";
  private final RSAKey key;
  private final String issuer;

  TestTokens() throws Exception {
    this(ISSUER);
  }

  /** Tokens from another issuer, e.g. one whose JWKS a test serves. */
  TestTokens(String issuer) throws Exception {
    this.issuer = issuer;
    key = new RSAKeyGenerator(2048).keyID("test").generate();
  }

  /** The public keys as a JWKS document. */
  String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  TokenVerifier verifier() {
    return new TokenVerifier(TokenSettings.keycloak(URI.create(issuer), "vigil"),
        new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
  }

  String token(String username, String... realmRoles) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject("sub-" + username).audience("vigil")
        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
        .claim("preferred_username", username)
        .claim("realm_access", Map.of("roles", List.of(realmRoles)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test").build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
