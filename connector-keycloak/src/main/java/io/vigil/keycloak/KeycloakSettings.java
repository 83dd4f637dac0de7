package io.vigil.keycloak;

import io.vigil.core.spi.Secret;
import io.vigil.core.yaml.Optional;
import io.vigil.core.yaml.Validated;
import java.util.ArrayList;
import java.util.List;

/**
 * A Keycloak connector's settings.
 *
 * @param url the server's base URL, e.g. {@code https://sso.example.com}
 * @param realm the realm to read
 * @param auth the confidential client whose service account Vigil signs in as
 * @param attributes user attributes to read besides those the policy names (e.g. {@code jiraAccountId})
 * @param pageSize page size for every listing (default 100)
 */
public record KeycloakSettings(String url, String realm, Auth auth, List<String> attributes, @Optional Integer pageSize)
    implements Validated {

  public record Auth(String clientId, Secret clientSecret) {}

  public int page() {
    return pageSize == null ? 100 : pageSize;
  }

  @Override
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      out.add("keycloak url '" + url + "' must start with http:// or https://");
    }
    if (pageSize != null && (pageSize < 1 || pageSize > 1000)) out.add("pageSize must be between 1 and 1000");
    return out;
  }
}
