package io.vigil.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks Keycloak bearer tokens with nimbus-jose-jwt against the issuer's JWKS: signature with an
 * allowed algorithm and a known key id (keys cached and refetched on an unknown kid, so rotation
 * works), issuer, audience, expiry and not-before. Thread-safe.
 */
public final class TokenVerifier {
  private final TokenSettings settings;
  private final DefaultJWTProcessor<SecurityContext> processor;

  public TokenVerifier(TokenSettings settings, JWKSource<SecurityContext> keys) {
    this.settings = settings;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(settings.algorithms(), keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        null, new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(), Set.of("sub", "exp"), null) {
      @Override
      public void verify(JWTClaimsSet claimsSet, SecurityContext context) throws BadJWTException {
        super.verify(claimsSet, context);
        if (!isForUs(claimsSet)) throw new BadJWTException("the token is not meant for audience " + settings.audience());
      }
    };
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** A verifier that fetches keys from the issuer's JWKS endpoint and caches them. */
  public static TokenVerifier remote(TokenSettings settings) {
    try {
      long ttl = settings.jwksCacheTtl().toMillis();
      JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(settings.jwksUri().toURL())
          .cache(ttl, Math.min(ttl, 15_000))
          .rateLimited(false)
          .retrying(true)
          .build();
      return new TokenVerifier(settings, keys);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("the JWKS address " + settings.jwksUri() + " is not a URL", e);
    }
  }

  /**
   * Verifies the value of an {@code Authorization} header.
   *
   * @throws AuthException 401 when the token is missing, malformed, unsigned, signed with an unknown key
   *     or algorithm, expired, not yet valid, from another issuer or for another audience
   */
  public Principal verify(String authorizationHeader) throws AuthException {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      throw new AuthException(401, "sign in: this request needs an Authorization: Bearer token");
    }
    if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthException(401, "the Authorization header must be 'Bearer <token>'");
    }
    String token = authorizationHeader.substring(7).trim();
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new AuthException(401, "the bearer token is not a JWT");
    } catch (BadJWTException e) {
      throw new AuthException(401, "the token was refused: " + e.getMessage());
    } catch (BadJOSEException e) {
      throw new AuthException(401, "the token's signature was refused: " + e.getMessage());
    } catch (KeySourceException e) {
      throw new AuthException(401, "the issuer's signing keys could not be fetched from " + settings.jwksUri());
    } catch (JOSEException e) {
      throw new AuthException(401, "the token could not be verified: " + e.getMessage());
    }
    return principal(claims);
  }

  private boolean isForUs(JWTClaimsSet claims) {
    List<String> audience = claims.getAudience();
    if (audience != null && audience.contains(settings.audience())) return true;
    Object azp = claims.getClaim("azp");
    return settings.audience().equals(azp);
  }

  private Principal principal(JWTClaimsSet claims) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    Set<String> names = new java.util.HashSet<>(rolesAt(claims.getClaim("realm_access")));
    Object resourceAccess = claims.getClaim("resource_access");
    if (resourceAccess instanceof Map<?, ?> clients) names.addAll(rolesAt(clients.get(settings.clientId())));
    for (Role r : Role.values()) {
      if (names.contains(r.roleName())) roles.add(r);
    }
    Object username = claims.getClaim("preferred_username");
    return new Principal(claims.getSubject(), username instanceof String s ? s : claims.getSubject(), roles);
  }

  private static Collection<String> rolesAt(Object access) {
    if (access instanceof Map<?, ?> map && map.get("roles") instanceof Collection<?> roles) {
      return roles.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }
}
