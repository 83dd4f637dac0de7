package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Event;
import io.vigil.sandbox.keycloak.Model.Group;
import io.vigil.sandbox.keycloak.Model.Role;
import io.vigil.sandbox.keycloak.Model.Session;
import io.vigil.sandbox.keycloak.Model.User;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The admin REST handlers. Each takes the request and the caller's {@link Permissions} and returns the
 * JSON body, or throws {@link ApiError}. Defaults, orderings and permission checks follow Keycloak 26's
 * admin resources (UsersResource, GroupsResource, GroupResource, RoleContainerResource, RoleByIdResource,
 * ClientsResource, RealmAdminResource). Stateless apart from the realm; thread-safe.
 */
final class AdminApi {
    /** Keycloak's Constants.DEFAULT_MAX_RESULTS. */
    static final int DEFAULT_MAX = 100;
    /** GroupResource.getSubGroups: {@code @DefaultValue("10")} for max. */
    static final int CHILDREN_DEFAULT_MAX = 10;

    private final Realm realm;
    private final Representations reps;

    AdminApi(Realm realm) {
        this.realm = realm;
        this.reps = new Representations(realm);
    }

    // ---- realm -----------------------------------------------------------------------------------

    JsonNode realm(Context ctx, Permissions p) {
        if (p.viewRealm()) {
            return reps.realmFull();
        }
        require(p.any());
        return reps.realmBrief(p.viewIdentityProviders());
    }

    JsonNode eventsConfig(Context ctx, Permissions p) {
        require(p.viewEvents());
        return reps.eventsConfig();
    }

    JsonNode events(Context ctx, Permissions p) {
        require(p.viewEvents());
        List<String> types = ctx.queryParams("type");
        String client = ctx.queryParam("client");
        String user = ctx.queryParam("user");
        String ip = ctx.queryParam("ipAddress");
        Long from = ctx.queryParam("dateFrom") == null ? null : startOfDay(ctx.queryParam("dateFrom"), "dateFrom");
        Long to = ctx.queryParam("dateTo") == null ? null : endOfDay(ctx.queryParam("dateTo"), "dateTo");
        String direction = ctx.queryParam("direction");
        Comparator<Event> order = Comparator.comparingLong(Event::time).reversed();
        if (direction != null) {
            if (direction.equals("asc")) {
                order = Comparator.comparingLong(Event::time);
            } else if (!direction.equals("desc")) {
                throw ApiError.badRequest("Invalid value for sortDirection, expected value is asc or desc");
            }
        }
        List<Event> matching = realm.events().stream()
                .filter(e -> types.isEmpty() || types.contains(e.type()))
                .filter(e -> client == null || client.equals(e.clientId()))
                .filter(e -> user == null || user.equals(e.userId()))
                .filter(e -> ip == null || ip.equals(e.ipAddress()))
                .filter(e -> from == null || e.time() >= from)
                .filter(e -> to == null || e.time() <= to)
                .sorted(order)
                .toList();
        Integer max = intParam(ctx, "max");
        ArrayNode out = Representations.MAPPER.createArrayNode();
        Paging.page(matching, intParam(ctx, "first"), max == null ? DEFAULT_MAX : max).forEach(e -> out.add(reps.event(e)));
        return out;
    }

    JsonNode identityProviders(Context ctx, Permissions p) {
        require(p.viewIdentityProviders());
        ArrayNode out = Representations.MAPPER.createArrayNode();
        String search = ctx.queryParam("search");
        List<Map<String, Object>> idps = realm.identityProviders.stream()
                .filter(i -> search == null || contains(String.valueOf(i.get("alias")), search.replace("*", "")))
                .toList();
        Paging.page(idps, intParam(ctx, "first"), intParam(ctx, "max")).forEach(i -> out.add(reps.identityProvider(i)));
        return out;
    }

    JsonNode identityProvider(Context ctx, Permissions p) {
        require(p.viewIdentityProviders());
        String alias = ctx.pathParam("alias");
        return realm.identityProviders.stream().filter(i -> alias.equals(i.get("alias"))).findFirst()
                .map(reps::identityProvider)
                .orElseThrow(() -> ApiError.notFound("Could not find identity provider"));
    }

    // ---- users -----------------------------------------------------------------------------------

