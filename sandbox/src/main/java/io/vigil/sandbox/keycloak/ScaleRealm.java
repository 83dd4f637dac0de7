package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a realm export for benchmarks: many users, roles in composites several levels deep (client
 * roles inside realm composites), groups nested several levels, random but reproducible memberships.
 * The same file can be imported by a real Keycloak ({@code --import-realm}) and loaded by the sandbox.
 * A confidential client {@code vigil} (secret {@link Spec#clientSecret()}) holds view-users, view-realm,
 * view-clients and view-events through its service account. Stateless.
 */
public final class ScaleRealm {
    /**
     * Sizes of the generated realm. {@code roles} realm roles are spread over {@code compositeDepth + 1}
     * levels (level 0 plain, each higher level composing two roles of the level below); {@code clientRoles}
     * roles of client {@code app} sit inside the first composite level; {@code groups} groups are nested
     * {@code groupDepth} levels deep. The same seed gives the same file.
     */
    public record Spec(String realm, int users, int roles, int clientRoles, int groups, int compositeDepth,
                       int groupDepth, long seed, String clientSecret) {
        public Spec {
            if (users < 1 || roles < compositeDepth + 1 || groups < groupDepth || compositeDepth < 1 || groupDepth < 1
                    || clientRoles < 1) {
                throw new IllegalArgumentException("ScaleRealm.Spec needs users >= 1, clientRoles >= 1, roles > compositeDepth >= 1"
                        + " and groups >= groupDepth >= 1; got " + this);
            }
        }

        /** The benchmark's shape: 10,000 users, 300 roles (200 realm, 100 client), 200 groups four deep. */
        public static Spec benchmark() {
            return new Spec("bench", 10_000, 200, 100, 200, 3, 4, 42L, "bench-secret");
        }
    }

    private ScaleRealm() {
    }

    public static void write(Spec spec, Path file) {
        try {
            Representations.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), generate(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write realm file " + file, e);
        }
    }

    public static ObjectNode generate(Spec spec) {
        Random random = new Random(spec.seed());
        ObjectNode realm = Representations.MAPPER.createObjectNode();
        realm.put("realm", spec.realm());
        realm.put("enabled", true);
        realm.put("eventsEnabled", true);
        realm.putArray("enabledEventTypes").add("LOGIN");
        String defaultRole = "default-roles-" + spec.realm();
        realm.putObject("defaultRole").put("name", defaultRole);

        ArrayNode clients = realm.putArray("clients");
        ObjectNode vigil = clients.addObject();
        vigil.put("clientId", "vigil").put("secret", spec.clientSecret()).put("enabled", true)
                .put("publicClient", false).put("serviceAccountsEnabled", true);
        clients.addObject().put("clientId", "app").put("enabled", true).put("publicClient", false).put("secret", "app-secret");

        ObjectNode roles = realm.putObject("roles");
        ArrayNode realmRoles = roles.putArray("realm");
        ArrayNode appRoles = roles.putObject("client").putArray("app");
        List<String> clientRoleNames = new ArrayList<>();
        for (int i = 0; i < spec.clientRoles(); i++) {
            String name = String.format("app-role-%04d", i);
            appRoles.addObject().put("name", name);
            clientRoleNames.add(name);
        }
        List<List<String>> levels = new ArrayList<>();
        int levelCount = spec.compositeDepth() + 1;
        int placed = 0;
        for (int level = 0; level < levelCount; level++) {
            int size = level == levelCount - 1 ? spec.roles() - placed : Math.max(1, spec.roles() / (2 << level));
            size = Math.min(size, spec.roles() - placed - (levelCount - level - 1));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String name = String.format("role-l%d-%04d", level, i);
                ObjectNode role = realmRoles.addObject().put("name", name);
                if (level > 0) {
                    ObjectNode composites = role.put("composite", true).putObject("composites");
                    List<String> below = levels.get(level - 1);
                    ArrayNode realmParts = composites.putArray("realm");
                    addDistinct(realmParts, below.get(random.nextInt(below.size())));
                    addDistinct(realmParts, below.get(random.nextInt(below.size())));
                    if (level == 1) {
                        composites.putObject("client").putArray("app").add(clientRoleNames.get(random.nextInt(clientRoleNames.size())));
                    }
                }
                names.add(name);
            }
            placed += size;
            levels.add(names);
        }
        List<String> allRealmRoles = levels.stream().flatMap(List::stream).toList();
        ObjectNode def = realmRoles.addObject().put("name", defaultRole).put("composite", true);
        def.putObject("composites").putArray("realm").add("offline_access").add("uma_authorization").add(levels.get(0).get(0));
        realmRoles.addObject().put("name", "offline_access");
        realmRoles.addObject().put("name", "uma_authorization");

        List<String> groupPaths = new ArrayList<>();
        ArrayNode groups = realm.putArray("groups");
        int perLevel = spec.groups() / spec.groupDepth();
        int made = 0;
        List<ObjectNode> parents = new ArrayList<>();
        List<String> parentPaths = new ArrayList<>();
        for (int level = 0; level < spec.groupDepth(); level++) {
            int size = level == spec.groupDepth() - 1 ? spec.groups() - made : perLevel;
            List<ObjectNode> nodes = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String name = String.format("g%d-%04d", level, i);
                ObjectNode group;
                String path;
                if (level == 0) {
                    group = groups.addObject();
                    path = "/" + name;
                } else {
                    int p = i % parents.size();
                    group = ((ArrayNode) parents.get(p).withArray("subGroups")).addObject();
                    path = parentPaths.get(p) + "/" + name;
                }
                group.put("name", name);
                group.putArray("subGroups");
                if (random.nextInt(3) > 0) {
                    group.putArray("realmRoles").add(allRealmRoles.get(random.nextInt(allRealmRoles.size())));
                }
                if (random.nextInt(5) == 0) {
                    group.putObject("clientRoles").putArray("app").add(clientRoleNames.get(random.nextInt(clientRoleNames.size())));
                }
                nodes.add(group);
                paths.add(path);
                groupPaths.add(path);
            }
            made += size;
            parents = nodes;
            parentPaths = paths;
        }

        ArrayNode users = realm.putArray("users");
        long created = 1_700_000_000_000L;
        for (int i = 0; i < spec.users(); i++) {
            String name = String.format("user%05d", i);
            ObjectNode user = users.addObject();
            user.put("username", name).put("enabled", random.nextInt(50) > 0).put("email", name + "@bench.example")
                    .put("firstName", "User").put("lastName", String.format("%05d", i)).put("createdTimestamp", created + i * 60_000L);
            ArrayNode userRealmRoles = user.putArray("realmRoles").add(defaultRole);
            for (int r = random.nextInt(3); r > 0; r--) {
                addDistinct(userRealmRoles, allRealmRoles.get(random.nextInt(allRealmRoles.size())));
            }
            if (random.nextInt(4) == 0) {
                user.putObject("clientRoles").putArray("app").add(clientRoleNames.get(random.nextInt(clientRoleNames.size())));
            }
            ArrayNode memberOf = user.putArray("groups");
            for (int g = 1 + random.nextInt(2); g > 0; g--) {
                addDistinct(memberOf, groupPaths.get(random.nextInt(groupPaths.size())));
            }
        }
        ObjectNode sa = users.addObject();
        sa.put("username", "service-account-vigil").put("enabled", true).put("serviceAccountClientId", "vigil")
                .put("createdTimestamp", created);
        sa.putArray("realmRoles").add(defaultRole);
        ArrayNode admin = sa.putObject("clientRoles").putArray("realm-management");
        List.of("view-users", "view-realm", "view-clients", "view-events").forEach(admin::add);
        return realm;
    }

    /** A real Keycloak rejects a file granting the same role or group twice (duplicate key), so never repeat. */
    private static void addDistinct(ArrayNode array, String value) {
        for (var existing : array) {
            if (existing.asText().equals(value)) {
                return;
            }
        }
        array.add(value);
    }
}
