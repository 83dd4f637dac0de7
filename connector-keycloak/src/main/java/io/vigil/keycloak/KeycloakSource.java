package io.vigil.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.ConnectionStatus.State;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.Source;
import io.vigil.keycloak.internal.AccessResolver;
import io.vigil.keycloak.internal.ActivityReader;
import io.vigil.keycloak.internal.AdminEventReader;
import io.vigil.keycloak.internal.AdminApi;
import io.vigil.keycloak.internal.CollectInterrupted;
import io.vigil.keycloak.internal.IdentityReader;
import io.vigil.keycloak.internal.KeycloakCallException;
import io.vigil.keycloak.internal.RoleGraph;
import io.vigil.keycloak.internal.UserProfileAudit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * Reads one Keycloak realm: identities, the effective holders of the entitlements the policy names (with
 * every path), and sign-in activity into the last-seen ledger, with at most {@code maxConcurrency} admin requests in
 * flight. An interrupt of the collecting thread stops it before its next request or item and fails it with a
 * {@link CollectException}, the interrupt status kept. Thread-safe: each call builds its own readers over the shared,
 * thread-safe admin client.
 */
public final class KeycloakSource implements Source, AutoCloseable {
  /** The least realm-management roles Vigil needs. */
  public static final List<String> REQUIRED_ROLES = List.of("view-users", "view-realm", "view-clients", "view-events");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What a USER admin event is about: {@code users/{id}}, or an action on it ({@code users/{id}/reset-password}...). */
  private static final java.util.regex.Pattern USER_PATH = java.util.regex.Pattern.compile("users/([^/]+)(/.*)?");

  private final String name;
  private final KeycloakSettings settings;
  private final ConnectorContext context;
  private final AdminApi api;
  /** The last collection's grants and the cursor it returned: what an incremental read re-resolves against. */
  private volatile Snapshot previous;
  /** A full resolution this cheap is never preferred to re-resolving the users admin events name. */
  static final long SMALL_REALM_CALLS = 20;
  private volatile Resolution lastResolution;
  /** Why the last collection read every identity, clients and the role graph (null: it kept them from the one before). */
  private volatile String lastIdentityRead;
  /** The users the last collection read again one by one, keeping everyone else's identity from the one before. */
  private volatile Set<String> lastReread = Set.of();

  /**
   * What a collection read and resolved, with what it was resolved for and the cursor that followed: what an
   * incremental read re-resolves against, and what an event run's scoped read hands on as it is.
   */
  private record Snapshot(String cursor, Set<Entitlement> targets, Set<String> attributes, Entitlement defaultRole,
      List<Grant> grants, List<io.vigil.core.model.Implication> implications, List<Identity> identities,
      Set<Entitlement> roles, String untracked, List<String> warnings,
      Map<Entitlement, Map<Entitlement, Set<List<Entitlement>>>> chains, long fullCalls, Kept kept, String profile,
      Map<String, Set<Entitlement>> groupRoles) {}

  /**
   * What an incremental read may take over from the last one where the events since prove it unchanged: the clients,
   * the role graph, the identities as read (credentials apart), the credential types of the privileged users, the
   * service-account users, and where the user events that change identities were read up to ({@code selfServiceAt}:
   * the newest such event's time, 0 for none; {@code selfServiceSeen}: the events already applied near it).
   */
  private record Kept(List<ClientRepresentation> clients, RoleGraph graph, Map<String, Identity> identities,
      Map<String, Set<String>> credentials, Map<String, String> serviceAccounts, Instant readAt, long selfServiceAt,
      Set<String> selfServiceSeen) {}

  /** User events this close to the newest one read are read again (those already applied are skipped by key). */
  private static final long SELF_SERVICE_OVERLAP_MILLIS = 5_000;

  /**
   * What the events since the last read say of it: which users to read again (named by admin events on users, or by
   * their own user events), whether roles changed, the structural admin events read, and the new user-event mark; or,
   * in {@code reason}, why the last read's identities, clients and role graph cannot be kept.
   */
  private record Keep(String reason, Set<String> users, boolean rolesChanged,
      List<org.keycloak.representations.idm.AdminEventRepresentation> structural, long selfServiceAt,
      Set<String> selfServiceSeen) {
  }

  /** Per target role, the chains of composites by which each role above it gives it (none for a role that is gone). */
  private static Map<Entitlement, Map<Entitlement, Set<List<Entitlement>>>> chains(RoleGraph graph, Set<Entitlement> targets) {
    Map<Entitlement, Map<Entitlement, Set<List<Entitlement>>>> out = new java.util.HashMap<>();
    for (Entitlement t : targets) {
      if (t.kind() == io.vigil.core.model.EntitlementKind.GROUP) continue;
      Map<Entitlement, Set<List<Entitlement>>> byHolder = new java.util.HashMap<>();
      if (graph.exists(t)) graph.chainsTo(t).forEach((holder, chains) -> byHolder.put(holder, Set.copyOf(chains)));
      out.put(t, byHolder);
    }
    return out;
  }

  /** The role a path starts from once past its groups: the one a user or group is mapped to. */
  private static Entitlement topRole(io.vigil.core.model.GrantPath path) {
    for (io.vigil.core.model.Hop hop : path.hops()) {
      if (hop.kind() != io.vigil.core.model.HopKind.GROUP && hop.kind() != io.vigil.core.model.HopKind.PARENT_GROUP) {
        return hop.via();
      }
    }
    return null;
  }

