package io.vigil.keycloak;

import io.vigil.core.spi.Secret;
import io.vigil.core.settings.Optional;
import java.util.List;

/**
 * The {@code keycloak} connector's settings, bound from the connector's YAML entry.
 *
 * @param url the server's base URL, e.g. {@code https://sso.example.com} (no {@code /admin} suffix)
 * @param realm the realm to read
 * @param auth the confidential client whose service account Vigil signs in as
 * @param identityAttributes user attributes to copy onto identities (e.g. affiliation, accessExpires,
 *     jiraAccountId); attributes the policy names are read as well
 * @param partnerIdentityProviders aliases of the partner identity providers whose links are read
 * @param pageSize page size of listings of users with their attributes (default 100, Keycloak's own default)
 * @param timeoutSeconds connect and read timeout per request (default 30)
 * @param briefPageSize page size of listings of brief representations — role users and groups, group members and
 *     children, roles, users without attributes (default 1000; Keycloak 26 caps none of these, its default is 100)
 * @param maxConcurrency admin requests in flight at most (default 4)
 */
public record KeycloakSettings(
    String url,
    String realm,
    Auth auth,
    List<String> identityAttributes,
    List<String> partnerIdentityProviders,
    Integer pageSize,
    Integer timeoutSeconds,
    Integer briefPageSize,
    Integer maxConcurrency) {

  /**
   * @param clientId a confidential client with service accounts enabled
   * @param clientSecret its secret
   */
  public record Auth(String clientId, Secret clientSecret) {}

  public KeycloakSettings {
    identityAttributes = List.copyOf(identityAttributes == null ? List.of() : identityAttributes);
    partnerIdentityProviders = List.copyOf(partnerIdentityProviders == null ? List.of() : partnerIdentityProviders);
    pageSize = pageSize == null || pageSize <= 0 ? 100 : pageSize;
    timeoutSeconds = timeoutSeconds == null || timeoutSeconds <= 0 ? 30 : timeoutSeconds;
    briefPageSize = briefPageSize == null || briefPageSize <= 0 ? 1000 : briefPageSize;
    maxConcurrency = maxConcurrency == null || maxConcurrency <= 0 ? 4 : maxConcurrency;
    url = url == null ? null : url.replaceAll("/+$", "");
  }

  /** Settings with defaults for everything optional. */
  public static KeycloakSettings of(String url, String realm, String clientId, String clientSecret) {
    return new KeycloakSettings(url, realm, new Auth(clientId, new Secret(clientSecret)), List.of(), List.of(), null, null, null, null);
  }

  public KeycloakSettings withIdentityAttributes(List<String> attributes) {
    return new KeycloakSettings(url, realm, auth, attributes, partnerIdentityProviders, pageSize, timeoutSeconds,
        briefPageSize, maxConcurrency);
  }

  public KeycloakSettings withPartnerIdentityProviders(List<String> aliases) {
    return new KeycloakSettings(url, realm, auth, identityAttributes, aliases, pageSize, timeoutSeconds, briefPageSize,
        maxConcurrency);
  }

  /** Both page sizes (tests use small ones to cross page boundaries). */
  public KeycloakSettings withPageSize(int size) {
    return new KeycloakSettings(url, realm, auth, identityAttributes, partnerIdentityProviders, size, timeoutSeconds, size,
        maxConcurrency);
  }

  public KeycloakSettings withMaxConcurrency(int n) {
    return new KeycloakSettings(url, realm, auth, identityAttributes, partnerIdentityProviders, pageSize, timeoutSeconds,
        briefPageSize, n);
  }
}
