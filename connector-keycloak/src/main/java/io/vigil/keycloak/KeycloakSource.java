package io.vigil.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.Source;
import io.vigil.keycloak.internal.AccessResolver;
import io.vigil.keycloak.internal.Pages;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Reads identities, effective access and sign-in activity from one Keycloak realm through the admin
 * API (keycloak-admin-client), signed in as a confidential client's service account. Users are listed a
 * page at a time; access is resolved by inversion ({@link AccessResolver}); credentials and
 * identity-provider links are read only for identities holding a privileged entitlement. LOGIN events
 * since the cursor feed the store's last-seen ledger, so staleness survives Keycloak's event expiry.
 * Thread-safe: one collection at a time per instance (the pipeline never overlaps runs).
 */
public final class KeycloakSource implements Source, AutoCloseable {
  /** The realm-management roles the connector needs, least privilege. */
  public static final List<String> REQUIRED_ROLES = List.of("view-users", "view-realm", "view-clients", "view-events");

  private final String name;
  private final KeycloakSettings settings;
  private final ConnectorContext context;
  private final Keycloak keycloak;

  public KeycloakSource(String name, KeycloakSettings settings, ConnectorContext context) {
    this.name = name;
    this.settings = settings;
    this.context = context;
    this.keycloak = KeycloakBuilder.builder().serverUrl(settings.url()).realm(settings.realm())
        .grantType("client_credentials").clientId(settings.auth().clientId())
        .clientSecret(settings.auth().clientSecret().reveal()).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<SubjectKind> provides() {
    return EnumSet.of(SubjectKind.IDENTITY);
  }

  @Override
  public ConnectionStatus check() {
    String where = settings.url() + " realm " + settings.realm();
    try {
      String token = keycloak.tokenManager().getAccessTokenString();
      Set<String> held = adminRoles(token);
      List<String> missing = REQUIRED_ROLES.stream().filter(r -> !grants(held, r)).toList();
      if (!missing.isEmpty()) {
        return new ConnectionStatus(ConnectionStatus.State.PERMISSIONS_MISSING, "the service account of client "
            + settings.auth().clientId() + " lacks realm-management roles " + String.join(", ", missing) + " in " + where,
            missing, List.of());
      }
      RealmRepresentation realm = keycloak.realm(settings.realm()).toRepresentation();
      List<String> warnings = new ArrayList<>();
      if (!Boolean.TRUE.equals(realm.isEventsEnabled())) {
        warnings.add("login events are disabled in realm " + settings.realm() + ": staleness will be reported as unknown");
      }
      return ConnectionStatus.ok("connected to " + where + " as client " + settings.auth().clientId(), warnings);
    } catch (NotAuthorizedException e) {
      return ConnectionStatus.failed(ConnectionStatus.State.UNAUTHENTICATED, "Keycloak at " + where
          + " refused the client credentials of " + settings.auth().clientId() + " (check clientId and clientSecret)");
    } catch (ForbiddenException e) {
      return new ConnectionStatus(ConnectionStatus.State.PERMISSIONS_MISSING, "Keycloak at " + where
          + " answered 403 to the realm read; grant the realm-management roles " + REQUIRED_ROLES, REQUIRED_ROLES, List.of());
    } catch (ProcessingException e) {
      return ConnectionStatus.failed(ConnectionStatus.State.UNREACHABLE, "Keycloak at " + settings.url()
          + " cannot be reached: " + rootMessage(e));
    } catch (WebApplicationException e) {
      return ConnectionStatus.failed(ConnectionStatus.State.ERROR, "Keycloak at " + where + " answered "
          + e.getResponse().getStatus());
    } catch (RuntimeException e) {
      return ConnectionStatus.failed(ConnectionStatus.State.ERROR, "Keycloak at " + where + ": " + rootMessage(e));
    }
  }

  /** manage-X implies view-X; realm-admin implies everything. */
  private static boolean grants(Set<String> held, String needed) {
    return held.contains(needed) || held.contains("realm-admin") || held.contains(needed.replace("view-", "manage-"));
  }

  private static Set<String> adminRoles(String token) {
    try {
      String[] parts = token.split("\\.");
      JsonNode claims = new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      Set<String> roles = new HashSet<>();
      claims.path("resource_access").path("realm-management").path("roles").forEach(r -> roles.add(r.asText()));
      return roles;
    } catch (Exception e) {
      return Set.of();
    }
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException {
    AtomicLong calls = new AtomicLong();
    String step = "signing in";
    try {
      RealmResource realm = keycloak.realm(settings.realm());
      step = "GET /admin/realms/" + settings.realm();
      RealmRepresentation rep = realm.toRepresentation();
      calls.incrementAndGet();

      step = "resolving effective access";
      AccessResolver resolver = new AccessResolver(realm, settings.page(), calls);
      String defaultRoleId = rep.getDefaultRole() == null ? "" : rep.getDefaultRole().getId();
      List<Grant> grants = resolver.resolve(request.policy().entitlementsOfInterest(), defaultRoleId);

      step = "GET /admin/realms/" + settings.realm() + "/users";
      Set<String> wanted = new HashSet<>(settings.attributes());
      wanted.addAll(request.policy().identityAttributes());
      Map<String, Identity> identities = new LinkedHashMap<>();
      for (UserRepresentation u : Pages.all((f, m) -> realm.users().list(f, m), settings.page(), calls)) {
        identities.put(u.getId(), identity(u, IdentityKind.PERSON, wanted));
      }
      step = "reading service-account users";
      for (var client : realm.clients().findAll()) {
        if (!Boolean.TRUE.equals(client.isServiceAccountsEnabled())) continue;
        UserRepresentation sa = realm.clients().get(client.getId()).getServiceAccountUser();
        calls.incrementAndGet();
        identities.put(sa.getId(), identity(sa, IdentityKind.SERVICE_ACCOUNT, wanted));
      }
      calls.incrementAndGet();

      step = "reading credentials of privileged identities";
      Set<Entitlement> privileged = request.policy().privilegedEntitlements();
      Set<String> privilegedHolders = new HashSet<>();
      for (Grant g : grants) if (privileged.contains(g.entitlement())) privilegedHolders.add(g.identityId());
      for (String id : privilegedHolders) {
        Identity i = identities.get(id);
        if (i == null) continue;
        Set<String> types = new HashSet<>();
        for (CredentialRepresentation c : realm.users().get(id).credentials()) types.add(c.getType());
        calls.incrementAndGet();
        Set<String> idps = new HashSet<>();
        realm.users().get(id).getFederatedIdentity().forEach(f -> idps.add(f.getIdentityProvider()));
        calls.incrementAndGet();
        identities.put(id, i.toBuilder().credentials(types).credentialsKnown(true).identityProviders(idps).build());
      }

      step = "GET /admin/realms/" + settings.realm() + "/events";
      String cursor = request.cursor();
      if (Boolean.TRUE.equals(rep.isEventsEnabled())) {
        cursor = readLogins(realm, request.cursor(), calls);
      } else {
        sink.activityUntracked("login events are disabled in realm " + settings.realm());
      }
      Map<String, Instant> seen = context.activityLedger().lastSeen(name);
      identities.values().forEach(i -> sink.addIdentity(i.toBuilder().lastSeen(seen.get(i.id())).build()));
      grants.forEach(sink::addGrant);
      sink.complete(SubjectKind.IDENTITY);
      return new CollectResult(cursor, identities.size() + grants.size(), calls.get(), resolver.warnings());
    } catch (ProcessingException e) {
      throw new CollectException("Keycloak " + settings.url() + " failed while " + step + ": " + rootMessage(e), e);
    } catch (WebApplicationException e) {
      throw new CollectException("Keycloak " + settings.url() + " answered " + e.getResponse().getStatus() + " while "
          + step + (e.getResponse().getStatus() == 403 ? " (grant the realm-management roles " + REQUIRED_ROLES + ")" : ""), e);
    }
  }

  /** Pages LOGIN events since the cursor (a day, as Keycloak's dateFrom takes) into the ledger; returns the new cursor. */
  private String readLogins(RealmResource realm, String cursor, AtomicLong calls) {
    String dateFrom = cursor == null ? null : cursor;
    Instant latest = null;
    for (EventRepresentation e : Pages.all((f, m) -> realm.getEvents(List.of("LOGIN"), null, null, dateFrom, null, null, f, m),
        settings.page(), calls)) {
      Instant at = Instant.ofEpochMilli(e.getTime());
      if (e.getUserId() != null) context.activityLedger().recordSeen(name, e.getUserId(), at);
      if (latest == null || at.isAfter(latest)) latest = at;
    }
    if (latest == null) return cursor;
    return latest.atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  private static Identity identity(UserRepresentation u, IdentityKind kind, Set<String> wanted) {
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    if (u.getAttributes() != null) {
      u.getAttributes().forEach((k, v) -> {
        if (wanted.contains(k)) attributes.put(k, v);
      });
    }
    return Identity.builder(u.getId()).username(u.getUsername()).email(u.getEmail()).kind(kind)
        .enabled(Boolean.TRUE.equals(u.isEnabled()))
        .createdAt(u.getCreatedTimestamp() == null ? null : Instant.ofEpochMilli(u.getCreatedTimestamp()))
        .attributes(attributes).build();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    keycloak.close();
  }
}
