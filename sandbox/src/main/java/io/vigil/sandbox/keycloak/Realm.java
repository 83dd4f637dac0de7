package io.vigil.sandbox.keycloak;

import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Event;
import io.vigil.sandbox.keycloak.Model.Group;
import io.vigil.sandbox.keycloak.Model.Role;
import io.vigil.sandbox.keycloak.Model.Session;
import io.vigil.sandbox.keycloak.Model.User;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One loaded realm: the structure from the export file (read-only after loading) and the seeded
 * activity (events, sessions), which may be added while the server runs. Activity methods synchronize
 * on this object; structure needs no lock because it never changes after {@link RealmLoader} returns.
 */
final class Realm {
    final String id;
    final String name;
    final boolean enabled;
    final boolean eventsEnabled;
    final Long eventsExpiration;
    final List<String> eventsListeners;
    final List<String> enabledEventTypes;
    final boolean adminEventsEnabled;
    final boolean adminEventsDetailsEnabled;
    /** The top-level scalar settings of the file (displayName, sslRequired, …) echoed by GET realm. */
    final Map<String, Object> settings;
    final List<Map<String, Object>> identityProviders;

    final Map<String, Role> realmRoles = new LinkedHashMap<>();
    final Map<String, Role> rolesById = new LinkedHashMap<>();
    final Map<String, Client> clientsById = new LinkedHashMap<>();
    final Map<String, Client> clientsByClientId = new LinkedHashMap<>();
    final List<Group> topGroups = new ArrayList<>();
    final Map<String, Group> groupsById = new LinkedHashMap<>();
    final Map<String, User> usersById = new LinkedHashMap<>();
    final Map<String, User> usersByName = new LinkedHashMap<>();
    Role defaultRole;
    /**
     * Which user attributes the admin API shows. Since Keycloak 24 the declarative user profile hides
     * attributes it does not declare unless its unmanagedAttributePolicy is set (ENABLED, ADMIN_VIEW or
     * ADMIN_EDIT); imported values are kept but not returned.
     */
    UserProfile userProfile = UserProfile.DEFAULT;
    /** The user-profile configuration as GET users/profile returns it (the file's, or Keycloak's default). */
    com.fasterxml.jackson.databind.node.ObjectNode userProfileConfig = UserProfile.defaultConfig();

    /** The part of the realm's user-profile configuration that decides attribute visibility to admins. */
    record UserProfile(Set<String> adminVisible, boolean unmanagedVisible) {
        static final UserProfile DEFAULT = new UserProfile(Set.of("username", "email", "firstName", "lastName"), false);

        boolean shows(String attribute) {
            return unmanagedVisible || adminVisible.contains(attribute);
        }

        /**
         * Keycloak's default configuration (keycloak-default-user-profile.json, validations left out): the
         * four built-in attributes, visible to admins and users, and no unmanagedAttributePolicy — so an
         * undeclared attribute is discarded.
         */
        static com.fasterxml.jackson.databind.node.ObjectNode defaultConfig() {
            var config = Representations.MAPPER.createObjectNode();
            var attributes = config.putArray("attributes");
            for (String name : List.of("username", "email", "firstName", "lastName")) {
                var a = attributes.addObject().put("name", name).put("displayName", "${" + name + "}");
                var permissions = a.putObject("permissions");
                permissions.putArray("view").add("admin").add("user");
                permissions.putArray("edit").add("admin").add("user");
                a.put("multivalued", false);
            }
            config.putArray("groups").addObject().put("name", "user-metadata")
                    .put("displayHeader", "User metadata").put("displayDescription", "Attributes, which refer to user metadata");
            return config;
        }
    }

    private final List<Event> events = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    private final List<Model.AdminEvent> adminEvents = new ArrayList<>();

    Realm(String id, String name, boolean enabled, boolean eventsEnabled, Long eventsExpiration,
          List<String> eventsListeners, List<String> enabledEventTypes, boolean adminEventsEnabled,
          boolean adminEventsDetailsEnabled, Map<String, Object> settings, List<Map<String, Object>> identityProviders) {
        this.id = id;
        this.name = name;
        this.enabled = enabled;
        this.eventsEnabled = eventsEnabled;
        this.eventsExpiration = eventsExpiration;
        this.eventsListeners = eventsListeners;
        this.enabledEventTypes = enabledEventTypes;
        this.adminEventsEnabled = adminEventsEnabled;
        this.adminEventsDetailsEnabled = adminEventsDetailsEnabled;
        this.settings = settings;
        this.identityProviders = identityProviders;
    }

    /** Keycloak orders users by username, groups by name, clients by clientId, roles by name. */
    static final Comparator<User> BY_USERNAME = Comparator.comparing(u -> u.username);
    static final Comparator<Group> BY_NAME = Comparator.comparing(g -> g.name);
    static final Comparator<Role> ROLE_BY_NAME = Comparator.comparing(r -> r.name);

    /** Users a plain listing shows: everyone but service-account users, by username. */
    List<User> regularUsers() {
        return usersById.values().stream().filter(u -> u.serviceAccountOf == null).sorted(BY_USERNAME).toList();
    }

    List<User> directMembers(Role role) {
        return usersById.values().stream().filter(u -> u.roles.contains(role)).sorted(BY_USERNAME).toList();
    }

    List<Group> groupsWithRole(Role role) {
        return groupsById.values().stream().filter(g -> g.roles.contains(role)).sorted(BY_NAME).toList();
    }

    /** Every role the user holds: direct, through groups and their ancestors, and through composites. */
    Set<Role> effectiveRoles(User user) {
        List<Role> start = new ArrayList<>(user.roles);
        for (Group group : user.groups) {
            for (Group g = group; g != null; g = g.parent) {
                start.addAll(g.roles);
            }
        }
        return expand(start);
    }

    /** The roles plus everything they contain through composites, at any depth (cycles tolerated). */
    static Set<Role> expand(List<Role> roles) {
        Set<Role> seen = new LinkedHashSet<>();
        Deque<Role> todo = new ArrayDeque<>(roles);
        while (!todo.isEmpty()) {
            Role role = todo.pop();
            if (seen.add(role)) {
                todo.addAll(role.composites);
            }
        }
        return seen;
    }

    Group groupByPath(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<Group> level = topGroups;
        Group found = null;
        for (String part : trimmed.split("/", -1)) {
            found = level.stream().filter(g -> g.name.equals(part)).findFirst().orElse(null);
            if (found == null) {
                return null;
            }
            level = found.children;
        }
        return found;
    }

    /** Whether Keycloak would have stored an event of this type: events on, and the type enabled. */
    boolean storesEventType(String type) {
        return eventsEnabled && (enabledEventTypes.isEmpty() || enabledEventTypes.contains(type));
    }

    synchronized void addEvent(Event event) {
        events.add(event);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized void addAdminEvent(Model.AdminEvent event) {
        adminEvents.add(event);
    }

    synchronized List<Model.AdminEvent> adminEvents() {
        return List.copyOf(adminEvents);
    }

    /** Drops admin events older than the cutoff, as Keycloak's expiry (adminEventsExpiration) does; returns how many. */
    synchronized int expireAdminEvents(long cutoffMillis) {
        int before = adminEvents.size();
        adminEvents.removeIf(e -> e.time() < cutoffMillis);
        return before - adminEvents.size();
    }

    synchronized void addSession(Session session) {
        sessions.add(session);
    }

    synchronized List<Session> sessions() {
        return List.copyOf(sessions);
    }
}
