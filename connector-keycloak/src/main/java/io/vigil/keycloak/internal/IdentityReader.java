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
import java.util.function.BiFunction;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Reads identities: every user (paged; brief, in large pages, unless attributes are wanted), the service-account user
 * of each client that has one (a plain user listing leaves them out), partner identity-provider links (one paged search
 * per provider alias, not one request per user), and credentials for the given privileged identities only; the
 * requests per client, alias and identity run {@code maxConcurrency} at a time. Not thread-safe: one instance per
 * collection.
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
    BiFunction<Integer, Integer, Collection<UserRepresentation>> page =
        (first, max) -> api.realm().users().search(null, first, max, brief);
    List<UserRepresentation> users = brief ? api.briefPages(base + "/users", page) : api.pages(base + "/users", page);
    for (UserRepresentation u : users) {
      out.put(u.getId(), builder(u, IdentityKind.PERSON, attributes));
    }
    List<ClientRepresentation> withAccounts = clients.stream()
        .filter(c -> Boolean.TRUE.equals(c.isServiceAccountsEnabled())).toList();
    List<UserRepresentation> accounts = api.parallel(withAccounts, c -> api.call(
        base + "/clients/" + c.getId() + "/service-account-user", () -> api.realm().clients().get(c.getId()).getServiceAccountUser()));
    for (int i = 0; i < withAccounts.size(); i++) {
      UserRepresentation sa = accounts.get(i);
      if (sa != null) {
        out.put(sa.getId(), builder(sa, IdentityKind.SERVICE_ACCOUNT, attributes));
        serviceAccounts.put(withAccounts.get(i).getClientId(), sa.getId());
      }
    }
    Map<String, Set<String>> links = new HashMap<>();
    List<String> aliases = List.copyOf(new TreeSet<>(partnerAliases));
    List<List<UserRepresentation>> linked = api.parallel(aliases, alias -> api.briefPages(base + "/users?idpAlias=" + alias,
        (first, max) -> api.realm().users().search(null, null, null, null, null, alias, null, first, max, null, true)));
    for (int i = 0; i < aliases.size(); i++) {
      String alias = aliases.get(i);
      linked.get(i).forEach(u -> links.computeIfAbsent(u.getId(), k -> new TreeSet<>()).add(alias));
    }
    links.forEach((id, linkedAliases) -> {
      Identity.Builder b = out.get(id);
      if (b != null) b.identityProviders(linkedAliases);
    });
    return out;
  }

  /** The service-account user id of each client that has one, by clientId, as found by {@link #read}. */
  public Map<String, String> serviceAccounts() {
    return Map.copyOf(serviceAccounts);
  }

  /** The credential types each of {@code userIds} has set up, read {@code maxConcurrency} identities at a time. */
  public Map<String, Set<String>> credentials(Collection<String> userIds) {
    List<String> ids = List.copyOf(userIds);
    List<Set<String>> types = api.parallel(ids, this::credentials);
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) out.put(ids.get(i), types.get(i));
    return out;
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
