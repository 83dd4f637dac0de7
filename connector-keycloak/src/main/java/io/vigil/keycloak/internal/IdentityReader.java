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

  /**
   * The identities with these ids as {@link #read} would read them, one {@code GET /users/{id}} each (and, with partner
   * aliases, one {@code GET /users/{id}/federated-identity}), {@code maxConcurrency} at a time; a user gone (404) is
   * left out. {@code serviceAccounts} says which ids are clients' service-account users (they are read as such).
   */
  public Map<String, Identity.Builder> reread(Collection<String> ids, Set<String> attributes,
      Collection<String> partnerAliases, Map<String, String> serviceAccounts) {
    this.serviceAccounts.putAll(serviceAccounts);
    Set<String> accounts = new HashSet<>(serviceAccounts.values());
    Set<String> partners = new HashSet<>(partnerAliases);
    List<String> todo = List.copyOf(ids);
    List<Identity.Builder> read = api.parallel(todo, id -> {
      UserRepresentation u;
      try {
        u = api.call(base + "/users/" + id, () -> api.realm().users().get(id).toRepresentation());
      } catch (KeycloakCallException e) {
        if (e.status() == 404) return null;
        throw e;
      }
      Identity.Builder b = builder(u, accounts.contains(id) ? IdentityKind.SERVICE_ACCOUNT : IdentityKind.PERSON, attributes);
      if (!partners.isEmpty()) {
        Set<String> linked = new TreeSet<>();
        api.call(base + "/users/" + id + "/federated-identity", () -> api.realm().users().get(id).getFederatedIdentity())
            .forEach(f -> {
              if (partners.contains(f.getIdentityProvider())) linked.add(f.getIdentityProvider());
            });
        if (!linked.isEmpty()) b.identityProviders(linked);
      }
      return b;
    });
    Map<String, Identity.Builder> out = new LinkedHashMap<>();
    for (int i = 0; i < todo.size(); i++) {
      if (read.get(i) != null) out.put(todo.get(i), read.get(i));
    }
    return out;
  }

  /**
   * The user events by which people change, themselves, what Vigil reads of them (no admin event records these):
   * registering, their profile and e-mail, their credentials (password, OTP, WebAuthn: {@code UPDATE_CREDENTIAL} and
   * {@code REMOVE_CREDENTIAL}, and the older {@code UPDATE_TOTP}, {@code REMOVE_TOTP}, {@code UPDATE_PASSWORD} that
   * Keycloak still sends), links to identity providers, and deleting their account.
   */
  public static final List<String> SELF_SERVICE_TYPES = List.of("REGISTER", "UPDATE_PROFILE", "UPDATE_EMAIL",
      "UPDATE_PASSWORD", "RESET_PASSWORD", "UPDATE_TOTP", "REMOVE_TOTP", "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL",
      "DELETE_ACCOUNT", "FEDERATED_IDENTITY_LINK", "REMOVE_FEDERATED_IDENTITY", "IDENTITY_PROVIDER_FIRST_LOGIN",
      "IDENTITY_PROVIDER_LINK_ACCOUNT");

  /**
   * Why the user events cannot say whose identity or credentials changed by their own hand (events off, or a type of
   * {@link #SELF_SERVICE_TYPES} not saved); null when they can. An empty list of saved types is Keycloak's default set,
   * which holds them all.
   */
  public static String selfServiceUntracked(org.keycloak.representations.idm.RealmEventsConfigRepresentation config) {
    if (!Boolean.TRUE.equals(config.isEventsEnabled())) return "user events are not saved";
    List<String> saved = config.getEnabledEventTypes();
    if (saved == null || saved.isEmpty()) return null;
    List<String> missing = SELF_SERVICE_TYPES.stream().filter(t -> !saved.contains(t)).toList();
    return missing.isEmpty() ? null : "the realm does not save user events " + String.join(", ", missing);
  }

  /** The user events of {@link #SELF_SERVICE_TYPES} from the start of {@code dateFrom} (yyyy-MM-dd), paged. */
  public List<org.keycloak.representations.idm.EventRepresentation> selfService(String dateFrom) {
    StringBuilder what = new StringBuilder(base + "/events?");
    SELF_SERVICE_TYPES.forEach(t -> what.append("type=").append(t).append('&'));
    return api.pages(what + "dateFrom=" + dateFrom,
        (first, max) -> api.realm().getEvents(SELF_SERVICE_TYPES, null, null, dateFrom, null, null, first, max));
  }

  /** How many users the realm's user listing holds (service accounts not counted, as the listing leaves them out). */
  public int count() {
    return api.call(base + "/users/count", () -> api.realm().users().count());
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
