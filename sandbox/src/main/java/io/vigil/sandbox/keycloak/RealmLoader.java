package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Credential;
import io.vigil.sandbox.keycloak.Model.FederatedIdentity;
import io.vigil.sandbox.keycloak.Model.Group;
import io.vigil.sandbox.keycloak.Model.Role;
import io.vigil.sandbox.keycloak.Model.User;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a Keycloak realm export (the file {@code kc.sh start --import-realm} takes) into a {@link Realm},
 * applying what Keycloak's importer does: built-in clients and roles it creates when the file lacks them,
 * imported users get exactly the roles the file lists (no default role added), {@code enabled} defaults to
 * false, usernames and emails are lower-cased, and clients with service accounts enabled but no
 * service-account user in the file get one. Ids missing from the file are derived from the realm and
 * entry names, so two loads of one file give the same ids. Not thread-safe; use once per file.
 */
final class RealmLoader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** realm-management roles Keycloak creates for every realm, with their standard composites. */
    private static final List<String> ADMIN_ROLES = List.of("create-client", "impersonation", "manage-authorization",
            "manage-clients", "manage-events", "manage-identity-providers", "manage-realm", "manage-users",
            "query-clients", "query-groups", "query-realms", "query-users", "view-authorization", "view-clients",
            "view-events", "view-identity-providers", "view-realm", "view-users");
    private static final List<String> ACCOUNT_ROLES = List.of("delete-account", "manage-account",
            "manage-account-links", "manage-consent", "view-applications", "view-consent", "view-groups", "view-profile");

    private final String file;
    private Realm realm;
    private long loadTime;

    private RealmLoader(String file) {
        this.file = file;
    }

    static Realm load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new RealmFileException("Realm file " + path.toAbsolutePath() + " does not exist. Give the path of a Keycloak realm export.", e);
        } catch (IOException e) {
            throw new RealmFileException("Cannot read realm file " + path + " (" + e + "). Check that it is a readable file.", e);
        }
        return parse(path.getFileName().toString(), new String(bytes, StandardCharsets.UTF_8));
    }

    static Realm parse(String fileName, String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new RealmFileException(fileName + " is not valid JSON"
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                    + ": " + e.getOriginalMessage() + ". Fix the syntax; the file must be a Keycloak realm export.", e);
        }
        if (root == null || !root.isObject()) {
            throw new RealmFileException(fileName + " does not hold a JSON object; a Keycloak realm export is one object with a \"realm\" field.");
        }
        return new RealmLoader(fileName).build((ObjectNode) root);
    }

    private Realm build(ObjectNode root) {
        loadTime = System.currentTimeMillis();
        String name = text(root, "realm");
        if (name == null || name.isBlank()) {
            throw fail("the top-level \"realm\" field (the realm name) is missing", "add \"realm\": \"<name>\"");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                settings.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
            }
        });
        List<Map<String, Object>> idps = new ArrayList<>();
        for (JsonNode idp : array(root, "identityProviders")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rep = MAPPER.convertValue(idp, Map.class);
            idps.add(rep);
        }
        realm = new Realm(textOr(root, "id", name), name, root.path("enabled").asBoolean(true),
                root.path("eventsEnabled").asBoolean(false),
                root.hasNonNull("eventsExpiration") ? root.get("eventsExpiration").asLong() : null,
                strings(root.get("eventsListeners"), List.of("jboss-logging")),
                strings(root.get("enabledEventTypes"), List.of()),
                root.path("adminEventsEnabled").asBoolean(false), root.path("adminEventsDetailsEnabled").asBoolean(false),
                settings, idps);

        realm.userProfile = userProfile(root);
        loadClients(root);
        addBuiltInClients();
        addBuiltInRealmRoles();
        loadRoles(root);
        loadDefaultRole(root);
        loadGroups(root);
        loadUsers(root);
        addMissingServiceAccounts();
        return realm;
    }

    /**
     * The declarative user profile from {@code components["org.keycloak.userprofile.UserProfileProvider"]},
     * whose {@code kc.user.profile.config} holds the profile JSON as a string; Keycloak's default when absent.
     */
    private Realm.UserProfile userProfile(ObjectNode root) {
        JsonNode providers = root.path("components").path("org.keycloak.userprofile.UserProfileProvider");
        for (JsonNode provider : providers) {
            JsonNode config = provider.path("config").path("kc.user.profile.config");
            if (!config.isArray() || config.isEmpty()) {
                continue;
            }
            JsonNode profile;
            try {
                profile = MAPPER.readTree(config.get(0).asText());
            } catch (JsonProcessingException e) {
                throw fail("components.org.keycloak.userprofile.UserProfileProvider[].config.kc.user.profile.config is not valid JSON ("
                        + e.getOriginalMessage() + ")", "export the realm again or fix the embedded user-profile JSON");
            }
            Set<String> visible = new HashSet<>(Realm.UserProfile.DEFAULT.adminVisible());
            for (JsonNode attribute : profile.path("attributes")) {
                JsonNode permissions = attribute.get("permissions");
                boolean admin = permissions == null || permissions.isNull()
                        || strings(permissions.get("view"), List.of()).contains("admin")
                        || strings(permissions.get("edit"), List.of()).contains("admin");
                if (admin && attribute.hasNonNull("name")) {
                    visible.add(attribute.get("name").asText());
                }
            }
            if (profile instanceof ObjectNode o) {
                realm.userProfileConfig = o;
            }
            String policy = profile.path("unmanagedAttributePolicy").asText("");
            return new Realm.UserProfile(Set.copyOf(visible), Set.of("ENABLED", "ADMIN_VIEW", "ADMIN_EDIT").contains(policy));
        }
        return Realm.UserProfile.DEFAULT;
    }

    // ---- clients -------------------------------------------------------------------------------------

    private void loadClients(ObjectNode root) {
        int i = 0;
        for (JsonNode c : array(root, "clients")) {
            String where = "clients[" + i++ + "]";
            String clientId = text(c, "clientId");
            if (clientId == null) {
                throw fail(where + " has no \"clientId\"", "give every client a clientId");
            }
            if (realm.clientsByClientId.containsKey(clientId)) {
                throw fail(where + " (" + clientId + ") repeats a clientId already used by another client",
                        "remove or rename the duplicate");
            }
            ObjectNode rep = ((ObjectNode) c).deepCopy();
            rep.remove("secret");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = MAPPER.convertValue(rep, Map.class);
            addClient(new Client(textOr(c, "id", derivedId("client", clientId)), clientId, text(c, "secret"),
                    c.path("enabled").asBoolean(true), c.path("serviceAccountsEnabled").asBoolean(false),
                    c.path("publicClient").asBoolean(false), map));
        }
    }

    private void addClient(Client client) {
        client.representation.put("id", client.id);
        realm.clientsById.put(client.id, client);
        realm.clientsByClientId.put(client.clientId, client);
    }

    private void addBuiltInClients() {
        if (!realm.clientsByClientId.containsKey("realm-management")) {
            Client rm = builtInClient("realm-management", true);
            for (String r : ADMIN_ROLES) {
                addRole(rm, r, "${role_" + r + "}");
            }
            Role realmAdmin = addRole(rm, "realm-admin", "${role_realm-admin}");
            rm.roles.values().stream().filter(r -> r != realmAdmin).forEach(realmAdmin.composites::add);
            rm.roles.get("view-users").composites.addAll(List.of(rm.roles.get("query-users"), rm.roles.get("query-groups")));
            rm.roles.get("view-clients").composites.add(rm.roles.get("query-clients"));
        }
        if (!realm.clientsByClientId.containsKey("account")) {
            Client account = builtInClient("account", true);
            for (String r : ACCOUNT_ROLES) {
                addRole(account, r, "${role_" + r + "}");
            }
            account.roles.get("manage-account").composites.add(account.roles.get("manage-account-links"));
            account.roles.get("manage-consent").composites.add(account.roles.get("view-consent"));
        }
        if (!realm.clientsByClientId.containsKey("broker")) {
            addRole(builtInClient("broker", true), "read-token", "${role_read-token}");
        }
        for (String c : List.of("account-console", "admin-cli", "security-admin-console")) {
            if (!realm.clientsByClientId.containsKey(c)) {
                builtInClient(c, !c.equals("realm-management"));
            }
        }
    }

    private Client builtInClient(String clientId, boolean bearerOrPublic) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("clientId", clientId);
        rep.put("name", "${client_" + clientId + "}");
        rep.put("enabled", true);
        rep.put("bearerOnly", clientId.equals("realm-management") || clientId.equals("broker"));
        rep.put("publicClient", clientId.equals("admin-cli") || clientId.endsWith("-console"));
        rep.put("serviceAccountsEnabled", false);
        rep.put("protocol", "openid-connect");
        Client client = new Client(derivedId("client", clientId), clientId, null, true, false,
                (Boolean) rep.get("publicClient"), rep);
        addClient(client);
        return client;
    }

    // ---- roles ---------------------------------------------------------------------------------------

    private void loadRoles(ObjectNode root) {
        JsonNode roles = root.path("roles");
        List<Runnable> compositeWiring = new ArrayList<>();
        int i = 0;
        for (JsonNode r : array(roles, "realm")) {
            String where = "roles.realm[" + i++ + "]";
            Role role = declareRole(null, r, where);
            compositeWiring.add(() -> wireComposites(role, r.get("composites"), where));
        }
        Iterator<Map.Entry<String, JsonNode>> clients = roles.path("client").fields();
        while (clients.hasNext()) {
            var entry = clients.next();
            Client client = realm.clientsByClientId.get(entry.getKey());
            if (client == null) {
                throw fail("roles.client." + entry.getKey() + " defines roles for a client that is not in \"clients\"",
                        "add the client to \"clients\" or move its roles");
            }
            int j = 0;
            for (JsonNode r : entry.getValue()) {
                String where = "roles.client." + entry.getKey() + "[" + j++ + "]";
                Role role = declareRole(client, r, where);
                compositeWiring.add(() -> wireComposites(role, r.get("composites"), where));
            }
        }
        compositeWiring.forEach(Runnable::run);
    }

    private Role declareRole(Client client, JsonNode r, String where) {
        String name = text(r, "name");
        if (name == null) {
            throw fail(where + " has no \"name\"", "give every role a name");
        }
        Map<String, Role> container = client == null ? realm.realmRoles : client.roles;
        Role existing = container.get(name);
        if (existing != null) {
            if (existing.id.equals(derivedId(client == null ? "realm-role" : "client-role:" + client.clientId, name))) {
                existing.composites.clear();
                return existing; // a built-in role the file redefines: the file's composites win
            }
            throw fail(where + " (" + name + ") repeats a role name already defined in the same container",
                    "remove or rename the duplicate");
        }
        Role role = new Role(textOr(r, "id", derivedId(client == null ? "realm-role" : "client-role:" + client.clientId, name)),
                name, text(r, "description"), client, stringLists(r.get("attributes")));
        put(role, container);
        return role;
    }

    private void wireComposites(Role role, JsonNode composites, String where) {
        if (composites == null || composites.isNull()) {
            return;
        }
        for (JsonNode n : composites.path("realm")) {
            Role target = realm.realmRoles.get(n.asText());
            if (target == null) {
                throw fail(where + " (" + role.name + ") lists composite realm role '" + n.asText()
                        + "', which is not defined in roles.realm", "define the role or remove it from the composite");
            }
            role.composites.add(target);
        }
        Iterator<Map.Entry<String, JsonNode>> it = composites.path("client").fields();
        while (it.hasNext()) {
            var e = it.next();
            Client client = realm.clientsByClientId.get(e.getKey());
            for (JsonNode n : e.getValue()) {
                Role target = client == null ? null : client.roles.get(n.asText());
                if (target == null) {
                    throw fail(where + " (" + role.name + ") lists composite client role '" + e.getKey() + "/" + n.asText()
                            + "', which is not defined in roles.client." + e.getKey(),
                            "define the role or remove it from the composite");
                }
                role.composites.add(target);
            }
        }
    }

    private Role addRole(Client client, String name, String description) {
        Role role = new Role(derivedId(client == null ? "realm-role" : "client-role:" + client.clientId, name), name,
                description, client, Map.of());
        put(role, client == null ? realm.realmRoles : client.roles);
        return role;
    }

    private void put(Role role, Map<String, Role> container) {
        if (realm.rolesById.containsKey(role.id)) {
            throw fail("the role id " + role.id + " of " + role.label() + " is used by " + realm.rolesById.get(role.id).label() + " too",
                    "give each role its own id");
        }
        container.put(role.name, role);
        realm.rolesById.put(role.id, role);
    }

    private void addBuiltInRealmRoles() {
        if (!realm.realmRoles.containsKey("offline_access")) {
            addRole(null, "offline_access", "${role_offline-access}");
        }
        if (!realm.realmRoles.containsKey("uma_authorization")) {
            addRole(null, "uma_authorization", "${role_uma_authorization}");
        }
    }

    private void loadDefaultRole(ObjectNode root) {
        String defaultName = "default-roles-" + realm.name.toLowerCase(Locale.ROOT);
        JsonNode dr = root.get("defaultRole");
        if (dr != null && !dr.isNull()) {
            Role role = dr.hasNonNull("id") ? realm.rolesById.get(dr.get("id").asText()) : null;
            if (role == null && dr.hasNonNull("name")) {
                role = realm.realmRoles.get(dr.get("name").asText());
            }
            if (role == null) {
                throw fail("\"defaultRole\" names " + dr + ", which is not defined in roles.realm",
                        "define the default role (usually " + defaultName + ") in roles.realm");
            }
            realm.defaultRole = role;
            return;
        }
        Role role = realm.realmRoles.get(defaultName);
        if (role == null) {
            role = addRole(null, defaultName, "${role_default-roles}");
            role.composites.add(realm.realmRoles.get("offline_access"));
            role.composites.add(realm.realmRoles.get("uma_authorization"));
            Client account = realm.clientsByClientId.get("account");
            if (account.roles.containsKey("view-profile")) {
                role.composites.add(account.roles.get("view-profile"));
            }
            if (account.roles.containsKey("manage-account")) {
                role.composites.add(account.roles.get("manage-account"));
            }
        }
        realm.defaultRole = role;
    }

    // ---- groups --------------------------------------------------------------------------------------

    private void loadGroups(ObjectNode root) {
        int i = 0;
        for (JsonNode g : array(root, "groups")) {
            loadGroup(g, null, "groups[" + i++ + "]", realm.topGroups);
        }
    }

    private void loadGroup(JsonNode g, Group parent, String where, List<Group> siblings) {
        String name = text(g, "name");
        if (name == null || name.isBlank()) {
            throw fail(where + " has no \"name\"", "give every group a name");
        }
        String path = (parent == null ? "" : parent.path()) + "/" + name;
        if (siblings.stream().anyMatch(s -> s.name.equals(name))) {
            throw fail(where + " (" + path + ") repeats the group path " + path, "give sibling groups different names");
        }
        String id = textOr(g, "id", derivedId("group", path));
        Group existing = realm.groupsById.get(id);
        if (existing != null) {
            throw fail(where + " (" + path + ") reuses the id " + id + " of group " + existing.path()
                    + (path.startsWith(existing.path() + "/") ? ", which makes the group its own ancestor (a loop)" : ""),
                    "give each group its own id");
        }
        Group group = new Group(id, name, parent, text(g, "description"), stringLists(g.get("attributes")));
        siblings.add(group);
        realm.groupsById.put(id, group);
        group.roles.addAll(roleRefs(g, where + " (" + path + ")"));
        int i = 0;
        for (JsonNode child : array(g, "subGroups")) {
            loadGroup(child, group, where + ".subGroups[" + i++ + "]", group.children);
        }
    }

    /** The realmRoles and clientRoles an entry (user or group) lists, each checked to exist. */
    private List<Role> roleRefs(JsonNode entry, String where) {
        List<Role> roles = new ArrayList<>();
        for (JsonNode n : entry.path("realmRoles")) {
            Role role = realm.realmRoles.get(n.asText());
            if (role == null) {
                throw fail(where + " lists realm role '" + n.asText() + "', which is not defined in roles.realm",
                        "define the role or remove it from realmRoles");
            }
            roles.add(role);
        }
        Iterator<Map.Entry<String, JsonNode>> it = entry.path("clientRoles").fields();
        while (it.hasNext()) {
            var e = it.next();
            Client client = realm.clientsByClientId.get(e.getKey());
            for (JsonNode n : e.getValue()) {
                Role role = client == null ? null : client.roles.get(n.asText());
                if (role == null) {
                    throw fail(where + " lists client role '" + e.getKey() + "/" + n.asText() + "', which is not defined"
                            + (client == null ? " (no client '" + e.getKey() + "' in \"clients\")" : " in roles.client." + e.getKey()),
                            "define the role or remove it from clientRoles");
                }
                roles.add(role);
            }
        }
        return roles;
    }

    // ---- users ---------------------------------------------------------------------------------------

    private void loadUsers(ObjectNode root) {
        Set<String> idpAliases = new HashSet<>();
        realm.identityProviders.forEach(idp -> idpAliases.add(String.valueOf(idp.get("alias"))));
        int i = 0;
        for (JsonNode u : array(root, "users")) {
            String where0 = "users[" + i++ + "]";
            String rawName = text(u, "username");
            if (rawName == null || rawName.isBlank()) {
                throw fail(where0 + " has no \"username\"", "give every user a username");
            }
            String username = rawName.toLowerCase(Locale.ROOT);
            String where = where0 + " (" + username + ")";
            if (realm.usersByName.containsKey(username)) {
                throw fail(where + " repeats a username already used", "remove or rename the duplicate");
            }
            List<Credential> credentials = new ArrayList<>();
            int c = 0;
            for (JsonNode cred : array(u, "credentials")) {
                String type = textOr(cred, "type", "password");
                String data = text(cred, "credentialData");
                if (data == null && type.equals("password")) {
                    data = "{\"hashIterations\":5,\"algorithm\":\"argon2\",\"additionalParameters\":{\"hashLength\":[\"32\"],\"memory\":[\"7168\"],\"type\":[\"id\"],\"version\":[\"1.3\"],\"parallelism\":[\"1\"]}}";
                }
                // the importer stores credentials one by one, each 10 below the previous in priority order
                int priority = cred.hasNonNull("priority") ? cred.get("priority").asInt() : (c + 1) * 10;
                credentials.add(new Credential(textOr(cred, "id", derivedId("credential", username + "/" + c++)), type,
                        text(cred, "userLabel"), cred.hasNonNull("createdDate") ? cred.get("createdDate").asLong() : loadTime,
                        data, priority));
            }
            credentials.sort(java.util.Comparator.comparing(Credential::priority));
            List<FederatedIdentity> links = new ArrayList<>();
            for (JsonNode f : array(u, "federatedIdentities")) {
                String alias = text(f, "identityProvider");
                if (alias == null || !idpAliases.contains(alias)) {
                    throw fail(where + " links identity provider '" + alias + "', which is not in \"identityProviders\"",
                            "add the identity provider or remove the link");
                }
                links.add(new FederatedIdentity(alias, text(f, "userId"), text(f, "userName")));
            }
            String email = text(u, "email");
            User user = new User(textOr(u, "id", derivedId("user", username)), username, text(u, "firstName"),
                    text(u, "lastName"), email == null ? null : email.toLowerCase(Locale.ROOT),
                    u.path("emailVerified").asBoolean(false), u.path("enabled").asBoolean(false),
                    u.hasNonNull("createdTimestamp") ? u.get("createdTimestamp").asLong() : null,
                    stringLists(u.get("attributes")), strings(u.get("requiredActions"), List.of()), credentials, links);
            if (realm.usersById.containsKey(user.id)) {
                throw fail(where + " reuses the id " + user.id + " of user " + realm.usersById.get(user.id).username,
                        "give each user its own id");
            }
            user.roles.addAll(roleRefs(u, where));
            for (JsonNode p : u.path("groups")) {
                Group group = realm.groupByPath(p.asText());
                if (group == null) {
                    throw fail(where + " is a member of group '" + p.asText() + "', which is not in \"groups\"",
                            "write the full path (e.g. /ops/oncall) of a group the file defines");
                }
                user.groups.add(group);
                group.members.add(user);
            }
            String sa = text(u, "serviceAccountClientId");
            if (sa != null) {
                Client client = realm.clientsByClientId.get(sa);
                if (client == null) {
                    throw fail(where + " is the service account of client '" + sa + "', which is not in \"clients\"",
                            "add the client or remove serviceAccountClientId");
                }
                client.serviceAccount = user;
                user.serviceAccountOf = client;
            }
            realm.usersById.put(user.id, user);
            realm.usersByName.put(username, user);
        }
    }

    /** Keycloak's importer creates the service-account user of a client whose file entry has none. */
    private void addMissingServiceAccounts() {
        for (Client client : realm.clientsById.values()) {
            if (client.serviceAccountsEnabled && client.serviceAccount == null) {
                String username = "service-account-" + client.clientId.toLowerCase(Locale.ROOT);
                User user = new User(derivedId("user", username), username, null, null, null, false, true, loadTime,
                        Map.of(), List.of(), List.of(), List.of());
                user.roles.add(realm.defaultRole);
                user.serviceAccountOf = client;
                client.serviceAccount = user;
                realm.usersById.put(user.id, user);
                realm.usersByName.put(username, user);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private String derivedId(String kind, String name) {
        return UUID.nameUUIDFromBytes((realm.name + "|" + kind + "|" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private RealmFileException fail(String what, String fix) {
        return new RealmFileException(file + ": " + what + ". To fix: " + fix + ".");
    }

    private static Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || !n.isArray() ? List.of() : n;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String textOr(JsonNode node, String field, String fallback) {
        String t = text(node, field);
        return t == null ? fallback : t;
    }

    private static List<String> strings(JsonNode node, List<String> fallback) {
        if (node == null || !node.isArray()) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** Attributes as Keycloak keeps them: every value a list of strings (a lone string becomes a list). */
    private static Map<String, List<String>> stringLists(JsonNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            return out;
        }
        node.fields().forEachRemaining(e -> out.put(e.getKey(),
                e.getValue().isArray() ? strings(e.getValue(), List.of()) : List.of(e.getValue().asText())));
        return out;
    }
}
