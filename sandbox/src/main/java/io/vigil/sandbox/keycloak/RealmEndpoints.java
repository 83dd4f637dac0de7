package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.http.Context;
import io.vigil.sandbox.keycloak.Model.Event;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The realm, its events configuration, events and identity providers (RealmAdminResource, IdentityProvidersResource). */
final class RealmEndpoints extends Endpoints {
    RealmEndpoints(Realm realm, Representations reps) {
        super(realm, reps);
    }

    /**
     * RealmAdminResource.getClientSessionStats: one entry per client with sessions, {@code active} and {@code offline}
     * counts as strings (the realm's sessions here are all online); view-realm.
     */
    JsonNode clientSessionStats(Context ctx, Permissions p) {
        require(p.viewRealm());
        com.fasterxml.jackson.databind.node.ArrayNode out = Representations.MAPPER.createArrayNode();
        for (Model.Client c : realm.clientsById.values()) {
            long active = realm.sessions().stream().filter(s -> s.clientIds().contains(c.id)).count();
            if (active == 0) {
                continue;
            }
            out.addObject().put("id", c.id).put("clientId", c.clientId).put("active", Long.toString(active))
                    .put("offline", "0");
        }
        return out;
    }

    JsonNode realm(Context ctx, Permissions p) {
        if (p.viewRealm()) {
            return reps.realmFull();
        }
        require(p.any());
        return reps.realmBrief(p.viewIdentityProviders());
    }

    /**
     * RealmAdminResource.partialExport ({@code POST /partial-export}) as Keycloak 26 makes it: manage-realm is required
     * (view-realm is not enough), and listing groups when {@code exportGroupsAndRoles}, viewing clients when
     * {@code exportClients}. The realm's representation with, for groups and roles, every realm role with its composites
     * (ExportUtils.exportRole: {@code composites.realm} names, {@code composites.client} names by clientId) and the
     * whole group tree with each group's role mappings (ModelToRepresentation.toGroupHierarchy, full); client roles only
     * come with the clients (ExportUtils exports them per client), each client's secret masked.
     */
    JsonNode partialExport(Context ctx, Permissions p) {
        require(p.manageRealm());
        boolean groupsAndRoles = boolParam(ctx, "exportGroupsAndRoles", false);
        boolean clients = boolParam(ctx, "exportClients", false);
        if (groupsAndRoles) {
            require(p.listGroups());
        }
        if (clients) {
            require(p.viewClients());
        }
        return reps.partialExport(groupsAndRoles, clients);
    }

    /** UserProfileResource.getConfiguration: any admin role may read it (the admin console's user forms do). */
    JsonNode userProfile(Context ctx, Permissions p) {
        require(p.any());
        return realm.userProfileConfig.deepCopy();
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
        return page(ctx, matching, e -> reps.event(e));
    }

    /**
     * RealmAdminResource.getEvents for admin events: filters operationTypes, resourceTypes (each repeatable),
     * authRealm, authClient, authUser, resourcePath (a trailing {@code *} matches a prefix), dateFrom and dateTo
     * (yyyy-MM-dd or epoch millis, inclusive), first/max, direction (desc by default).
     */
    JsonNode adminEvents(Context ctx, Permissions p) {
        require(p.viewEvents());
        List<String> operations = ctx.queryParams("operationTypes");
        List<String> resources = ctx.queryParams("resourceTypes");
        String authRealm = ctx.queryParam("authRealm");
        String authClient = ctx.queryParam("authClient");
        String authUser = ctx.queryParam("authUser");
        String path = ctx.queryParam("resourcePath");
        Long from = ctx.queryParam("dateFrom") == null ? null : startOfDay(ctx.queryParam("dateFrom"), "dateFrom");
        Long to = ctx.queryParam("dateTo") == null ? null : endOfDay(ctx.queryParam("dateTo"), "dateTo");
        String direction = ctx.queryParam("direction");
        Comparator<Model.AdminEvent> order = Comparator.comparingLong(Model.AdminEvent::time).reversed();
        if (direction != null) {
            if (direction.equals("asc")) {
                order = Comparator.comparingLong(Model.AdminEvent::time);
            } else if (!direction.equals("desc")) {
                throw ApiError.badRequest("Invalid value for sortDirection, expected value is asc or desc");
            }
        }
        List<Model.AdminEvent> matching = realm.adminEvents().stream()
                .filter(e -> operations.isEmpty() || operations.contains(e.operationType()))
                .filter(e -> resources.isEmpty() || resources.contains(e.resourceType()))
                .filter(e -> authRealm == null || authRealm.equals(e.authRealmId()))
                .filter(e -> authClient == null || authClient.equals(e.authClientId()))
                .filter(e -> authUser == null || authUser.equals(e.authUserId()))
                .filter(e -> path == null || (path.endsWith("*") ? e.resourcePath().startsWith(path.substring(0, path.length() - 1))
                        : path.equals(e.resourcePath())))
                .filter(e -> from == null || e.time() >= from)
                .filter(e -> to == null || e.time() <= to)
                .sorted(order)
                .toList();
        return page(ctx, matching, e -> reps.adminEvent(e));
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


    /** One page of events as Keycloak lists them: {@code first} and {@code max} (default {@value #DEFAULT_MAX}). */
    private <T> ArrayNode page(Context ctx, List<T> matching,
            java.util.function.Function<T, JsonNode> render) {
        Integer max = intParam(ctx, "max");
        ArrayNode out = Representations.MAPPER.createArrayNode();
        Paging.page(matching, intParam(ctx, "first"), max == null ? DEFAULT_MAX : max).forEach(e -> out.add(render.apply(e)));
        return out;
    }
}