  /**
   * How the last collection resolved access.
   *
   * @param incremental whether only the users named by admin events since the cursor were re-resolved, the rest kept
   *     from the previous collection
   * @param users how many users were re-resolved (for a full resolution, every identity read)
   * @param fallback why every user was resolved (admin events off, a full run, a change the admin events cannot scope
   *     to some users...); null for an incremental resolution
   */
  public record Resolution(boolean incremental, int users, String fallback) {
    /** An incremental resolution of this many users, or a full one for no reason given. */
    public Resolution(boolean incremental, int users) {
      this(incremental, users, null);
    }
  }

  public KeycloakSource(String name, KeycloakSettings settings, ConnectorContext context) {
    this.name = name;
    this.settings = settings;
    this.context = context;
    this.api = new AdminApi(settings.url(), settings.realm(), settings.auth().clientId(),
        settings.auth().clientSecret().reveal(), settings.pageSize(), settings.briefPageSize(), settings.maxConcurrency(),
        settings.timeoutSeconds());
  }

  @Override
  public String name() {
    return name;
  }

  /** How the last successful collection resolved access; null before the first. */
  public Resolution lastResolution() {
    return lastResolution;
  }

  /**
   * Why the last successful collection listed every user and read the clients and role graph again; null when it kept
   * them from the collection before, reading again only the users events named ({@link #lastReread()}).
   */
  public String lastIdentityRead() {
    return lastIdentityRead;
  }

  /** The users the last successful collection read again one by one (empty when it listed every user). */
  public Set<String> lastReread() {
    return lastReread;
  }

  /** Admin API requests sent so far by this source, token requests included. */
  public long apiCalls() {
    return api.calls();
  }

  /** Admin API requests sent so far by this source, by method and endpoint (see {@link AdminApi#callsByKind()}). */
  public Map<String, Long> apiCallsByKind() {
    return api.callsByKind();
  }

  @Override
  public ConnectionStatus check() {
    // the policy is not known here: check the attributes this connector is configured to read
    return check(settings.identityAttributes());
  }

  /** The connection check, with the user-profile audit over the given attributes (read once). */
  private ConnectionStatus check(java.util.Collection<String> attributes) {
    String where = "Keycloak at " + settings.url() + " (realm '" + settings.realm() + "')";
    try {
      String token = api.accessToken();
      List<String> missing = missingRoles(token);
      if (!missing.isEmpty()) {
        return new ConnectionStatus(State.PERMISSIONS_MISSING, "client '" + settings.auth().clientId() + "' on " + where
            + " lacks realm-management roles " + String.join(", ", missing)
            + "; assign them to its service account (Clients → " + settings.auth().clientId() + " → Service account roles)",
            missing, List.of());
      }
      List<String> warnings = new ArrayList<>();
      RealmEventsConfigRepresentation events = eventsConfig();
      String untracked = new ActivityReader(api, context.activityLedger(), name).untrackedReason(events);
      if (untracked != null) warnings.add(untracked);
      String ungoverned = new AdminEventReader(api, context.grantEventLedger(), name).untrackedReason(events);
      if (ungoverned != null) warnings.add(ungoverned);
      String profile = profileWarning(attributes);
      if (profile != null) warnings.add(profile);
      return ConnectionStatus.ok("connected to " + where + " as client '" + settings.auth().clientId() + "'", warnings);
    } catch (KeycloakCallException e) {
      if (e.status() == 0) {
        return ConnectionStatus.failed(State.UNREACHABLE, where + " is unreachable: " + e.getMessage() + "; check the url");
      }
      if (e.status() == 400 || e.status() == 401) {
        return ConnectionStatus.failed(State.UNAUTHENTICATED, where + " rejected client '" + settings.auth().clientId()
            + "': " + e.getMessage() + "; check the client id, its secret and that service accounts are enabled for it");
      }
      if (e.status() == 404) {
        return ConnectionStatus.failed(State.ERROR, where + ": " + e.getMessage() + "; check the realm name");
      }
      if (e.status() == 403) {
        // the token listed the roles, yet Keycloak refused: name the role that endpoint needs
        String role = roleFor(e.getMessage());
        return new ConnectionStatus(State.PERMISSIONS_MISSING, "client '" + settings.auth().clientId() + "' on " + where
            + " was refused " + e.getMessage() + "; assign realm-management role " + role + " to its service account"
            + " (Clients → " + settings.auth().clientId() + " → Service account roles)", List.of(role), List.of());
      }
      return ConnectionStatus.failed(State.ERROR, where + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return ConnectionStatus.failed(State.ERROR, where + ": unexpected " + e.getClass().getSimpleName());
    }
  }

  /**
   * The connection check, plus what the policy needs of the realm: every role it names exists, and every user
   * attribute it reads is kept by the realm's user profile. Both are warnings: a run would find nothing about them.
   */
  @Override
  public ConnectionStatus check(io.vigil.core.policy.Policy policy) {
    Set<String> attributes = new TreeSet<>(settings.identityAttributes());
    attributes.addAll(policy.identityAttributes());
    ConnectionStatus status = check(attributes);
    if (!status.isOk()) return status;
    List<String> warnings = new ArrayList<>(status.warnings());
    if (policy.accessGovernance().isEmpty()) warnings.removeIf(w -> w.startsWith(AdminEventReader.DISABLED_PREFIX)
        || w.contains(AdminEventReader.NO_DETAILS_MARK));
    try {
      String base = "GET /admin/realms/" + settings.realm();
      List<ClientRepresentation> clients = api.pages(base + "/clients",
          (first, max) -> api.realm().clients().findAll(null, null, null, first, max));
      RoleGraph graph = RoleGraph.read(api, clients);
      Set<Entitlement> named = new TreeSet<>(java.util.Comparator.comparing(Entitlement::ref));
      named.addAll(policy.entitlementsOfInterest());
      named.addAll(policy.privilegedEntitlements());
      for (Entitlement e : named) {
        if (e.kind() != io.vigil.core.model.EntitlementKind.GROUP && !graph.exists(e)) {
          warnings.add("the policy names " + e.ref() + ", which realm '" + settings.realm() + "' does not have");
        }
      }
    } catch (KeycloakCallException | CollectInterrupted e) {
      warnings.add("could not check the policy's roles and attributes against realm '" + settings.realm() + "': "
          + e.getMessage());
    }
    return new ConnectionStatus(status.state(), status.message(), status.missingPermissions(), warnings);
  }

  /** How the warning begins when the user profile could not be read. */
  private static final String PROFILE_UNREAD = "could not read the user profile";

  /** What the realm's user profile does to the attributes Vigil reads; null if it keeps them all. */
  private String profileWarning(java.util.Collection<String> attributes) {
    try {
      return new UserProfileAudit(api).warning(attributes);
    } catch (KeycloakCallException e) {
      return PROFILE_UNREAD + " of Keycloak realm '" + settings.realm() + "' to see whether it keeps the attributes "
          + String.join(", ", new TreeSet<>(attributes)) + " (" + e.getMessage() + ")";
    }
  }

  /** The realm-management role an admin endpoint needs, from the failed request's description. */
  static String roleFor(String request) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/admin/realms/[^/?\\s]+/([a-z-]+)").matcher(request);
    String resource = m.find() ? m.group(1) : "";
    return switch (resource) {
      case "events", "admin-events" -> "view-events";
      case "users", "attack-detection" -> "view-users";
      case "clients", "client-scopes" -> "view-clients";
      default -> "view-realm";
    };
  }

