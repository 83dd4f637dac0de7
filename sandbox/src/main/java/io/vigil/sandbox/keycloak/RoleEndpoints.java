package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.http.Context;
import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Role;
import io.vigil.sandbox.keycloak.Model.Session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Realm and client roles, roles by id, and clients (RoleContainerResource, RoleByIdResource, ClientsResource, ClientResource). */
final class RoleEndpoints extends Endpoints {
    RoleEndpoints(Realm realm, Representations reps) {
        super(realm, reps);
    }

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

}
