package io.vigil.keycloak.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.GrantEvent;
import io.vigil.core.spi.GrantEventLedger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.AuthDetailsRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;

/**
 * Feeds the store-backed grant-event ledger from Keycloak's admin events about users' role mappings and group
 * memberships ({@code REALM_ROLE_MAPPING}, {@code CLIENT_ROLE_MAPPING}, {@code GROUP_MEMBERSHIP}; {@code CREATE} and
 * {@code DELETE}), oldest first, from a cursor. Keycloak names the user in the resource path
 * ({@code users/{id}/role-mappings/realm}, {@code users/{id}/role-mappings/clients/{client uuid}},
 * {@code users/{id}/groups/{group id}}) and the roles or group in the representation, which it records only when the
 * realm saves admin-event details; the roles are named as the event recorded them, so a role deleted since keeps its
 * name. Changes to a group's own role mappings are not grants to a user and are not read here. Not thread-safe: one
 * instance per collection.
 */
public final class AdminEventReader {
  /** The admin-event resource types that change a user's access. */
  public static final List<String> RESOURCE_TYPES = List.of("REALM_ROLE_MAPPING", "CLIENT_ROLE_MAPPING", "GROUP_MEMBERSHIP");
  private static final List<String> OPERATIONS = List.of("CREATE", "DELETE");
  private static final Pattern ROLE_PATH = Pattern.compile("users/([^/]+)/role-mappings/(realm|clients/([^/]+))/?");
  private static final Pattern GROUP_PATH = Pattern.compile("users/([^/]+)/groups/([^/]+)/?");
  /** A group's own role mappings: Keycloak records them as REALM_ROLE_MAPPING or CLIENT_ROLE_MAPPING on this path. */
  private static final Pattern GROUP_ROLE_PATH = Pattern.compile("groups/([^/]+)/role-mappings/(realm|clients/[^/]+)/?");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How the warnings about untraceable grants begin and what they contain, so a caller can tell them apart. */
  public static final String DISABLED_PREFIX = "admin events are disabled in Keycloak realm";
  public static final String NO_DETAILS_MARK = "saves admin events without their representation";

  private final AdminApi api;
  private final GrantEventLedger ledger;
  private final String source;
  private final String base;

  public AdminEventReader(AdminApi api, GrantEventLedger ledger, String source) {
    this.api = api;
    this.ledger = ledger;
    this.source = source;
    this.base = "GET /admin/realms/" + api.realmName();
  }

  /** Why grants cannot be traced from this realm's admin events (off, or saved without details); null when they can. */
  public String untrackedReason(RealmEventsConfigRepresentation config) {
    if (!Boolean.TRUE.equals(config.isAdminEventsEnabled())) {
      return DISABLED_PREFIX + " '" + api.realmName() + "', so who granted which role or"
          + " group is not recorded and grants cannot be traced to access requests; enable them (Realm settings →"
          + " Events → Admin events settings → Save events, with Include representation)";
    }
    if (!Boolean.TRUE.equals(config.isAdminEventsDetailsEnabled())) {
      return "Keycloak realm '" + api.realmName() + "' " + NO_DETAILS_MARK + ", so they do"
          + " not say which roles were mapped; turn on Include representation (Realm settings → Events → Admin events"
          + " settings)";
    }
    return null;
  }

  /**
   * Where admin events were read up to: the newest event's time in epoch millis, and the events of that millisecond
   * already looked at, by {@link #key}. Keycloak's {@code dateFrom} is inclusive and an event can be written in a
   * millisecond a read has already passed, so a read starts at that millisecond again and skips exactly those events:
   * nothing recorded later in it is missed, nothing is applied twice. Only that millisecond's keys are kept.
   *
   * @param millis the newest event time read (0: none, read from the start)
   * @param applied the keys of the events of {@code millis} already looked at; null for a cursor an older version wrote
   *     without them, by which every event of that millisecond counts as applied (access changes among them are read
   *     again and kept once by the ledger, as that version did)
   */
  public record Mark(long millis, java.util.Set<String> applied) {
    public Mark {
      applied = applied == null ? null : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(applied));
    }

    /** A mark without keys: the form a cursor took before they were kept. */
    public static Mark at(long millis) {
      return new Mark(millis, null);
    }

    /** Whether {@code e} was looked at by the read that left this mark, as far as the mark knows. */
    public boolean known(AdminEventRepresentation e) {
      return e.getTime() < millis || e.getTime() == millis && applied != null && applied.contains(key(e));
    }

    /**
     * Whether {@code e} is to be applied from this mark: newer, or of its millisecond and not among those applied (for
     * a mark without keys, no event of its millisecond).
     */
    public boolean after(AdminEventRepresentation e) {
      return e.getTime() > millis || e.getTime() == millis && applied != null && !applied.contains(key(e));
    }

