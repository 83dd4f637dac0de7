package io.vigil.keycloak.internal;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.EntitlementKind;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Resolves who effectively holds a set of entitlements by inverting the question: from each entitlement
 * it finds every role containing it through composites (any depth, realm and client roles mixed), pages
 * the direct user and group holders of those roles, walks each group's descendants and pages their
 * members. The realm's default role ({@code default-roles-<realm>}) is resolved like any other role:
 * Keycloak grants it to users created through the admin API or self-registration, but a user imported
 * from a realm file without it, or one an administrator removed it from, does not hold it, so only its
 * real user and group holders get what it contains. The number of requests grows with the number of
 * roles and groups involved, never with the number of users. Not thread-safe: one instance per
 * collection.
 */
public final class AccessResolver {
  private final AdminApi api;
  private final RoleGraph graph;
  private final String base;
  /** group id → (descendant including itself → its members' ids), so a group is walked once. */
  private final Map<String, Map<GroupRepresentation, List<String>>> walked = new HashMap<>();
  private final Map<String, Map<Entitlement, Set<GrantPath>>> grants = new LinkedHashMap<>();

  public AccessResolver(AdminApi api, RoleGraph graph) {
    this.api = api;
    this.graph = graph;
    this.base = "GET /admin/realms/" + api.realmName();
  }

  /**
   * Resolves the holders of {@code targets}.
   *
   * @param defaultRole the realm's default role, or null; paths through it are marked
   *     {@link HopKind#DEFAULT_ROLE} (its holders are read, not assumed)
   * @return the grants, one per identity and entitlement, with every path
   */
  public List<Grant> resolve(Collection<Entitlement> targets, Entitlement defaultRole) {
    for (Entitlement target : new TreeSet<>(targets)) {
      if (target.kind() == EntitlementKind.GROUP) {
        resolveGroup(target);
      } else if (graph.exists(target)) {
        resolveRole(target, defaultRole);
      }
    }
    List<Grant> out = new ArrayList<>();
    grants.forEach((user, byEnt) -> byEnt.forEach((ent, paths) -> out.add(new Grant(user, ent, List.copyOf(paths)))));
    return out;
  }

  private void resolveRole(Entitlement target, Entitlement defaultRole) {
    Map<Entitlement, List<List<Entitlement>>> chains = graph.chainsTo(target);
    for (Map.Entry<Entitlement, List<List<Entitlement>>> e : chains.entrySet()) {
      Entitlement holder = e.getKey();
      List<UserRepresentation> users = roleUsers(holder);
      List<GroupRepresentation> groups = roleGroups(holder);
      for (List<Entitlement> chain : e.getValue()) {
        List<Hop> hops = roleHops(chain, defaultRole);
        users.forEach(u -> add(u.getId(), target, hops));
        for (GroupRepresentation g : groups) {
          walk(g).forEach((descendant, members) -> {
            List<Hop> prefix = new ArrayList<>();
            prefix.add(new Hop(HopKind.GROUP, Entitlement.group(descendant.getPath())));
            if (!descendant.getId().equals(g.getId())) {
              prefix.add(new Hop(HopKind.PARENT_GROUP, Entitlement.group(g.getPath())));
            }
            prefix.addAll(hops);
            members.forEach(m -> add(m, target, prefix));
          });
        }
      }
    }
  }

  private void resolveGroup(Entitlement target) {
    GroupRepresentation group;
    try {
      group = api.call(base + "/group-by-path" + target.name(), () -> api.realm().getGroupByPath(target.name()));
    } catch (KeycloakCallException e) {
      if (e.status() == 404) return;
      throw e;
    }
    walk(group).forEach((descendant, members) -> {
      List<Hop> hops = descendant.getId().equals(group.getId())
          ? List.of(new Hop(HopKind.DIRECT, target))
          : List.of(new Hop(HopKind.GROUP, Entitlement.group(descendant.getPath())), new Hop(HopKind.PARENT_GROUP, target));
      members.forEach(m -> add(m, target, hops));
    });
  }

  /**
   * {@code [COMPOSITE top, ..., DIRECT target]}, or {@code [DIRECT target]} for a one-element chain; the
   * default role, where it passes access on, is a {@link HopKind#DEFAULT_ROLE} step.
   */
  private static List<Hop> roleHops(List<Entitlement> chain, Entitlement defaultRole) {
    List<Hop> hops = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      Entitlement role = chain.get(i);
      HopKind kind = i == chain.size() - 1 ? HopKind.DIRECT : role.equals(defaultRole) ? HopKind.DEFAULT_ROLE : HopKind.COMPOSITE;
      hops.add(new Hop(kind, role));
    }
    return hops;
  }

  private void add(String identityId, Entitlement target, List<Hop> hops) {
    grants.computeIfAbsent(identityId, k -> new LinkedHashMap<>())
        .computeIfAbsent(target, k -> new TreeSet<>())
        .add(new GrantPath(hops));
  }

  private List<UserRepresentation> roleUsers(Entitlement role) {
    if (role.kind() == EntitlementKind.REALM_ROLE) {
      return api.pages(base + "/roles/" + role.name() + "/users",
          (first, max) -> api.realm().roles().get(role.name()).getUserMembers(true, first, max));
    }
    String uuid = graph.clientUuid(role.clientId());
    return api.pages(base + "/clients/" + uuid + "/roles/" + role.name() + "/users",
        (first, max) -> api.realm().clients().get(uuid).roles().get(role.name()).getUserMembers(true, first, max));
  }

  private List<GroupRepresentation> roleGroups(Entitlement role) {
    if (role.kind() == EntitlementKind.REALM_ROLE) {
      return api.pages(base + "/roles/" + role.name() + "/groups",
          (first, max) -> api.realm().roles().get(role.name()).getRoleGroupMembers(first, max));
    }
    String uuid = graph.clientUuid(role.clientId());
    return api.pages(base + "/clients/" + uuid + "/roles/" + role.name() + "/groups",
        (first, max) -> api.realm().clients().get(uuid).roles().get(role.name()).getRoleGroupMembers(first, max));
  }

  /** The group and all its descendants, each with the ids of its direct members; cached per group. */
  private Map<GroupRepresentation, List<String>> walk(GroupRepresentation group) {
    Map<GroupRepresentation, List<String>> cached = walked.get(group.getId());
    if (cached != null) return cached;
    Map<GroupRepresentation, List<String>> out = new LinkedHashMap<>();
    List<String> members = api.pages(base + "/groups/" + group.getId() + "/members",
        (first, max) -> api.realm().groups().group(group.getId()).members(first, max, true))
        .stream().map(UserRepresentation::getId).toList();
    out.put(group, members);
    List<GroupRepresentation> children = api.pages(base + "/groups/" + group.getId() + "/children",
        (first, max) -> api.realm().groups().group(group.getId()).getSubGroups(first, max, true));
    for (GroupRepresentation child : children) {
      if (child.getPath() == null) child.setPath(group.getPath() + "/" + child.getName());
      out.putAll(walk(child));
    }
    walked.put(group.getId(), out);
    return out;
  }
}