  /** The required realm-management roles the token's resource_access claim does not list. */
  private static List<String> missingRoles(String token) {
    Set<String> held = new HashSet<>();
    try {
      String[] parts = token.split("\\.");
      JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      claims.path("resource_access").path("realm-management").path("roles").forEach(r -> held.add(r.asText()));
    } catch (Exception e) {
      // an unreadable token grants nothing we can verify: every role is reported missing
    }
    return REQUIRED_ROLES.stream().filter(r -> !held.contains(r)).toList();
  }

  /** Identities only: a failing Keycloak holds back the checks that read identities, grants, credentials or activity. */
  @Override
  public Set<io.vigil.core.model.SubjectKind> provides() {
    return java.util.EnumSet.of(io.vigil.core.model.SubjectKind.IDENTITY);
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException {
    long before = api.calls();
    Snapshot kept = previous;
    boolean reuse = request.scope() != null
        || request.reuseLastRead() && !request.full() && kept != null && kept.cursor().equals(request.cursor());
    if (reuse && kept != null && kept.targets().equals(targets(request.policy()))
        && kept.attributes().equals(attributes(request.policy()))) {
      // an event run about issues, or the run that follows the poll that read Keycloak just now: the identities and
      // grants this source read last (kept current by the Keycloak poll) are what is judged; nothing is read from
      // Keycloak and the cursor stays as it was
      try {
        long items = deliver(sink, kept.identities(), kept.grants(), kept.implications(), kept.roles(), kept.untracked());
        lastResolution = new Resolution(true, 0);
        lastReread = Set.of();
        return new CollectResult(request.scope() != null ? null : kept.cursor(), items, 0, kept.warnings());
      } catch (CollectInterrupted e) {
        throw new CollectException("Keycloak source '" + name + "' was interrupted; nothing it read counts", e);
      }
    }
    try {
      String base = "GET /admin/realms/" + settings.realm();
      Instant readAt = Instant.now();
      Set<String> attributes = attributes(request.policy());
      Set<Entitlement> targets = targets(request.policy());
      // the events configuration is read on every poll: with admin events turned off, no event would say so
      RealmEventsConfigRepresentation eventsConfig = eventsConfig();
      Cursor cursor = Cursor.parse(request.cursor());
      AdminEventReader adminEvents = new AdminEventReader(api, context.grantEventLedger(), name);
      String ungoverned = adminEvents.untrackedReason(eventsConfig);
      // from a cursor, one search for every admin event since it (access changes, structural changes, the user
      // profile), handed to all that look at them; without a cursor only the access changes are read, below
      List<org.keycloak.representations.idm.AdminEventRepresentation> since =
          ungoverned == null && request.cursor() != null ? adminEvents.allSince(cursor.adminEvents()) : null;
      // an incremental read straight after this source's last one, with every admin event since known
      boolean continues = since != null && kept != null && !request.full() && kept.cursor().equals(request.cursor());
      List<org.keycloak.representations.idm.AdminEventRepresentation> changes =
          since == null ? null : AdminEventReader.structural(cursor.admin(), since);
      boolean realmChanged = changes != null && changes.stream().anyMatch(e -> "REALM".equals(e.getResourceType()));
      boolean profileChanged = since != null && AdminEventReader.profileChanged(cursor.admin(), since);
      // the default role is the realm's: only a change to the realm (an admin event on REALM) changes which it is
      Entitlement defaultRole;
      if (continues && !realmChanged) {
        defaultRole = kept.defaultRole();
      } else {
        RealmRepresentation realm = api.call(base, () -> api.realm().toRepresentation());
        defaultRole = realm.getDefaultRole() == null ? null : Entitlement.realmRole(realm.getDefaultRole().getName());
      }
      IdentityReader reader = new IdentityReader(api);
      ActivityReader activity = new ActivityReader(api, context.activityLedger(), name);
      String untracked = activity.untrackedReason(eventsConfig);
      // sign-ins and the user events by which people change themselves: one search for both where both are saved
      List<org.keycloak.representations.idm.EventRepresentation> userEvents =
          untracked == null && IdentityReader.selfServiceUntracked(eventsConfig) == null
              ? userEvents(kept == null || !kept.cursor().equals(request.cursor()) ? null : kept.kept(), cursor, readAt)
              : null;
      // what the events since the last read prove unchanged of it is kept; the rest is read as a full read reads it
      Keep keep = keep(request, kept, targets, attributes, defaultRole, ungoverned, eventsConfig, adminEvents, cursor,
          reader, readAt, changes, profileChanged, userEvents);
      Kept last = kept == null ? null : kept.kept();
      List<ClientRepresentation> clients;
      RoleGraph graph;
      Map<String, Identity> identities;
      String identityRead = keep.reason();
      Set<String> reread = Set.of();
      if (identityRead == null) {
        clients = last.clients();
        graph = keep.rolesChanged() ? RoleGraph.read(api, clients) : last.graph();
        // the identities as the last read built them, those read again built once each: nothing is built twice
        identities = new java.util.LinkedHashMap<>(last.identities());
        reread = new TreeSet<>(keep.users());
        Map<String, Identity.Builder> fresh = reader.reread(reread, attributes, settings.partnerIdentityProviders(),
            last.serviceAccounts());
        for (String id : reread) {
          if (fresh.containsKey(id)) identities.put(id, fresh.get(id).build()); // in its place if known, else at the end
          else identities.remove(id);
        }
        long persons = identities.values().stream().filter(i -> i.kind() == io.vigil.core.model.IdentityKind.PERSON).count();
        int listed = reader.count();
        if (listed != persons) {
          // a user came or went without an event saying so (an import by a user-storage provider...): list them all
          identityRead = "the realm lists " + listed + " users, the last read and the events since " + persons;
          identities = built(reader.read(clients, attributes, settings.partnerIdentityProviders()));
          reread = Set.of();
        }
      } else {
        clients = api.pages(base + "/clients", (first, max) -> api.realm().clients().findAll(null, null, null, first, max));
        identities = built(reader.read(clients, attributes, settings.partnerIdentityProviders()));
        graph = RoleGraph.read(api, clients);
      }
      List<String> warnings = new ArrayList<>();
      // the user profile: a change to it is an admin event (USER_PROFILE); without one since, the last read's verdict
      // on the same attributes stands (not a failure to read it: that is tried again)
      String profile = continues && !profileChanged && kept.attributes().equals(attributes)
          && (kept.profile() == null || !kept.profile().startsWith(PROFILE_UNREAD)) ? kept.profile()
          : profileWarning(attributes);
      if (profile != null) warnings.add(profile);

      // grant events: read into the ledger from the cursor (everything the ledger holds goes into the inventory
      // below, so a grant whose event Keycloak has since expired is still traced); they also say whose access changed
      AdminEventReader.Mark newAdminCursor = cursor.admin();
      AdminEventReader.Read read = null;
      if (ungoverned != null) {
        // only a policy that traces grants needs them: otherwise the gap would hold back checks for nothing
        if (!request.policy().accessGovernance().isEmpty()) {
          warnings.add(ungoverned);
          sink.incomplete(io.vigil.core.inventory.InventoryPart.GRANT_EVENTS, ungoverned);
        }
      } else {
        Map<String, String> clientIds = new java.util.HashMap<>();
        clients.forEach(c -> clientIds.put(c.getId(), c.getClientId()));
        // every event read was looked at (access changes recorded, the rest kept or read anew for): the cursor
        // moves past all of them, not only past the access changes, and keeps those of its millisecond
        read = since == null ? adminEvents.read(cursor.admin(), clientIds, Map.of())
            : adminEvents.read(cursor.admin(), clientIds, Map.of(), since);
        newAdminCursor = read.cursor();
      }
      AccessResolver resolver = new AccessResolver(api, graph);
      if (kept != null && keep.reason() == null && !keep.rolesChanged() && read != null && read.remappedGroups().isEmpty()
          && !read.unscoped()) {
        // no group, role or client changed and no group's role mappings did: what the groups were mapped to stands
        resolver.knownGroupRoles(kept.groupRoles());
      }
      Map<Entitlement, Map<Entitlement, Set<List<Entitlement>>>> chains = chains(graph, targets);
      Resolved resolved = incremental(request, read, adminEvents, cursor, targets, defaultRole, resolver, graph, chains,
          keep.structural() != null ? keep.structural() : changes);
      long fullCalls = previous == null ? 0 : previous.fullCalls();
      if (resolved.fallback() != null) {
        long start = api.calls();
        List<Grant> all = resolver.resolve(targets, defaultRole);
        resolved = new Resolved(all, resolver.implications(targets, defaultRole), identities.size(), resolved.fallback());
        fullCalls = api.calls() - start;
      }
      List<Grant> grants = resolved.grants();
      List<io.vigil.core.model.Implication> implications = resolved.implications();
      lastResolution = new Resolution(resolved.fallback() == null, resolved.users(), resolved.fallback());
      for (Entitlement target : new TreeSet<>(targets)) {
        if (target.kind() != io.vigil.core.model.EntitlementKind.GROUP && !graph.exists(target)) {
          warnings.add("the policy names " + target.ref() + ", which realm '" + settings.realm()
              + "' does not have: nobody holds it, so no rule about it can find anything");
        }
      }

      Set<String> privileged = new TreeSet<>();
      for (Grant g : grants) {
        if (request.policy().privilegedEntitlements().contains(g.entitlement())) privileged.add(g.identityId());
      }
      // credentials: kept for the privileged users whose credentials no event since names, read for the others
      Map<String, Set<String>> credentials = new java.util.HashMap<>();
      List<String> unknown = new ArrayList<>();
      for (String id : privileged) {
        if (!identities.containsKey(id)) continue;
        if (identityRead == null && !reread.contains(id) && last.credentials().containsKey(id)) {
          credentials.put(id, last.credentials().get(id));
        } else {
          unknown.add(id);
        }
      }
      credentials.putAll(reader.credentials(unknown));
      Map<String, Identity> bases = identities;

      long newCursor = cursor.signIns();
      if (untracked != null) {
        warnings.add(untracked);
        sink.activityUntracked(untracked);
      } else if (userEvents != null) {
        newCursor = activity.read(cursor.signIns(), clients, reader.serviceAccounts(), userEvents);
      } else {
        newCursor = activity.read(cursor.signIns(), clients, reader.serviceAccounts());
      }
      List<Identity> delivered = new ArrayList<>();
      bases.forEach((id, i) -> delivered.add(credentials.containsKey(id)
          ? i.toBuilder().credentials(credentials.get(id)).credentialsKnown(true).build() : i));
      long items = deliver(sink, delivered, grants, implications, graph.roles(), null); // untracked: said above
      String next = new Cursor(newCursor, newAdminCursor).toString();
      // what the next incremental read starts from, kept only when admin events can say what changed since
      Kept keptNow = new Kept(List.copyOf(clients), graph, java.util.Collections.unmodifiableMap(bases), Map.copyOf(credentials),
          reader.serviceAccounts(), readAt, keep.selfServiceAt(), keep.selfServiceSeen());
      previous = read == null ? null : new Snapshot(next, Set.copyOf(targets), Set.copyOf(attributes), defaultRole,
          List.copyOf(grants), List.copyOf(implications), List.copyOf(delivered), Set.copyOf(graph.roles()), untracked,
          List.copyOf(warnings), chains, fullCalls, keptNow, profile, resolver.groupRoles());
      lastIdentityRead = identityRead;
      lastReread = Set.copyOf(reread);
      return new CollectResult(next, items, api.calls() - before, warnings);
    } catch (CollectInterrupted e) {
      // the run was cancelled: the interrupt status stays set for the caller
      throw new CollectException("Keycloak source '" + name + "' was interrupted; nothing it read counts", e);
    } catch (KeycloakCallException e) {
      throw new CollectException("Keycloak source '" + name + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CollectException("Keycloak source '" + name + "' failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
  }

  /** Grants and implications as resolved, how many users were, and why everyone was (null: incrementally). */
  private record Resolved(List<Grant> grants, List<io.vigil.core.model.Implication> implications, int users,
      String fallback) {
    static Resolved full(String why) {
      return new Resolved(List.of(), List.of(), 0, why);
    }
  }

  /**
   * Re-resolves from the previous collection only the users the admin events since the cursor show may have gained or
   * lost access: those whose role mappings or groups changed, those created, updated or deleted, and the members of a
   * group (and its descendant groups) whose own role mappings changed. Says why not when it cannot prove the rest
   * unchanged.
   */
  private Resolved incremental(CollectRequest request, AdminEventReader.Read read, AdminEventReader adminEvents,
      Cursor cursor, Set<Entitlement> targets, Entitlement defaultRole, AccessResolver resolver, RoleGraph graph,
      Map<Entitlement, Map<Entitlement, Set<List<Entitlement>>>> chains,
      List<org.keycloak.representations.idm.AdminEventRepresentation> structuralRead) {
    Snapshot last = previous;
    if (read == null) return Resolved.full("admin events (with representation) are not recorded by the realm");
    if (request.cursor() == null) return Resolved.full("a full run");
    if (last == null) return Resolved.full("no previous collection by this source in this process");
    if (!last.cursor().equals(request.cursor())) {
      return Resolved.full("the cursor is not the one this source's previous collection returned");
    }
    if (!last.targets().equals(targets)) return Resolved.full("the policy names other entitlements than before");
    if (!java.util.Objects.equals(last.defaultRole(), defaultRole)) return Resolved.full("the realm's default role changed");
    if (read.unscoped()) return Resolved.full("an admin event since the cursor changed access without naming a user or group");
    List<org.keycloak.representations.idm.AdminEventRepresentation> structural = structuralRead != null ? structuralRead
        : adminEvents.structuralChangesSince(cursor.admin());
    Set<String> changed = new TreeSet<>();
    boolean rolesChanged = false;
    for (var e : structural) {
      // a user created (with the default role, perhaps groups), updated or deleted: that user alone is re-resolved
      java.util.regex.Matcher user = USER_PATH.matcher(e.getResourcePath() == null ? "" : e.getResourcePath());
      if ("USER".equals(e.getResourceType()) && user.matches()) {
        changed.add(user.group(1));
        continue;
      }
      // a role created, renamed, deleted or its composites changed: compared below through the role graph read anew
      if ("REALM_ROLE".equals(e.getResourceType()) || "CLIENT_ROLE".equals(e.getResourceType())) {
        rolesChanged = true;
        continue;
      }
      return Resolved.full("admin event " + e.getOperationType() + " " + e.getResourceType() + " on " + e.getResourcePath()
          + " since the cursor");
    }
    // the roles whose chains to a policy role changed: their holders then and now may have gained or lost access
    Set<Entitlement> moved = new HashSet<>();
    Set<Entitlement> retargeted = new HashSet<>();
    if (rolesChanged) {
      for (Entitlement t : chains.keySet()) {
        Map<Entitlement, Set<List<Entitlement>>> before = last.chains().getOrDefault(t, Map.of());
        Map<Entitlement, Set<List<Entitlement>>> now = chains.get(t);
        Set<Entitlement> holders = new HashSet<>(before.keySet());
        holders.addAll(now.keySet());
        for (Entitlement h : holders) {
          if (!java.util.Objects.equals(before.get(h), now.get(h))) {
            moved.add(h);
            retargeted.add(t);
          }
        }
      }
      for (Grant g : last.grants()) {
        if (g.paths().stream().anyMatch(p -> moved.contains(topRole(p)))) changed.add(g.identityId());
      }
      for (Entitlement h : moved) if (graph.exists(h)) changed.addAll(resolver.holdersOf(h));
    }
    read.fresh().forEach(e -> changed.add(e.identityId()));
    // a group's own role mappings changed: its members and its descendants' members may have gained or lost access
    Set<org.keycloak.representations.idm.GroupRepresentation> regrouped = new LinkedHashSet<>();
    for (String groupId : read.remappedGroups()) {
      var subtree = resolver.subtree(groupId);
      if (subtree.isEmpty()) {
        return Resolved.full("group " + groupId + ", whose role mappings changed since the cursor, no longer exists");
      }
      subtree.get().forEach((group, members) -> {
        regrouped.add(group);
        changed.addAll(members);
      });
    }
    // one by one, a user costs a few requests: past what resolving everyone cost last time, resolve everyone (not in a
    // realm so small that resolving everyone took a handful of requests: there either way costs next to nothing, and
    // the incremental read touches only what changed)
    if (last.fullCalls() > SMALL_REALM_CALLS && 3L * changed.size() > last.fullCalls()) {
      return Resolved.full("re-resolving the " + changed.size() + " users the admin events since the cursor name would"
          + " cost more requests than resolving everyone (" + last.fullCalls() + " last time)");
    }
    List<Grant> grants = new ArrayList<>();
    for (Grant g : last.grants()) if (!changed.contains(g.identityId())) grants.add(g);
    grants.addAll(resolver.resolveUsers(changed, targets, defaultRole));
    // what each entitlement gives is the same, except what the groups under a remapped group give
    Set<Entitlement> replaced = new HashSet<>();
    regrouped.forEach(g -> replaced.add(Entitlement.group(g.getPath())));
    // and what gives a policy role whose chains changed, recomputed whole
    List<io.vigil.core.model.Implication> implications = new ArrayList<>();
    for (io.vigil.core.model.Implication i : last.implications()) {
      if (!replaced.contains(i.from()) && !retargeted.contains(i.to())) implications.add(i);
    }
    implications.addAll(resolver.implications(retargeted, defaultRole));
    for (io.vigil.core.model.Implication i : resolver.groupImplications(regrouped, targets, defaultRole)) {
      if (!retargeted.contains(i.to())) implications.add(i);
    }
    return new Resolved(grants, implications, changed.size(), null);
  }

  /**
   * Whether the last read's clients, role graph and identities can be kept: an incremental read from the cursor that
   * read returned, for the same policy and default role, with admin events (with representation) and the user events
   * that change identities both saved, and no admin event since on the realm, a client or a group (roles may change:
   * the graph is then read again). Reads the admin events about users, roles, clients, groups and the realm since the
   * cursor (or takes {@code changes}, those already read), and the user events since the last read's mark: every user
   * they name is to be read again.
   */
  private Keep keep(CollectRequest request, Snapshot kept, Set<Entitlement> targets, Set<String> attributes,
      Entitlement defaultRole, String ungoverned, RealmEventsConfigRepresentation eventsConfig,
      AdminEventReader adminEvents, Cursor cursor, IdentityReader reader, Instant readAt,
      List<org.keycloak.representations.idm.AdminEventRepresentation> changes, boolean profileChanged,
      List<org.keycloak.representations.idm.EventRepresentation> userEvents) {
    String selfUntracked = IdentityReader.selfServiceUntracked(eventsConfig);
    Kept last = kept == null ? null : kept.kept();
    // the user events are read on every read with them saved (a full read too): the mark the next read starts from
    long mark = last == null ? 0 : last.selfServiceAt();
    Set<String> seen = last == null ? Set.of() : last.selfServiceSeen();
    Set<String> named = new TreeSet<>();
    long newest = mark;
    Set<String> seenNow = new HashSet<>();
    if (selfUntracked == null) {
      List<org.keycloak.representations.idm.EventRepresentation> events;
      if (userEvents != null) {
        // read with the sign-ins in one search: the self-service events among them, every one of which up to the
        // newest event of any type has been read
        events = userEvents.stream().filter(e -> IdentityReader.SELF_SERVICE_TYPES.contains(e.getType())).toList();
        for (var e : userEvents) newest = Math.max(newest, e.getTime());
      } else {
        Instant from = (last == null ? readAt : last.readAt()).minus(java.time.Duration.ofDays(1));
        events = reader.selfService(java.time.LocalDate.ofInstant(from, java.time.ZoneOffset.UTC).toString());
      }
      for (var e : events) newest = Math.max(newest, e.getTime());
      for (var e : events) {
        String key = e.getId() != null ? e.getId() : e.getTime() + "|" + e.getType() + "|" + e.getUserId();
        if (e.getTime() >= newest - SELF_SERVICE_OVERLAP_MILLIS) seenNow.add(key);
        if (e.getTime() < mark - SELF_SERVICE_OVERLAP_MILLIS || seen.contains(key) || e.getUserId() == null) continue;
        named.add(e.getUserId());
      }
    }
    if (request.full() || request.cursor() == null) return notKept("a full run", newest, seenNow);
    if (kept == null || last == null) return notKept("no previous collection by this source in this process", newest, seenNow);
    if (!kept.cursor().equals(request.cursor())) {
      return notKept("the cursor is not the one this source's previous collection returned", newest, seenNow);
    }
    if (!kept.targets().equals(targets) || !kept.attributes().equals(attributes)) {
      return notKept("the policy names other entitlements or attributes than before", newest, seenNow);
    }
    if (!java.util.Objects.equals(kept.defaultRole(), defaultRole)) return notKept("the realm's default role changed", newest, seenNow);
    if (ungoverned != null) return notKept("admin events (with representation) are not saved", newest, seenNow);
    if (selfUntracked != null) {
      return notKept(selfUntracked + ", so changes people make themselves (credentials, profile) are not known", newest, seenNow);
    }
    if (profileChanged) {
      // which attributes the realm keeps and shows admins may have changed for everyone: read every identity again
      return notKept("the realm's user profile changed since the cursor", newest, seenNow);
    }
    List<org.keycloak.representations.idm.AdminEventRepresentation> structural = changes != null ? changes
        : adminEvents.structuralChangesSince(cursor.admin());
    boolean rolesChanged = false;
    for (var e : structural) {
      java.util.regex.Matcher user = USER_PATH.matcher(e.getResourcePath() == null ? "" : e.getResourcePath());
      if ("USER".equals(e.getResourceType()) && user.matches()) {
        named.add(user.group(1));
      } else if ("REALM_ROLE".equals(e.getResourceType()) || "CLIENT_ROLE".equals(e.getResourceType())) {
        rolesChanged = true;
      } else {
        return notKept("admin event " + e.getOperationType() + " " + e.getResourceType() + " on " + e.getResourcePath()
            + " since the cursor", newest, seenNow);
      }
    }
    return new Keep(null, named, rolesChanged, structural, newest, Set.copyOf(seenNow));
  }

  /**
   * In one paged search, the sign-ins ({@link ActivityReader#SIGN_IN_TYPES}) after the sign-in cursor and the user
   * events that change identities ({@link IdentityReader#SELF_SERVICE_TYPES}) from a little before the last read's
   * mark ({@link #SELF_SERVICE_OVERLAP_MILLIS}; without a mark, a day before the last read), from whichever is earlier,
   * in epoch millis (Keycloak 26 takes them for {@code dateFrom}). Without a sign-in cursor: everything, unless
   * {@code last} (the read that returned this cursor) read everything and saw no sign-in.
   */
  private List<org.keycloak.representations.idm.EventRepresentation> userEvents(Kept last, Cursor cursor, Instant readAt) {
    long selfFrom = last != null && last.selfServiceAt() > 0 ? last.selfServiceAt() - SELF_SERVICE_OVERLAP_MILLIS
        : (last == null ? readAt : last.readAt()).minus(java.time.Duration.ofDays(1)).toEpochMilli();
    long from = cursor.signIns() > 0 ? Math.min(selfFrom, cursor.signIns()) : last == null ? 0 : selfFrom;
    String dateFrom = from <= 0 ? null : Long.toString(from);
    List<String> types = new ArrayList<>(ActivityReader.SIGN_IN_TYPES);
    types.addAll(IdentityReader.SELF_SERVICE_TYPES);
    StringBuilder what = new StringBuilder("GET /admin/realms/" + settings.realm() + "/events?");
    types.forEach(t -> what.append("type=").append(t).append('&'));
    return api.pages(what + (dateFrom == null ? "" : "dateFrom=" + dateFrom),
        (first, max) -> api.realm().getEvents(types, null, null, dateFrom, null, null, first, max));
  }

  /** The identities as built from what a read returned, in its order. */
  private static Map<String, Identity> built(Map<String, Identity.Builder> read) {
    Map<String, Identity> out = new java.util.LinkedHashMap<>();
    read.forEach((id, b) -> out.put(id, b.build()));
    return out;
  }

  private static Keep notKept(String reason, long selfServiceAt, Set<String> seen) {
    return new Keep(reason, Set.of(), true, null, selfServiceAt, Set.copyOf(seen));
  }

  private Set<Entitlement> targets(io.vigil.core.policy.Policy policy) {
    Set<Entitlement> targets = new LinkedHashSet<>(policy.entitlementsOfInterest());
    targets.addAll(policy.privilegedEntitlements());
    return targets;
  }

  private Set<String> attributes(io.vigil.core.policy.Policy policy) {
    Set<String> attributes = new TreeSet<>(settings.identityAttributes());
    attributes.addAll(policy.identityAttributes());
    return attributes;
  }

  /**
   * Hands identities (with their last sign-in from the ledger), grants, the grant-event ledger and what each
   * entitlement implies to the sink, and declares identities complete; returns the items delivered.
   */
  private long deliver(InventorySink sink, List<Identity> identities, List<Grant> grants,
      List<io.vigil.core.model.Implication> implications, Set<Entitlement> roles, String untracked) {
    if (untracked != null) sink.activityUntracked(untracked);
    List<io.vigil.core.model.GrantEvent> recorded = context.grantEventLedger().events(name);
    Map<String, Instant> lastSeen = context.activityLedger().lastSeen(name);
    long items = 0;
    for (Identity i : identities) {
      stopIfInterrupted();
      sink.addIdentity(i.toBuilder().lastSeen(lastSeen.get(i.id())).build());
      items++;
    }
    for (Grant g : grants) {
      stopIfInterrupted();
      sink.addGrant(g);
      items++;
    }
    for (io.vigil.core.model.GrantEvent e : recorded) {
      stopIfInterrupted();
      sink.addGrantEvent(e);
    }
    for (io.vigil.core.model.Implication i : implications) {
      stopIfInterrupted();
      sink.addImplication(i);
    }
    sink.entitlementsExist(roles);
    stopIfInterrupted();
    sink.complete(SubjectKind.IDENTITY);
    return items;
  }

  /** Keeps an interrupted collection from delivering more: the caller cancelled the run. */
  private static void stopIfInterrupted() {
    if (Thread.currentThread().isInterrupted()) throw new CollectInterrupted();
  }

  private RealmEventsConfigRepresentation eventsConfig() {
    return api.call("GET /admin/realms/" + settings.realm() + "/events/config", () -> api.realm().getRealmEventsConfig());
  }

  /**
   * Where the last collection stopped: the newest sign-in event and the newest admin event read, in epoch millis, and
   * the admin events of that millisecond already looked at ({@link AdminEventReader#key}: Keycloak's id, or a digest
   * for a server that sends none). Written {@code SIGNINS;admin=ADMIN;applied=KEY,KEY}; without {@code applied} (the
   * form before they were kept) every admin event of that millisecond counts as applied, as it did then; a bare number
   * (the form before admin events were read) is the sign-in cursor with admin events read from the start. Anything
   * unreadable starts both from the beginning.
   *
   * @param adminApplied the keys of the admin events of {@code adminEvents} already applied; null when not kept
   */
  record Cursor(long signIns, long adminEvents, Set<String> adminApplied) {
    private static final String APPLIED = "applied=";

    Cursor {
      adminApplied = adminApplied == null ? null : java.util.Collections.unmodifiableSet(new TreeSet<>(adminApplied));
    }

    /** A cursor in the form before the admin events of its millisecond were kept. */
    Cursor(long signIns, long adminEvents) {
      this(signIns, adminEvents, null);
    }

    Cursor(long signIns, AdminEventReader.Mark admin) {
      this(signIns, admin.millis(), admin.applied());
    }

    /** Where admin events are read from. */
    AdminEventReader.Mark admin() {
      return new AdminEventReader.Mark(adminEvents, adminApplied);
    }

    static Cursor parse(String text) {
      if (text == null || text.isBlank()) return new Cursor(0, 0);
      String[] parts = text.trim().split(";");
      try {
        long signIns = Long.parseLong(parts[0]);
        long admin = 0;
        Set<String> applied = null;
        for (int i = 1; i < parts.length; i++) {
          if (parts[i].startsWith("admin=")) admin = Long.parseLong(parts[i].substring("admin=".length()));
          if (parts[i].startsWith(APPLIED)) {
            applied = new TreeSet<>();
            for (String key : parts[i].substring(APPLIED.length()).split(",")) if (!key.isBlank()) applied.add(key.trim());
          }
        }
        return new Cursor(signIns, admin, applied);
      } catch (NumberFormatException e) {
        return new Cursor(0, 0);
      }
    }

    @Override
    public String toString() {
      return signIns + ";admin=" + adminEvents + (adminApplied == null ? "" : ";" + APPLIED + String.join(",", adminApplied));
    }
  }

  @Override
  public void close() {
    api.close();
  }
}
