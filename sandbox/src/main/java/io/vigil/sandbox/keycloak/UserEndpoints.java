package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Group;
import io.vigil.sandbox.keycloak.Model.Role;
import io.vigil.sandbox.keycloak.Model.User;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Users and what hangs off them (UsersResource, UserResource, RoleMapperResource for users). */
final class UserEndpoints extends Endpoints {
    UserEndpoints(Realm realm, Representations reps) {
        super(realm, reps);
    }

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

}