    /** This mark moved past {@code events} (read from it): their newest time, and every event read of that time. */
    public Mark past(List<AdminEventRepresentation> events) {
      long newest = millis;
      for (AdminEventRepresentation e : events) newest = Math.max(newest, e.getTime());
      if (newest == millis && events.stream().noneMatch(e -> e.getTime() == millis)) return this;
      java.util.Set<String> keys = new java.util.TreeSet<>();
      if (newest == millis && applied != null) keys.addAll(applied);
      for (AdminEventRepresentation e : events) if (e.getTime() == newest) keys.add(key(e));
      return new Mark(newest, keys);
    }
  }

  /** The characters an event's id may have to be kept as it is in a cursor; any other id is kept as a digest. */
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /**
   * What identifies an admin event across reads: its id (Keycloak sends one), or for a server that sends none, a
   * digest of its time, operation, resource type, path and representation. No {@code ,} or {@code ;} in either.
   */
  public static String key(AdminEventRepresentation e) {
    if (e.getId() != null && PLAIN_ID.matcher(e.getId()).matches()) return e.getId();
    String content = e.getId() != null ? "id|" + e.getId()
        : e.getTime() + "|" + e.getOperationType() + "|" + e.getResourceType() + "|" + e.getResourcePath() + "|"
            + e.getRepresentation();
    return "h" + UUID.nameUUIDFromBytes(content.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
  }

  /**
   * What one read found.
   *
   * @param cursor where the read leaves the admin events: past every event it was given, or the old mark if none
   * @param fresh the grant events the ledger did not hold before this read
   * @param unscoped whether a change of access since the cursor names neither a user nor a group (an event whose
   *     path this reader does not know)
   * @param remappedGroups the ids of the groups whose own role mappings changed since the cursor
   */
  public record Read(Mark cursor, List<GrantEvent> fresh, boolean unscoped, java.util.Set<String> remappedGroups) {}

  /**
   * Records the access changes Keycloak recorded since {@code from} (from its millisecond on, skipping the events of it
   * already applied; an event read twice is kept once by the ledger).
   *
   * @param clientIds each client's clientId by its id, to name client roles; a client deleted since is named by its id
   * @param groupPaths each group's path by its id, for events recorded without a representation
   */
  public Read read(Mark from, Map<String, String> clientIds, Map<String, String> groupPaths) {
    String dateFrom = from.millis() <= 0 ? null : Long.toString(from.millis());
    List<AdminEventRepresentation> events = api.pages(base + "/admin-events?resourceTypes=" + String.join(",", RESOURCE_TYPES)
            + "&operationTypes=CREATE,DELETE&direction=asc" + (dateFrom == null ? "" : "&dateFrom=" + dateFrom),
        (first, max) -> api.realm().getAdminEvents(OPERATIONS, null, null, null, null, null, RESOURCE_TYPES, dateFrom,
            null, first, max, "asc"));
    return read(from, clientIds, groupPaths, events);
  }

  /**
   * As {@link #read(Mark, Map, Map)}, over admin events already read from {@code from} (by {@link #allSince}): the
   * access changes among them are recorded, the rest ignored; the mark moves past all of them.
   */
  public Read read(Mark from, Map<String, String> clientIds, Map<String, String> groupPaths,
      List<AdminEventRepresentation> events) {
    boolean unscoped = false;
    java.util.Set<String> remappedGroups = new java.util.TreeSet<>();
    List<GrantEvent> out = new ArrayList<>();
    for (AdminEventRepresentation e : events) {
      if (e.getError() != null || from.known(e)) continue;
      if (!RESOURCE_TYPES.contains(e.getResourceType()) || !OPERATIONS.contains(e.getOperationType())) continue;
      List<GrantEvent> grants = toGrantEvents(e, clientIds, groupPaths);
      Matcher groupRoles = GROUP_ROLE_PATH.matcher(e.getResourcePath() == null ? "" : e.getResourcePath());
      if (grants.isEmpty() && from.after(e)) {
        if (groupRoles.matches()) remappedGroups.add(groupRoles.group(1));
        else unscoped = true;
      }
      out.addAll(grants);
    }
    java.util.Set<String> known = new java.util.HashSet<>();
    ledger.events(source).forEach(g -> known.add(g.key()));
    List<GrantEvent> fresh = out.stream().filter(g -> !known.contains(g.key())).toList();
    ledger.record(source, out);
    return new Read(from.past(events), fresh, unscoped, remappedGroups);
  }

  /** Admin-event resource types whose changes can alter who holds what without naming one user. */
  static final List<String> STRUCTURAL_TYPES = List.of("REALM", "REALM_ROLE", "CLIENT_ROLE", "CLIENT", "GROUP", "USER");

  /**
   * The changes Keycloak recorded since {@code from} (not those of its millisecond already applied) that may alter
   * access beyond the users they name: roles, composites, clients, groups, users created or deleted, the realm (its
   * default role), oldest first.
   */
  public List<AdminEventRepresentation> structuralChangesSince(Mark from) {
    String dateFrom = Long.toString(from.millis());
    List<AdminEventRepresentation> events = api.pages(base + "/admin-events?resourceTypes=" + String.join(",", STRUCTURAL_TYPES)
            + "&dateFrom=" + dateFrom,
        (first, max) -> api.realm().getAdminEvents(null, null, null, null, null, null, STRUCTURAL_TYPES, dateFrom,
            null, first, max, "asc"));
    return structural(from, events);
  }

  /** Of admin events read from {@code from}, the structural changes after it, as {@link #structuralChangesSince}. */
  public static List<AdminEventRepresentation> structural(Mark from, List<AdminEventRepresentation> events) {
    return events.stream().filter(e -> STRUCTURAL_TYPES.contains(e.getResourceType()) && applies(from, e)).toList();
  }

  /** Whether an event read from {@code from} is a change still to apply: after the mark, and not a refused request. */
  private static boolean applies(Mark from, AdminEventRepresentation e) {
    return from.after(e) && e.getError() == null;
  }

  /** Whether admin events read from {@code from} hold a change of the user profile still to apply. */
  public static boolean profileChanged(Mark from, List<AdminEventRepresentation> events) {
    return events.stream().anyMatch(e -> USER_PROFILE.equals(e.getResourceType()) && applies(from, e));
  }

  /** A change of the realm's user profile (which attributes it keeps and shows admins): its own resource type. */
  public static final String USER_PROFILE = "USER_PROFILE";

  /** Every resource type {@link #allSince} reads: access changes, structural changes and the user profile. */
  static final List<String> ALL_TYPES;

  static {
    List<String> all = new ArrayList<>(RESOURCE_TYPES);
    all.addAll(STRUCTURAL_TYPES);
    all.add(USER_PROFILE);
    ALL_TYPES = List.copyOf(all);
  }

  /**
   * In one paged search, oldest first, the admin events from {@code cursorMillis} (inclusive) that {@link #read} and
   * {@link #structural} look at, and the user-profile changes: what an incremental read would otherwise ask Keycloak
   * for in two searches over the same time.
   */
  public List<AdminEventRepresentation> allSince(long cursorMillis) {
    String dateFrom = cursorMillis <= 0 ? null : Long.toString(cursorMillis);
    return api.pages(base + "/admin-events?resourceTypes=" + String.join(",", ALL_TYPES) + "&direction=asc"
            + (dateFrom == null ? "" : "&dateFrom=" + dateFrom),
        (first, max) -> api.realm().getAdminEvents(null, null, null, null, null, null, ALL_TYPES, dateFrom,
            null, first, max, "asc"));
  }

  /** The grant events one admin event stands for: one per role it maps, or the group joined; none if unreadable. */
  static List<GrantEvent> toGrantEvents(AdminEventRepresentation e, Map<String, String> clientIds,
      Map<String, String> groupPaths) {
    GrantEvent.Operation op = "CREATE".equals(e.getOperationType()) ? GrantEvent.Operation.GRANTED
        : "DELETE".equals(e.getOperationType()) ? GrantEvent.Operation.REVOKED : null;
    String path = e.getResourcePath() == null ? "" : e.getResourcePath();
    if (op == null) return List.of();
    AuthDetailsRepresentation auth = e.getAuthDetails();
    GrantEvent.Actor actor = auth == null ? null : new GrantEvent.Actor(auth.getUserId(), auth.getClientId(), auth.getRealmId());
    String id = e.getId() != null ? e.getId()
        : UUID.nameUUIDFromBytes((e.getTime() + "|" + path + "|" + e.getOperationType() + "|" + e.getRepresentation())
            .getBytes(StandardCharsets.UTF_8)).toString();
    Instant at = Instant.ofEpochMilli(e.getTime());
    List<GrantEvent> out = new ArrayList<>();
    Matcher role = ROLE_PATH.matcher(path);
    Matcher group = GROUP_PATH.matcher(path);
    if (role.matches()) {
      String clientUuid = role.group(3);
      JsonNode roles = parse(e.getRepresentation());
      if (roles == null || !roles.isArray()) return List.of();
      for (JsonNode r : roles) {
        String name = r.path("name").asText("");
        if (name.isEmpty()) continue;
        Entitlement ent = clientUuid == null ? Entitlement.realmRole(name)
            : Entitlement.clientRole(clientIds.getOrDefault(clientUuid, clientUuid), name);
        out.add(new GrantEvent(id, at, op, role.group(1), ent, actor, path));
      }
    } else if (group.matches()) {
      JsonNode g = parse(e.getRepresentation());
      String groupPath = g != null && g.hasNonNull("path") ? g.get("path").asText() : groupPaths.get(group.group(2));
      if (groupPath == null || groupPath.isEmpty()) groupPath = "/" + group.group(2); // deleted since, no details
      out.add(new GrantEvent(id, at, op, group.group(1), Entitlement.group(groupPath), actor, path));
    }
    return out;
  }

  private static JsonNode parse(String representation) {
    if (representation == null || representation.isBlank()) return null;
    try {
      return JSON.readTree(representation);
    } catch (Exception ex) {
      return null;
    }
  }
}
