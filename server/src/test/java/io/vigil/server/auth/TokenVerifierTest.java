package io.vigil.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  private static final String ISSUER = "http://127.0.0.1/realms/corp";

  private HttpServer jwksServer;
  private final AtomicReference<JWKSet> published = new AtomicReference<>();
  private RSAKey key;
  private TokenVerifier verifier;

  @BeforeEach
  void startJwksEndpoint() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    published.set(new JWKSet(key.toPublicJWK()));
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwksServer.createContext("/certs", exchange -> {
      byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwksServer.start();
    TokenSettings keycloak = TokenSettings.keycloak(URI.create(ISSUER), "vigil");
    TokenSettings settings = new TokenSettings(keycloak.issuer(),
        URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/certs"), "vigil", "vigil",
        keycloak.algorithms(), keycloak.clockSkew(), keycloak.jwksCacheTtl());
    verifier = TokenVerifier.remote(settings);
  }

  @AfterEach
  void stop() {
    jwksServer.stop(0);
  }

  @Test
  void acceptsAValidAdminTokenAndReadsItsRealmRoles() throws Exception {
    Principal p = verifier.verify("Bearer " + token(key, c -> {}));
    assertThat(p.subject()).isEqualTo("user-1");
    assertThat(p.username()).isEqualTo("nina.novak");
    assertThat(p.roles()).containsExactly(Role.ADMIN);
    assertThat(p.has(Role.AUDITOR)).isTrue();
  }

  @Test
  void readsVigilRolesFromTheClientRolesToo() throws Exception {
    Principal p = verifier.verify("Bearer " + token(key, c -> c
        .claim("realm_access", Map.of("roles", List.of("offline_access")))
        .claim("resource_access", Map.of("vigil", Map.of("roles", List.of("vigil-auditor"))))));
    assertThat(p.roles()).containsExactly(Role.AUDITOR);
    assertThat(p.has(Role.ADMIN)).isFalse();
  }

  @Test
  void acceptsATokenWhoseAuthorisedPartyIsVigilWhenTheAudienceIsAbsent() throws Exception {
    Principal p = verifier.verify("Bearer " + token(key, c -> c.audience((String) null).claim("azp", "vigil")));
    assertThat(p.subject()).isEqualTo("user-1");
  }

  @Test
  void refusesAMissingHeader() {
    assertRefused(null, "Authorization: Bearer");
  }

  @Test
  void refusesAHeaderThatIsNotBearer() {
    assertRefused("Basic dXNlcjpwYXNz", "must be 'Bearer <token>'");
  }

  @Test
  void refusesGarbage() {
    assertRefused("Bearer not-a-jwt", "not a JWT");
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    assertRefused("Bearer " + token(key, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(300)))), "Expired");
  }

  @Test
  void refusesATokenNotYetValid() throws Exception {
    assertRefused("Bearer " + token(key, c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))), "before");
  }

  @Test
  void refusesAnotherIssuer() throws Exception {
    assertRefused("Bearer " + token(key, c -> c.issuer("http://127.0.0.1/realms/other")), "iss");
  }

  @Test
  void refusesAnotherAudience() throws Exception {
    assertRefused("Bearer " + token(key, c -> c.audience("account").claim("azp", "account")), "audience vigil");
  }

  @Test
  void refusesAnUnsignedTokenWithAlgNone() {
    JWTClaimsSet claims = claims(c -> {}).build();
    assertRefused("Bearer " + new PlainJWT(claims).serialize(), "refused");
  }

  @Test
  void refusesAnHmacTokenEvenWhenSignedWithThePublicKeyBytes() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims(c -> {}).build());
    jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
    assertRefused("Bearer " + jwt.serialize(), "refused");
  }

  @Test
  void refusesATokenSignedWithAnUnknownKey() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k-unknown").generate();
    assertRefused("Bearer " + token(stranger, c -> {}), "refused");
  }

  @Test
  void followsKeyRotationByRefetchingOnAnUnknownKeyId() throws Exception {
    verifier.verify("Bearer " + token(key, c -> {}));
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
    published.set(new JWKSet(List.of(rotated.toPublicJWK(), key.toPublicJWK())));
    Principal p = verifier.verify("Bearer " + token(rotated, c -> {}));
    assertThat(p.subject()).isEqualTo("user-1");
  }

  @Test
  void neverEchoesTheTokenInItsMessage() throws Exception {
    String token = token(key, c -> c.issuer("http://127.0.0.1/realms/other"));
    assertThatThrownBy(() -> verifier.verify("Bearer " + token)).hasMessageNotContaining(token);
  }

  private void assertRefused(String header, String reason) {
    assertThatThrownBy(() -> verifier.verify(header))
        .isInstanceOf(AuthException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((AuthException) e).status()).isEqualTo(401));
  }

  private static JWTClaimsSet.Builder claims(Consumer<JWTClaimsSet.Builder> change) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("user-1")
        .audience("vigil")
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
        .claim("preferred_username", "nina.novak")
        .claim("realm_access", Map.of("roles", List.of("vigil-admin", "offline_access")));
    change.accept(b);
    return b;
  }

  private static String token(RSAKey signingKey, Consumer<JWTClaimsSet.Builder> change) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims(change).build());
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }
}