    JsonNode users(Context ctx, Permissions p) {
        require(p.queryUsers());
        List<User> found = searchUsers(ctx);
        Integer max = intParam(ctx, "max");
        boolean brief = boolParam(ctx, "briefRepresentation", false);
        ArrayNode out = Representations.MAPPER.createArrayNode();
        if (!p.viewUsers()) {
            return out; // Keycloak filters listings to users the caller may view
        }
        for (User u : Paging.page(found, intParam(ctx, "first"), max == null ? DEFAULT_MAX : max)) {
            ObjectNode rep = reps.user(u, brief);
            rep.set("access", Representations.userAccess(p));
            out.add(rep);
        }
        return out;
    }

    JsonNode usersCount(Context ctx, Permissions p) {
        require(p.queryUsers());
        return Representations.MAPPER.getNodeFactory().numberNode(p.viewUsers() ? searchUsers(ctx).size() : 0);
    }

    /**
     * UsersResource's three modes: {@code search} (prefix match on username, email, first and last name,
     * {@code *} as wildcard, quotes for exact; service accounts left out), field parameters (substring or
     * {@code exact} match; service accounts included), or nothing (every user but service accounts).
     */
    private List<User> searchUsers(Context ctx) {
        String search = ctx.queryParam("search");
        String username = ctx.queryParam("username");
        String email = ctx.queryParam("email");
        String firstName = ctx.queryParam("firstName");
        String lastName = ctx.queryParam("lastName");
        String enabled = ctx.queryParam("enabled");
        String emailVerified = ctx.queryParam("emailVerified");
        String idpAlias = ctx.queryParam("idpAlias");
        String exactParam = ctx.queryParam("exact");
        Map<String, String> q = attributeQuery(ctx.queryParam("q"));
        if (search != null) {
            List<Predicate<User>> terms = new ArrayList<>();
            for (String term : search.trim().split("\\s+")) {
                if (!term.isEmpty()) {
                    terms.add(searchTerm(term));
                }
            }
            return realm.regularUsers().stream()
                    .filter(u -> terms.stream().allMatch(t -> t.test(u)))
                    .filter(u -> enabled == null || u.enabled == Boolean.parseBoolean(enabled))
                    .toList();
        }
        if (username == null && email == null && firstName == null && lastName == null && enabled == null
                && emailVerified == null && idpAlias == null && exactParam == null && q.isEmpty()) {
            return realm.regularUsers();
        }
        boolean exact = Boolean.parseBoolean(exactParam);
        return realm.usersById.values().stream()
                .filter(u -> fieldMatches(u.username, username, exact))
                .filter(u -> fieldMatches(u.email, email, exact))
                .filter(u -> fieldMatches(u.firstName, firstName, exact))
                .filter(u -> fieldMatches(u.lastName, lastName, exact))
                .filter(u -> enabled == null || u.enabled == Boolean.parseBoolean(enabled))
                .filter(u -> emailVerified == null || u.emailVerified == Boolean.parseBoolean(emailVerified))
                .filter(u -> idpAlias == null || u.federatedIdentities.stream().anyMatch(f -> f.identityProvider().equals(idpAlias)))
                .filter(u -> q.entrySet().stream().allMatch(e -> u.attributes.getOrDefault(e.getKey(), List.of()).stream()
                        .anyMatch(v -> v.equalsIgnoreCase(e.getValue()))))
                .sorted(Realm.BY_USERNAME)
                .toList();
    }

