package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Group;
import io.vigil.sandbox.keycloak.Model.Role;
import io.vigil.sandbox.keycloak.Model.User;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Groups: listing and search, children, members, role mappings, lookup by path (GroupsResource, GroupResource). */
final class GroupEndpoints extends Endpoints {
    GroupEndpoints(Realm realm, Representations reps) {
        super(realm, reps);
    }

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

    JsonNode groupRealmRoleMappings(Context ctx, Permissions p) {
        return reps.roles(groupParam(ctx, p).roles.stream().filter(r -> !r.clientRole()).toList(), true);
    }

    JsonNode groupClientRoleMappings(Context ctx, Permissions p) {
        Group g = groupParam(ctx, p);
        Client c = clientParam(ctx, "client", p);
        return reps.roles(g.roles.stream().filter(r -> r.client == c).toList(), true);
    }

    /** A group's effective roles include its ancestors' (GroupAdapter.hasRole), through composites. */
    JsonNode groupRealmComposite(Context ctx, Permissions p) {
        Set<Role> effective = effective(groupParam(ctx, p));
        return reps.roles(realm.realmRoles.values().stream().filter(effective::contains).sorted(Realm.ROLE_BY_NAME).toList(),
                boolParam(ctx, "briefRepresentation", true));
    }

    JsonNode groupClientComposite(Context ctx, Permissions p) {
        Group g = groupParam(ctx, p);
        Client c = clientParam(ctx, "client", p);
        Set<Role> effective = effective(g);
        return reps.roles(c.roles.values().stream().filter(effective::contains).sorted(Realm.ROLE_BY_NAME).toList(),
                boolParam(ctx, "briefRepresentation", true));
    }

    private static Set<Role> effective(Group group) {
        List<Role> start = new java.util.ArrayList<>();
        for (Group g = group; g != null; g = g.parent) {
            start.addAll(g.roles);
        }
        return Realm.expand(start);
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

}
