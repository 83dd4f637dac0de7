package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Event;
import io.vigil.sandbox.keycloak.Model.Session;
import io.vigil.sandbox.keycloak.Model.User;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A stand-in for a Keycloak 26 server: serves the admin REST endpoints Vigil reads, for one realm loaded
 * from a standard realm export file, on 127.0.0.1. Login events and sessions (which a realm export does
 * not carry) are seeded through {@link #addLoginEvent}, {@link #addSession} or {@link #loadActivity}.
 * Counts requests per endpoint so benchmarks can compare call counts, and can add latency per request.
 * Thread-safe: the server handles requests concurrently and seeding may happen while it runs.
 */
public final class KeycloakSandbox implements AutoCloseable {
    private final Realm realm;
    private final RealmEndpoints realmApi;
    private final UserEndpoints users;
    private final RoleEndpoints roles;
    private final GroupEndpoints groups;
    private final Tokens tokens = new Tokens();
    private final Javalin app;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private volatile long latencyMillis;

    private KeycloakSandbox(Realm realm) {
        this.realm = realm;
        Representations reps = new Representations(realm);
        this.realmApi = new RealmEndpoints(realm, reps);
        this.users = new UserEndpoints(realm, reps);
        this.roles = new RoleEndpoints(realm, reps);
        this.groups = new GroupEndpoints(realm, reps);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).contentType("application/json").result(e.body().toString()));
        // paths the sandbox does not serve answer like an unknown JAX-RS resource, in Keycloak's JSON form
        app.exception(io.javalin.router.EndpointNotFound.class, (e, ctx) ->
                ctx.status(404).contentType("application/json").result(ApiError.notFound("HTTP 404 Not Found").body().toString()));
        routes();
    }

    /** Loads the realm file and starts on a free port. */
    public static KeycloakSandbox start(Path realmFile) {
        return start(realmFile, 0);
    }

    /** Loads the realm file and starts on the port (0 picks a free one). */
    public static KeycloakSandbox start(Path realmFile, int port) {
        return new KeycloakSandbox(RealmLoader.load(realmFile)).listen(port);
    }

    /** Starts from realm export JSON held in memory; {@code fileName} names it in error messages. */
    public static KeycloakSandbox start(String fileName, String realmJson, int port) {
        return new KeycloakSandbox(RealmLoader.parse(fileName, realmJson)).listen(port);
    }

    private KeycloakSandbox listen(int port) {
        app.start("127.0.0.1", port);
        return this;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234} (what Keycloak calls the server URL). */
    public String url() {
        return "http://127.0.0.1:" + app.port();
    }

    public int port() {
        return app.port();
    }

    public String realmName() {
        return realm.name;
    }

    public void stop() {
        app.stop();
    }

    @Override
    public void close() {
        stop();
    }

    // ---- lookups for tests and seeding -------------------------------------------------------------

    /** The id of the user with this username (service-account users included). */
    public String userId(String username) {
        return user(username).id;
    }

    /** The internal id (UUID) of the client with this clientId. */
    public String clientUuid(String clientId) {
        Client c = realm.clientsByClientId.get(clientId);
        if (c == null) {
            throw new IllegalArgumentException("No client '" + clientId + "' in realm " + realm.name
                    + "; known clients: " + realm.clientsByClientId.keySet());
        }
        return c.id;
    }

    private User user(String usernameOrId) {
        User u = realm.usersByName.get(usernameOrId.toLowerCase(java.util.Locale.ROOT));
        if (u == null) {
            u = realm.usersById.get(usernameOrId);
        }
        if (u == null) {
            throw new IllegalArgumentException("No user '" + usernameOrId + "' (username or id) in realm " + realm.name);
        }
        return u;
    }

    // ---- seeding activity -------------------------------------------------------------------------

    /**
     * Records a LOGIN event for the user (id or username) through the {@code account-console} client.
     * Returns false, storing nothing, when the realm would not have stored it (events disabled, or LOGIN
     * not among enabledEventTypes) — as the real server would not have.
     */
    public boolean addLoginEvent(String user, Instant time) {
        return addEvent("LOGIN", user, time, "account-console", "127.0.0.1");
    }

    /** Records a user event of any type (e.g. LOGIN, LOGIN_ERROR); see {@link #addLoginEvent}. */
    public boolean addEvent(String type, String user, Instant time, String clientId, String ipAddress) {
        User u = user(user);
        if (!realm.storesEventType(type)) {
            return false;
        }
        if (clientId != null) {
            clientUuid(clientId);
        }
        realm.addEvent(new Event(UUID.randomUUID().toString(), time.toEpochMilli(), type, u.id, clientId,
                UUID.randomUUID().toString(), ipAddress, type.endsWith("_ERROR") ? "invalid_user_credentials" : null,
                Map.of("auth_method", "openid-connect", "username", u.username)));
        return true;
    }

    /**
     * Records the admin event Keycloak writes when {@code actor} (a username or id in this realm) maps a role to or
     * removes it from {@code user}: {@code operation} CREATE or DELETE, {@code role} as {@code realm:NAME} or
     * {@code client:CLIENT_ID/NAME}. The role need not exist (any more): the event names it as it was. Returns false,
     * storing nothing, when the realm records no admin events. The role mappings themselves are not changed.
     */
    public boolean addRoleMappingEvent(String operation, String user, String role, String actor, Instant time) {
        User u = user(user);
        boolean client = role.startsWith("client:");
        String name;
        String containerId;
        String path;
        if (client) {
            String rest = role.substring("client:".length());
            String clientId = rest.substring(0, rest.indexOf('/'));
            name = rest.substring(rest.indexOf('/') + 1);
            containerId = clientUuid(clientId);
            path = "users/" + u.id + "/role-mappings/clients/" + containerId;
        } else {
            name = role.startsWith("realm:") ? role.substring("realm:".length()) : role;
            containerId = realm.id;
            path = "users/" + u.id + "/role-mappings/realm";
        }
        Model.Role existing = client ? realm.clientsById.get(containerId).roles.get(name) : realm.realmRoles.get(name);
        var rep = Representations.MAPPER.createArrayNode().addObject();
        rep.put("id", existing == null ? UUID.nameUUIDFromBytes(role.getBytes(StandardCharsets.UTF_8)).toString() : existing.id);
        rep.put("name", name);
        rep.put("composite", existing != null && !existing.composites.isEmpty());
        rep.put("clientRole", client);
        rep.put("containerId", containerId);
        return addAdminEvent(time, actor, operation, client ? "CLIENT_ROLE_MAPPING" : "REALM_ROLE_MAPPING", path,
                "[" + rep + "]");
    }

    /**
     * What an administrator's role mapping does: maps the realm role to the user, as {@code actor}, and records the
     * admin event Keycloak would (when the realm records admin events).
     */
    public void grantRealmRole(String user, String role, String actor, Instant time) {
        User u = user(user);
        Model.Role r = realm.realmRoles.get(role);
        if (r == null) {
            throw new IllegalArgumentException("No realm role '" + role + "' in realm " + realm.name);
        }
        synchronized (realm) {
            if (!u.roles.contains(r)) {
                u.roles.add(r);
            }
        }
        addRoleMappingEvent("CREATE", user, "realm:" + role, actor, time);
    }

    /**
     * What an administrator's change to a group's own role mappings does: maps the realm role to the group at
     * {@code groupPath} ({@code operation} CREATE) or removes it (DELETE), as {@code actor}, and records the admin event
     * Keycloak writes (REALM_ROLE_MAPPING on {@code groups/{id}/role-mappings/realm}, the roles as representation) when
     * the realm records admin events.
     */
    public void mapGroupRealmRole(String operation, String groupPath, String role, String actor, Instant time) {
        Model.Group g = realm.groupByPath(groupPath);
        if (g == null) {
            throw new IllegalArgumentException("No group '" + groupPath + "' in realm " + realm.name);
        }
        Model.Role r = realm.realmRoles.get(role);
        if (r == null) {
            throw new IllegalArgumentException("No realm role '" + role + "' in realm " + realm.name);
        }
        synchronized (realm) {
            if ("CREATE".equals(operation) && !g.roles.contains(r)) {
                g.roles.add(r);
            } else if ("DELETE".equals(operation)) {
                g.roles.remove(r);
            }
        }
        var rep = Representations.MAPPER.createArrayNode().addObject();
        rep.put("id", r.id);
        rep.put("name", r.name);
        rep.put("composite", !r.composites.isEmpty());
        rep.put("clientRole", false);
        rep.put("containerId", realm.id);
        addAdminEvent(time, actor, operation, "REALM_ROLE_MAPPING", "groups/" + g.id + "/role-mappings/realm", "[" + rep + "]");
    }

    /**
     * What creating a user through the admin API does: a new enabled user holding the realm's default role, as
     * Keycloak gives it, and the admin event Keycloak records (CREATE USER on {@code users/{id}}) when the realm records
     * admin events. Returns the new user's id. Only while no collection is reading the realm.
     */
    public String createUser(String username, String email, String actor, Instant time) {
        String name = username.toLowerCase(java.util.Locale.ROOT);
        if (realm.usersByName.containsKey(name)) {
            throw new IllegalArgumentException("User '" + username + "' already exists in realm " + realm.name);
        }
        User u = new User(UUID.randomUUID().toString(), name, null, null, email, false, true, time.toEpochMilli(),
                Map.of(), List.of(), new java.util.ArrayList<>(), List.of());
        synchronized (realm) {
            if (realm.defaultRole != null) {
                u.roles.add(realm.defaultRole);
            }
            realm.usersById.put(u.id, u);
            realm.usersByName.put(name, u);
        }
        var rep = Representations.MAPPER.createObjectNode().put("username", name).put("enabled", true);
        if (email != null) {
            rep.put("email", email);
        }
        addAdminEvent(time, actor, "CREATE", "USER", "users/" + u.id, rep.toString());
        return u.id;
    }

    /**
     * What a user setting up a one-time-password authenticator in the account console does: an {@code otp} credential
     * more, and the user event Keycloak records for it ({@code UPDATE_CREDENTIAL}, no admin event) when the realm saves
     * that type. Only while no collection is reading the realm.
     */
    public void setUpOtp(String user, Instant time) {
        User u = user(user);
        synchronized (realm) {
            u.credentials.add(new Model.Credential(UUID.randomUUID().toString(), "otp", "phone", time.toEpochMilli(), "{}",
                    u.credentials.size() * 10 + 10));
        }
        addEvent("UPDATE_CREDENTIAL", user, time, "account-console", "127.0.0.1");
    }

    /**
     * What deleting a user through the admin API does: the user, its role mappings and group memberships are gone,
     * and Keycloak records DELETE USER on {@code users/{id}} (without representation). Only while no collection is
     * reading the realm.
     */
    public void deleteUser(String user, String actor, Instant time) {
        User u = user(user);
        User by = user(actor);
        if (by == u) {
            throw new IllegalArgumentException("User '" + user + "' cannot delete itself here");
        }
        synchronized (realm) {
            realm.usersById.remove(u.id);
            realm.usersByName.remove(u.username);
            u.groups.forEach(g -> g.members.remove(u));
        }
        addAdminEvent(time, actor, "DELETE", "USER", "users/" + u.id, null);
    }

    /**
     * What an administrator's change to a realm role's composites does: makes realm role {@code child} a composite child
     * of realm role {@code parent} (CREATE) or takes it out (DELETE), as {@code actor}, and records the admin event
     * Keycloak writes (REALM_ROLE on {@code roles-by-id/{parent id}/composites}, the child roles as representation).
     * Only while no collection is reading the realm.
     */
    public void changeComposite(String operation, String parent, String child, String actor, Instant time) {
        Model.Role p = realmRole(parent);
        Model.Role c = realmRole(child);
        synchronized (realm) {
            if ("CREATE".equals(operation) && !p.composites.contains(c)) {
                p.composites.add(c);
            } else if ("DELETE".equals(operation)) {
                p.composites.remove(c);
            }
        }
        var rep = Representations.MAPPER.createArrayNode().addObject();
        rep.put("id", c.id);
        rep.put("name", c.name);
        rep.put("composite", !c.composites.isEmpty());
        rep.put("clientRole", false);
        rep.put("containerId", realm.id);
        addAdminEvent(time, actor, operation, "REALM_ROLE", "roles-by-id/" + p.id + "/composites", "[" + rep + "]");
    }

    /**
     * What deleting a realm role does: the role is gone from the realm, from every user's and group's role mappings
     * and from every composite, and Keycloak records DELETE REALM_ROLE on {@code roles-by-id/{id}} (no representation).
     * Only while no collection is reading the realm.
     */
    public void deleteRealmRole(String role, String actor, Instant time) {
        Model.Role r = realmRole(role);
        synchronized (realm) {
            realm.realmRoles.remove(role);
            realm.rolesById.remove(r.id);
            realm.usersById.values().forEach(u -> u.roles.remove(r));
            realm.groupsById.values().forEach(g -> g.roles.remove(r));
            realm.rolesById.values().forEach(o -> o.composites.remove(r));
            realm.clientsById.values().forEach(cl -> cl.roles.values().forEach(o -> o.composites.remove(r)));
        }
        addAdminEvent(time, actor, "DELETE", "REALM_ROLE", "roles-by-id/" + r.id, null);
    }

    private Model.Role realmRole(String name) {
        Model.Role r = realm.realmRoles.get(name);
        if (r == null) {
            throw new IllegalArgumentException("No realm role '" + name + "' in realm " + realm.name);
        }
        return r;
    }

    /** As {@link #addRoleMappingEvent}, for {@code user} joining (CREATE) or leaving (DELETE) the group at {@code groupPath}. */
    public boolean addGroupMembershipEvent(String operation, String user, String groupPath, String actor, Instant time) {
        User u = user(user);
        Model.Group g = realm.groupByPath(groupPath);
        if (g == null) {
            throw new IllegalArgumentException("No group '" + groupPath + "' in realm " + realm.name);
        }
        var rep = Representations.MAPPER.createObjectNode();
        rep.put("id", g.id);
        rep.put("name", g.name);
        rep.put("path", g.path());
        return addAdminEvent(time, actor, operation, "GROUP_MEMBERSHIP", "users/" + u.id + "/groups/" + g.id, rep.toString());
    }

    /**
     * What an administrator's save of the realm's user profile does: GET users/profile returns {@code config} from now
     * on (what the profile shows admins is not changed), and the admin event Keycloak writes (UPDATE on USER_PROFILE,
     * path {@code users/profile}) is recorded when the realm records admin events.
     */
    public void updateUserProfile(com.fasterxml.jackson.databind.node.ObjectNode config, String actor, Instant time) {
        synchronized (realm) {
            realm.userProfileConfig = config.deepCopy();
        }
        addAdminEvent(time, actor, "UPDATE", "USER_PROFILE", "users/profile", config.toString());
    }

    /**
     * Records the admin event Keycloak writes when {@code actor} saves the realm's settings (UPDATE on REALM, the realm
     * itself as path); the settings are not changed.
     */
    public boolean recordRealmUpdate(String actor, Instant time) {
        return addAdminEvent(time, actor, "UPDATE", "REALM", "", null);
    }

    private boolean addAdminEvent(Instant time, String actor, String operation, String resourceType, String path,
            String representation) {
        if (!realm.adminEventsEnabled) {
            return false;
        }
        User by = user(actor);
        Client console = realm.clientsByClientId.get("security-admin-console");
        realm.addAdminEvent(new Model.AdminEvent(UUID.randomUUID().toString(), time.toEpochMilli(), realm.id, realm.id,
                console == null ? null : console.id, by.id, "127.0.0.1", operation, resourceType, path,
                realm.adminEventsDetailsEnabled ? representation : null));
        return true;
    }

    /** Drops the admin events older than the cutoff, as Keycloak's admin-event expiry does; returns how many. */
    public int expireAdminEventsBefore(Instant cutoff) {
        return realm.expireAdminEvents(cutoff.toEpochMilli());
    }

    /** Opens an active session for the user on the given clients (clientIds); returns the session id. */
    public String addSession(String user, Instant start, Instant lastAccess, String ipAddress, String... clientIds) {
        User u = user(user);
        List<String> uuids = new ArrayList<>();
        for (String c : clientIds) {
            uuids.add(clientUuid(c));
        }
        String id = UUID.randomUUID().toString();
        realm.addSession(new Session(id, u.id, ipAddress, start.toEpochMilli(), lastAccess.toEpochMilli(), false, uuids));
        return id;
    }

    /** Seeds events and sessions from an activity file; see docs/kc-sandbox.md for its shape. */
    public void loadActivity(Path activityFile) {
        ActivityFile.load(activityFile, this, Instant.now());
    }

    // ---- request accounting ------------------------------------------------------------------------

    /** Adds this much delay to every request from now on (zero for none). */
    public void setLatency(Duration latency) {
        this.latencyMillis = latency.toMillis();
    }

    /** Requests served per endpoint, keyed like {@code GET /admin/realms/{realm}/users}, sorted. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long requestCount(String endpoint) {
        AtomicLong c = counters.get(endpoint);
        return c == null ? 0 : c.get();
    }

    /** All requests to {@code /admin/...} endpoints (the token endpoint excluded). */
    public long adminRequestCount() {
        return counters.entrySet().stream().filter(e -> e.getKey().contains(" /admin/")).mapToLong(e -> e.getValue().get()).sum();
    }

    public void resetCounters() {
        counters.clear();
    }

    // ---- routes ------------------------------------------------------------------------------------

    private void routes() {
        app.post("/realms/{realm}/protocol/openid-connect/token", ctx -> {
            count(ctx, "POST /realms/{realm}/protocol/openid-connect/token");
            token(ctx);
        });
        admin("", realmApi::realm);
        admin("/events/config", realmApi::eventsConfig);
        admin("/client-session-stats", realmApi::clientSessionStats);
        admin("/events", realmApi::events);
        admin("/admin-events", realmApi::adminEvents);

        adminPost("/partial-export", realmApi::partialExport);

        admin("/identity-provider/instances", realmApi::identityProviders);
        admin("/identity-provider/instances/{alias}", realmApi::identityProvider);

        admin("/users", users::users);
        admin("/users/count", users::usersCount);
        admin("/users/profile", realmApi::userProfile);
        admin("/users/{id}", users::user);
        admin("/users/{id}/credentials", users::userCredentials);
        admin("/users/{id}/federated-identity", users::userFederatedIdentities);
        admin("/users/{id}/groups", users::userGroups);
        admin("/users/{id}/sessions", users::userSessions);
        admin("/users/{id}/role-mappings", users::userRoleMappings);
        admin("/users/{id}/role-mappings/realm", users::userRealmRoleMappings);
        admin("/users/{id}/role-mappings/realm/composite", users::userRealmComposite);
        admin("/users/{id}/role-mappings/clients/{client}", users::userClientRoleMappings);
        admin("/users/{id}/role-mappings/clients/{client}/composite", users::userClientComposite);

        for (String base : List.of("/roles", "/clients/{id}/roles")) {
            admin(base, roles::roles);
            admin(base + "/{role}", roles::role);
            admin(base + "/{role}/composites", roles::roleComposites);
            admin(base + "/{role}/composites/realm", roles::roleRealmComposites);
            admin(base + "/{role}/composites/clients/{client}", roles::roleClientComposites);
            admin(base + "/{role}/users", roles::roleUsers);
            admin(base + "/{role}/groups", roles::roleGroups);
        }
        admin("/roles-by-id/{id}", roles::roleById);
        admin("/roles-by-id/{id}/composites", roles::roleByIdComposites);
        admin("/roles-by-id/{id}/composites/realm", roles::roleByIdRealmComposites);
        admin("/roles-by-id/{id}/composites/clients/{client}", roles::roleByIdClientComposites);

        admin("/clients", roles::clients);
        admin("/clients/{id}", roles::client);
        admin("/clients/{id}/service-account-user", roles::serviceAccountUser);
        admin("/clients/{id}/user-sessions", roles::clientSessions);

        admin("/groups", groups::groups);
        admin("/groups/{id}", groups::group);
        admin("/groups/{id}/children", groups::groupChildren);
        admin("/groups/{id}/members", groups::groupMembers);
        admin("/groups/{id}/role-mappings", groups::groupRoleMappings);
        admin("/groups/{id}/role-mappings/realm", groups::groupRealmRoleMappings);
        admin("/groups/{id}/role-mappings/realm/composite", groups::groupRealmComposite);
        admin("/groups/{id}/role-mappings/clients/{client}", groups::groupClientRoleMappings);
        admin("/groups/{id}/role-mappings/clients/{client}/composite", groups::groupClientComposite);
        admin("/group-by-path/<path>", groups::groupByPath);
    }

    private void admin(String suffix, BiFunction<Context, Permissions, JsonNode> handler) {
        admin(io.javalin.http.HandlerType.GET, suffix, handler);
    }

    /** A POST under the realm's admin API that only reads (partial export). */
    private void adminPost(String suffix, BiFunction<Context, Permissions, JsonNode> handler) {
        admin(io.javalin.http.HandlerType.POST, suffix, handler);
    }

    private void admin(io.javalin.http.HandlerType method, String suffix, BiFunction<Context, Permissions, JsonNode> handler) {
        String path = "/admin/realms/{realm}" + suffix;
        String key = method + " " + path;
        app.addHttpHandler(method, path, ctx -> {
            count(ctx, key);
            Permissions permissions = authenticate(ctx);
            if (!realm.name.equals(ctx.pathParam("realm"))) {
                throw ApiError.notFound("Realm not found.");
            }
            JsonNode body = handler.apply(ctx, permissions);
            ctx.contentType("application/json").result(body.toString());
        });
    }

    private void count(Context ctx, String key) throws InterruptedException {
        counters.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        long delay = latencyMillis;
        if (delay > 0) {
            Thread.sleep(delay);
        }
    }

    private Permissions authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized();
        }
        Tokens.Grant grant = tokens.check(header.substring(7).trim());
        if (grant == null) {
            throw ApiError.unauthorized();
        }
        Client client = realm.clientsById.get(grant.clientUuid());
        return Permissions.of(realm, client);
    }

    private void token(Context ctx) {
        if (!realm.name.equals(ctx.pathParam("realm"))) {
            throw ApiError.notFound("Realm does not exist");
        }
        String grantType = ctx.formParam("grant_type");
        String clientId = ctx.formParam("client_id");
        String secret = ctx.formParam("client_secret");
        String basic = ctx.header("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                clientId = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            }
        }
        if (grantType == null) {
            throw new ApiError(400, "invalid_request", "Missing form parameter: grant_type");
        }
        Client client = clientId == null ? null : realm.clientsByClientId.get(clientId);
        if (client == null || !client.enabled) {
            throw new ApiError(401, "invalid_client", "Invalid client or Invalid client credentials");
        }
        if (!client.publicClient && (client.secret == null || !client.secret.equals(secret))) {
            throw new ApiError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
        }
        if (!grantType.equals("client_credentials")) {
            throw new ApiError(400, "unsupported_grant_type", "Unsupported grant_type");
        }
        if (client.publicClient) {
            throw new ApiError(401, "unauthorized_client", "Public client not allowed to retrieve service account");
        }
        if (!client.serviceAccountsEnabled || client.serviceAccount == null) {
            throw new ApiError(401, "unauthorized_client", "Client not enabled to retrieve service account");
        }
        String token = tokens.issue(url() + "/realms/" + realm.name, client, realm.effectiveRoles(client.serviceAccount));
        // as Keycloak does: the grant is a sign-in of the service-account user, stored if the realm keeps CLIENT_LOGIN
        if (realm.storesEventType("CLIENT_LOGIN")) {
            realm.addEvent(new Event(UUID.randomUUID().toString(), System.currentTimeMillis(), "CLIENT_LOGIN",
                    client.serviceAccount.id, client.clientId, null, ctx.ip(), null,
                    Map.of("grant_type", "client_credentials", "client_auth_method", "client-secret",
                            "username", client.serviceAccount.username)));
        }
        var body = Representations.MAPPER.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", Tokens.LIFESPAN_SECONDS);
        body.put("refresh_expires_in", 0);
        body.put("token_type", "Bearer");
        body.put("not-before-policy", 0);
        body.put("scope", "profile email");
        ctx.contentType("application/json").header("Cache-Control", "no-store").result(body.toString());
    }
}