    /** The {@code q} parameter, {@code key1:value1 key2:value2}, as Keycloak's SearchQueryUtils splits it. */
    private static Map<String, String> attributeQuery(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q == null || q.isBlank()) {
            return out;
        }
        for (String pair : q.trim().split("\\s+")) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                out.put(pair.substring(0, colon), pair.substring(colon + 1));
            }
        }
        return out;
    }

    private static boolean fieldMatches(String value, String wanted, boolean exact) {
        if (wanted == null) {
            return true;
        }
        if (value == null) {
            return false;
        }
        String v = value.toLowerCase(Locale.ROOT);
        String w = wanted.toLowerCase(Locale.ROOT);
        return exact ? v.equals(w) : v.contains(w);
    }

    private static Predicate<User> searchTerm(String term) {
        String t = term.toLowerCase(Locale.ROOT);
        Predicate<String> match;
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            String exact = t.substring(1, t.length() - 1);
            match = v -> v.equals(exact);
        } else {
            String like = t.endsWith("*") ? t : t + "*";
            String regex = java.util.Arrays.stream(like.split("\\*", -1)).map(Pattern::quote)
                    .collect(java.util.stream.Collectors.joining(".*"));
            Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
            match = v -> pattern.matcher(v).matches();
        }
        return u -> java.util.stream.Stream.of(u.username, u.email, u.firstName, u.lastName)
                .filter(java.util.Objects::nonNull)
                .map(s -> s.toLowerCase(Locale.ROOT))
                .anyMatch(match);
    }

    JsonNode user(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        return reps.user(u, false);
    }

    JsonNode userCredentials(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        ArrayNode out = Representations.MAPPER.createArrayNode();
        u.credentials.forEach(c -> out.add(reps.credential(c)));
        return out;
    }

    JsonNode userFederatedIdentities(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        ArrayNode out = Representations.MAPPER.createArrayNode();
        u.federatedIdentities.forEach(f -> out.add(reps.federatedIdentity(f)));
        return out;
    }

    JsonNode userGroups(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        String search = ctx.queryParam("search");
        boolean brief = boolParam(ctx, "briefRepresentation", true);
        List<Group> groups = u.groups.stream()
                .filter(g -> search == null || g.name.toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
                .sorted(Realm.BY_NAME).toList();
        ArrayNode out = Representations.MAPPER.createArrayNode();
        Paging.page(groups, intParam(ctx, "first"), intParam(ctx, "max")).forEach(g -> out.add(reps.group(g, !brief, null, false)));
        return out;
    }

    JsonNode userSessions(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        ArrayNode out = Representations.MAPPER.createArrayNode();
        realm.sessions().stream().filter(s -> s.userId().equals(u.id)).forEach(s -> out.add(reps.session(s)));
        return out;
    }

    JsonNode userRoleMappings(Context ctx, Permissions p) {
        return reps.mappings(userParam(ctx, p).roles);
    }

    JsonNode userRealmRoleMappings(Context ctx, Permissions p) {
        return reps.roles(userParam(ctx, p).roles.stream().filter(r -> !r.clientRole()).toList(), true);
    }

    JsonNode userRealmComposite(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        Set<Role> effective = realm.effectiveRoles(u);
        List<Role> roles = realm.realmRoles.values().stream().filter(effective::contains).sorted(Realm.ROLE_BY_NAME).toList();
        return reps.roles(roles, boolParam(ctx, "briefRepresentation", true));
    }

    JsonNode userClientRoleMappings(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        Client c = clientParam(ctx, "client", p);
        return reps.roles(u.roles.stream().filter(r -> r.client == c).toList(), true);
    }

    JsonNode userClientComposite(Context ctx, Permissions p) {
        User u = userParam(ctx, p);
        Client c = clientParam(ctx, "client", p);
        Set<Role> effective = realm.effectiveRoles(u);
        List<Role> roles = c.roles.values().stream().filter(effective::contains).sorted(Realm.ROLE_BY_NAME).toList();
        return reps.roles(roles, boolParam(ctx, "briefRepresentation", true));
    }

    /** UsersResource.user: an unknown id is 404 to callers who may query users, 403 to others. */
    private User userParam(Context ctx, Permissions p) {
        User u = realm.usersById.get(ctx.pathParam("id"));
        if (u == null) {
            require(p.queryUsers());
            throw ApiError.notFound("User not found");
        }
        require(p.viewUsers());
        return u;
    }

    // ---- roles -----------------------------------------------------------------------------------

    JsonNode roles(Context ctx, Permissions p) {
        Client c = containerParam(ctx, p);
        String search = ctx.queryParam("search");
        List<Role> roles = container(c).values().stream()
                .filter(r -> search == null || contains(r.name, search) || contains(r.description, search))
                .sorted(Realm.ROLE_BY_NAME).toList();
        Integer first = intParam(ctx, "first");
        Integer max = intParam(ctx, "max");
        // RoleContainerResource.getRoles pages a plain listing only when both first and max are given
        if (search != null || (first != null && max != null)) {
            roles = Paging.page(roles, first, max);
        }
        return reps.roles(roles, boolParam(ctx, "briefRepresentation", true));
    }

    JsonNode role(Context ctx, Permissions p) {
        return reps.role(roleParam(ctx, p), false);
    }

    JsonNode roleComposites(Context ctx, Permissions p) {
        Role role = roleParam(ctx, p);
        return reps.roles(Paging.page(sortedComposites(role), intParam(ctx, "first"), intParam(ctx, "max")), true);
    }

    JsonNode roleRealmComposites(Context ctx, Permissions p) {
        Role role = roleParam(ctx, p);
        return reps.roles(sortedComposites(role).stream().filter(r -> !r.clientRole()).toList(), true);
    }

    JsonNode roleClientComposites(Context ctx, Permissions p) {
        Role role = roleParam(ctx, p);
        Client c = clientParam(ctx, "client", p);
        return reps.roles(sortedComposites(role).stream().filter(r -> r.client == c).toList(), true);
    }

    JsonNode roleUsers(Context ctx, Permissions p) {
        Client c = containerParam(ctx, p);
        require(p.queryUsers());
        Role role = namedRole(c, ctx.pathParam("role"));
        Integer first = intParam(ctx, "first");
        Integer max = intParam(ctx, "max");
        boolean brief = boolParam(ctx, "briefRepresentation", false);
        ArrayNode out = Representations.MAPPER.createArrayNode();
        Paging.page(realm.directMembers(role), first == null ? 0 : first, max == null ? DEFAULT_MAX : max)
                .forEach(u -> out.add(reps.user(u, brief)));
        return out;
    }

    JsonNode roleGroups(Context ctx, Permissions p) {
        Client c = containerParam(ctx, p);
        Role role = namedRole(c, ctx.pathParam("role"));
        Integer first = intParam(ctx, "first");
        Integer max = intParam(ctx, "max");
        boolean brief = boolParam(ctx, "briefRepresentation", true);
        ArrayNode out = Representations.MAPPER.createArrayNode();
        Paging.page(realm.groupsWithRole(role), first == null ? 0 : first, max == null ? DEFAULT_MAX : max)
                .forEach(g -> out.add(reps.group(g, !brief, null, false)));
        return out;
    }

    JsonNode roleById(Context ctx, Permissions p) {
        return reps.role(roleByIdParam(ctx, p), false);
    }

    JsonNode roleByIdComposites(Context ctx, Permissions p) {
        Role role = roleByIdParam(ctx, p);
        return reps.roles(Paging.page(sortedComposites(role), intParam(ctx, "first"), intParam(ctx, "max")), true);
    }

    JsonNode roleByIdRealmComposites(Context ctx, Permissions p) {
        Role role = roleByIdParam(ctx, p);
        return reps.roles(sortedComposites(role).stream().filter(r -> !r.clientRole()).toList(), true);
    }

    JsonNode roleByIdClientComposites(Context ctx, Permissions p) {
        Role role = roleByIdParam(ctx, p);
        Client c = clientParam(ctx, "client", p);
        return reps.roles(sortedComposites(role).stream().filter(r -> r.client == c).toList(), true);
    }

    private Role roleByIdParam(Context ctx, Permissions p) {
        Role role = realm.rolesById.get(ctx.pathParam("id"));
        if (role == null) {
            throw ApiError.notFound("Could not find role with id");
        }
        require(p.viewRolesOf(role.client));
        return role;
    }

    private static List<Role> sortedComposites(Role role) {
        List<Role> list = new ArrayList<>(role.composites);
        list.sort(Comparator.comparing((Role r) -> r.clientRole()).thenComparing(r -> r.client == null ? "" : r.client.clientId)
                .thenComparing(r -> r.name));
        return list;
    }

    private Role roleParam(Context ctx, Permissions p) {
        return namedRole(containerParam(ctx, p), ctx.pathParam("role"));
    }

    private Role namedRole(Client c, String name) {
        Role role = container(c).get(name);
        if (role == null) {
            throw ApiError.notFound("Could not find role");
        }
        return role;
    }

    /** The client of a /clients/{id}/roles path (null for realm roles), after the view check. */
    private Client containerParam(Context ctx, Permissions p) {
        Client c = ctx.pathParamMap().containsKey("id") ? clientParam(ctx, "id", p) : null;
        require(p.viewRolesOf(c));
        return c;
    }

    private Map<String, Role> container(Client c) {
        return c == null ? realm.realmRoles : c.roles;
    }

    // ---- clients ---------------------------------------------------------------------------------

    JsonNode clients(Context ctx, Permissions p) {
        require(p.listClients());
        String clientId = ctx.queryParam("clientId");
        boolean search = boolParam(ctx, "search", false);
        List<Client> all = realm.clientsById.values().stream().sorted(Comparator.comparing(c -> c.clientId)).toList();
        List<Client> found;
        if (clientId == null) {
            found = Paging.page(all, intParam(ctx, "first"), intParam(ctx, "max"));
        } else if (search) {
            found = Paging.page(all.stream().filter(c -> contains(c.clientId, clientId)).toList(),
                    intParam(ctx, "first"), intParam(ctx, "max"));
        } else {
            found = all.stream().filter(c -> c.clientId.equals(clientId)).toList();
        }
        ArrayNode out = Representations.MAPPER.createArrayNode();
        found.forEach(c -> out.add(reps.client(c, p.viewClients())));
        return out;
    }

    JsonNode client(Context ctx, Permissions p) {
        Client c = clientParam(ctx, "id", p);
        require(p.viewClients());
        return reps.client(c, true);
    }

    JsonNode serviceAccountUser(Context ctx, Permissions p) {
        Client c = clientParam(ctx, "id", p);
        require(p.viewClients());
        if (c.serviceAccount == null) {
            throw ApiError.badRequest("Service account not enabled for the client '" + c.clientId + "'");
        }
        return reps.user(c.serviceAccount, false);
    }

    JsonNode clientSessions(Context ctx, Permissions p) {
        Client c = clientParam(ctx, "id", p);
        require(p.viewClients());
        Integer max = intParam(ctx, "max");
        List<Session> sessions = realm.sessions().stream().filter(s -> s.clientIds().contains(c.id)).toList();
        ArrayNode out = Representations.MAPPER.createArrayNode();
        Paging.page(sessions, intParam(ctx, "first"), max == null ? DEFAULT_MAX : max).forEach(s -> out.add(reps.session(s)));
        return out;
    }

    /** ClientsResource.getClient: an unknown id is 404 to callers who may list clients, 403 to others. */
    private Client clientParam(Context ctx, String param, Permissions p) {
        Client c = realm.clientsById.get(ctx.pathParam(param));
        if (c == null) {
            require(p.listClients());
            throw ApiError.notFound("Could not find client");
        }
        return c;
    }

    // ---- groups ----------------------------------------------------------------------------------

    JsonNode groups(Context ctx, Permissions p) {
        require(p.listGroups());
        String search = ctx.queryParam("search");
        boolean exact = boolParam(ctx, "exact", false);
        boolean brief = boolParam(ctx, "briefRepresentation", true);
        boolean populateHierarchy = boolParam(ctx, "populateHierarchy", true);
        boolean counts = boolParam(ctx, "subGroupsCount", true);
        Integer first = intParam(ctx, "first");
        Integer max = intParam(ctx, "max");
        ArrayNode out = Representations.MAPPER.createArrayNode();
        if (search == null) {
            List<Group> top = realm.topGroups.stream().sorted(Realm.BY_NAME).toList();
            Paging.page(top, first, max).forEach(g -> out.add(reps.group(g, !brief, p, counts)));
            return out;
        }
        String s = search.trim();
        List<Group> matched = realm.groupsById.values().stream()
                .filter(g -> exact ? g.name.equals(s) : contains(g.name, s))
                .sorted(Realm.BY_NAME).toList();
        matched = Paging.page(matched, first, max);
        if (!populateHierarchy) {
            matched.forEach(g -> out.add(reps.group(g, !brief, p, counts)));
            return out;
        }
        // GroupUtils.populateGroupHierarchyFromSubGroups: each match hangs under its ancestors, which
        // carry only the branches leading to matches; the roots come back sorted by name.
        Map<String, ObjectNode> nodes = new LinkedHashMap<>();
        Map<String, Group> roots = new LinkedHashMap<>();
        for (Group g : matched) {
            Group current = g;
            ObjectNode node = nodes.computeIfAbsent(current.id, id -> reps.group(g, !brief, p, counts));
            while (current.parent != null) {
                Group parent = current.parent;
                boolean existed = nodes.containsKey(parent.id);
                ObjectNode parentNode = nodes.computeIfAbsent(parent.id, id -> reps.group(parent, !brief, p, counts));
                ArrayNode subs = (ArrayNode) parentNode.get("subGroups");
                boolean present = false;
                for (JsonNode child : subs) {
                    present |= child.get("id").asText().equals(current.id);
                }
                if (!present) {
                    subs.add(node);
                }
                current = parent;
                node = parentNode;
                if (existed) {
                    break;
                }
            }
            Group root = current;
            while (root.parent != null) {
                root = root.parent;
            }
            roots.put(root.id, root);
        }
        roots.values().stream().sorted(Realm.BY_NAME).forEach(r -> out.add(nodes.get(r.id)));
        return out;
    }

    JsonNode group(Context ctx, Permissions p) {
        Group g = groupParam(ctx, p);
        return reps.group(g, true, p, true);
    }

    JsonNode groupChildren(Context ctx, Permissions p) {
        Group g = groupParam(ctx, p);
        String search = ctx.queryParam("search");
        boolean exact = boolParam(ctx, "exact", false);
        Integer first = intParam(ctx, "first");
        Integer max = intParam(ctx, "max");
        boolean brief = boolParam(ctx, "briefRepresentation", false);
        List<Group> children = g.children.stream()
                .filter(c -> search == null || (exact ? c.name.equals(search) : contains(c.name, search)))
                .sorted(Realm.BY_NAME).toList();
        ArrayNode out = Representations.MAPPER.createArrayNode();
        Paging.page(children, first == null ? 0 : first, max == null ? CHILDREN_DEFAULT_MAX : max)
                .forEach(c -> out.add(reps.group(c, !brief, p, true)));
        return out;
    }

    JsonNode groupMembers(Context ctx, Permissions p) {
        Group g = groupParam(ctx, p);
        Integer first = intParam(ctx, "first");
        Integer max = intParam(ctx, "max");
        boolean brief = boolParam(ctx, "briefRepresentation", false);
        ArrayNode out = Representations.MAPPER.createArrayNode();
        List<User> members = g.members.stream().sorted(Realm.BY_USERNAME).toList();
        Paging.page(members, first == null ? 0 : first, max == null ? DEFAULT_MAX : max)
                .forEach(u -> out.add(reps.user(u, brief)));
        return out;
    }

    JsonNode groupRoleMappings(Context ctx, Permissions p) {
        return reps.mappings(groupParam(ctx, p).roles);
    }

    JsonNode groupByPath(Context ctx, Permissions p) {
        Group g = realm.groupByPath(ctx.pathParam("path"));
        if (g == null) {
            throw ApiError.notFound("Group path does not exist");
        }
        require(p.viewUsers());
        return reps.group(g, true, null, true);
    }

    private Group groupParam(Context ctx, Permissions p) {
        Group g = realm.groupsById.get(ctx.pathParam("id"));
        if (g == null) {
            throw ApiError.notFound("Could not find group by id");
        }
        require(p.viewUsers());
        return g;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void require(boolean allowed) {
        if (!allowed) {
            throw ApiError.forbidden();
        }
    }

    private static boolean contains(String value, String part) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    /** JAX-RS answers 404 when a query parameter does not convert to its declared Integer type. */
    private static Integer intParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.notFound("HTTP 404 Not Found");
        }
    }

    private static boolean boolParam(Context ctx, String name, boolean fallback) {
        String v = ctx.queryParam(name);
        return v == null ? fallback : Boolean.parseBoolean(v.trim());
    }

    private static long startOfDay(String value, String param) {
        if (value.matches("\\d+")) {
            return Long.parseLong(value);
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw ApiError.badRequest("Invalid value for '" + param + "', expected format is yyyy-MM-dd or an Epoch timestamp");
        }
    }

    private static long endOfDay(String value, String param) {
        if (value.matches("\\d+")) {
            return Long.parseLong(value);
        }
        try {
            return LocalDate.parse(value).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
        } catch (RuntimeException e) {
            throw ApiError.badRequest("Invalid value for '" + param + "', expected format is yyyy-MM-dd or an Epoch timestamp");
        }
    }
}
