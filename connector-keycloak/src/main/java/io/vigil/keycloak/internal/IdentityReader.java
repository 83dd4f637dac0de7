package io.vigil.keycloak.internal;

import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Reads identities: every user (paged; brief unless attributes are wanted), the service-account user of
 * each client that has one (a plain user listing leaves them out), partner identity-provider links (one
 * paged search per provider alias, not one request per user), and credentials for the given privileged
 * identities only. Not thread-safe: one instance per collection.
 */
public final class IdentityReader {
  private final AdminApi api;
  private final String base;
  private final Map<String, String> serviceAccounts = new LinkedHashMap<>();

  public IdentityReader(AdminApi api) {
    this.api = api;
    this.base = "GET /admin/realms/" + api.realmName();
  }

  /** Every identity by id, in listing order; attributes limited to {@code attributes}. */
  public Map<String, Identity.Builder> read(List<ClientRepresentation> clients, Set<String> attributes,
      Collection<String> partnerAliases) {
    boolean brief = attributes.isEmpty();
    Map<String, Identity.Builder> out = new LinkedHashMap<>();
    for (UserRepresentation u : api.pages(base + "/users",
        (first, max) -> api.realm().users().search(null, first, max, brief))) {
      out.put(u.getId(), builder(u, IdentityKind.PERSON, attributes));
    }
    for (ClientRepresentation c : clients) {
      if (!Boolean.TRUE.equals(c.isServiceAccountsEnabled())) continue;
      UserRepresentation sa = api.call(base + "/clients/" + c.getId() + "/service-account-user",
          () -> api.realm().clients().get(c.getId()).getServiceAccountUser());
      if (sa != null) {
        out.put(sa.getId(), builder(sa, IdentityKind.SERVICE_ACCOUNT, attributes));
        serviceAccounts.put(c.getClientId(), sa.getId());
      }
    }
    Map<String, Set<String>> links = new HashMap<>();
    for (String alias : new TreeSet<>(partnerAliases)) {
      api.pages(base + "/users?idpAlias=" + alias,
          (first, max) -> api.realm().users().search(null, null, null, null, null, alias, null, first, max, null, true))
          .forEach(u -> links.computeIfAbsent(u.getId(), k -> new TreeSet<>()).add(alias));
    }
    links.forEach((id, aliases) -> {
      Identity.Builder b = out.get(id);
      if (b != null) b.identityProviders(aliases);
    });
    return out;
  }

  /** The service-account user id of each client that has one, by clientId, as found by {@link #read}. */
  public Map<String, String> serviceAccounts() {
    return Map.copyOf(serviceAccounts);
  }

  /** The credential types (otp, webauthn, password, ...) one identity has set up. */
  public Set<String> credentials(String userId) {
    List<CredentialRepresentation> creds = api.call(base + "/users/" + userId + "/credentials",
        () -> api.realm().users().get(userId).credentials());
    Set<String> types = new HashSet<>();
    creds.forEach(c -> types.add(c.getType().toLowerCase(Locale.ROOT)));
    return types;
  }

  private static Identity.Builder builder(UserRepresentation u, IdentityKind kind, Set<String> attributes) {
    Map<String, List<String>> attrs = new TreeMap<>();
    if (u.getAttributes() != null) {
      u.getAttributes().forEach((k, v) -> {
        if (attributes.contains(k) && v != null) attrs.put(k, List.copyOf(v));
      });
    }
    return Identity.builder(u.getId())
        .username(u.getUsername())
        .email(u.getEmail())
        .name(String.join(" ", java.util.stream.Stream.of(u.getFirstName(), u.getLastName())
            .filter(n -> n != null && !n.isBlank()).toList()))
        .kind(kind)
        .enabled(!Boolean.FALSE.equals(u.isEnabled()))
        .createdAt(u.getCreatedTimestamp() == null ? null : Instant.ofEpochMilli(u.getCreatedTimestamp()))
        .attributes(attrs);
  }
}
