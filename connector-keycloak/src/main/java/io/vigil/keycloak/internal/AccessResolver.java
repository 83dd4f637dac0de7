package io.vigil.keycloak.internal;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.EntitlementKind;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import io.vigil.core.model.Implication;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.representations.idm.GroupRepresentation;

/**
 * Resolves who effectively holds a set of entitlements by inverting the question: from each entitlement
 * it finds every role containing it through composites (any depth, realm and client roles mixed), pages
 * the direct user and group holders of those roles, walks each group's descendants and pages their
 * members. The realm's default role ({@code default-roles-<realm>}) is resolved like any other role:
 * Keycloak grants it to users created through the admin API or self-registration, but a user imported
 * from a realm file without it, or one an administrator removed it from, does not hold it, so only its
 * real user and group holders get what it contains. The number of requests grows with the number of
 * roles and groups involved, never with the number of users; they are read ahead {@code maxConcurrency} at a
 * time (each role and group once), then resolved in order. Not thread-safe: one instance per collection.
 */
public final class AccessResolver {
  private final AdminApi api;
  private final RoleGraph graph;
  private final String base;
  /** group id → (descendant including itself → its members' ids), so a group is walked once. */
  private final Map<String, Map<GroupRepresentation, List<String>>> walked = new HashMap<>();
  private final Map<String, Map<Entitlement, Set<GrantPath>>> grants = new LinkedHashMap<>();
  /** Read ahead, {@code maxConcurrency} requests at a time: holders of roles, groups by path, members and children. */
  private final Map<Entitlement, List<String>> usersOfRole = new ConcurrentHashMap<>();
  private final Map<Entitlement, List<GroupRepresentation>> groupsOfRole = new ConcurrentHashMap<>();
  private final Map<String, Optional<GroupRepresentation>> groupsByPath = new ConcurrentHashMap<>();
  private final Map<String, List<String>> membersOf = new ConcurrentHashMap<>();
  private final Map<String, List<GroupRepresentation>> childrenOf = new ConcurrentHashMap<>();
  /** group path → the roles mapped directly to it, read once (per-user and per-group re-resolution). */
  private final Map<String, Set<Entitlement>> groupRoles = new HashMap<>();

  /** Whether the graph came with the realm's group tree: groups of roles, children and paths are then known. */
  private final boolean treeKnown;

  public AccessResolver(AdminApi api, RoleGraph graph) {
    this.api = api;
    this.graph = graph;
    this.base = "GET /admin/realms/" + api.realmName();
    this.treeKnown = graph.groupTree().isPresent();
    graph.groupTree().ifPresent(this::index);
  }

  /**
   * Takes from the exported group tree what would otherwise be read group by group and role by role: each group's
   * children, each path's group and direct role mappings, and each role's groups (what {@code /roles/<r>/groups}
   * lists: the groups it is mapped to directly).
   */
  private void index(List<GroupRepresentation> level) {
    Map<Entitlement, List<GroupRepresentation>> byRole = new HashMap<>();
    java.util.Deque<GroupRepresentation> todo = new java.util.ArrayDeque<>(level);
    while (!todo.isEmpty()) {
      GroupRepresentation g = todo.pop();
      childrenOf.put(g.getId(), List.copyOf(g.getSubGroups()));
      groupsByPath.put(g.getPath(), Optional.of(g));
      Set<Entitlement> mapped = new HashSet<>();
      if (g.getRealmRoles() != null) g.getRealmRoles().forEach(r -> mapped.add(Entitlement.realmRole(r)));
      if (g.getClientRoles() != null) {
        g.getClientRoles().forEach((clientId, names) -> names.forEach(r -> mapped.add(Entitlement.clientRole(clientId, r))));
      }
      groupRoles.put(g.getPath(), mapped);
      mapped.forEach(r -> byRole.computeIfAbsent(r, k -> new ArrayList<>()).add(g));
      todo.addAll(g.getSubGroups());
    }
    byRole.forEach((role, groups) -> groupsOfRole.put(role, List.copyOf(groups)));
  }

  /**
   * Resolves the holders of {@code targets}.
   *
   * @param defaultRole the realm's default role, or null; paths through it are marked
   *     {@link HopKind#DEFAULT_ROLE} (its holders are read, not assumed)
   * @return the grants, one per identity and entitlement, with every path
   */
  public List<Grant> resolve(Collection<Entitlement> targets, Entitlement defaultRole) {
    prefetch(new TreeSet<>(targets));
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

  /**
   * What giving each role or group would give among {@code targets}, with every path, computed from what
   * {@link #resolve} read (no request of its own; call it after {@link #resolve} with the same targets): a role implies
   * every target it contains through composites; a group implies the targets mapped to it or to any of its parent
   * groups (and their composites), and a target group itself when it is that group or one of its parents. Only roles
   * and groups that reach a target are expanded, so what nobody could reach implies nothing.
   */
  public List<Implication> implications(Collection<Entitlement> targets, Entitlement defaultRole) {
    Map<String, Implication> out = new LinkedHashMap<>();
    for (Entitlement target : new TreeSet<>(targets)) {
      if (target.kind() == EntitlementKind.GROUP) {
        Optional<GroupRepresentation> found = groupsByPath.getOrDefault(target.name(), Optional.empty());
        if (found.isEmpty()) continue;
        GroupRepresentation group = found.get();
        walk(group).keySet().forEach(d -> imply(out, Entitlement.group(d.getPath()), target,
            d.getId().equals(group.getId()) ? List.of(new Hop(HopKind.DIRECT, target))
                : List.of(new Hop(HopKind.GROUP, Entitlement.group(d.getPath())), new Hop(HopKind.PARENT_GROUP, target))));
        continue;
      }
      if (!graph.exists(target)) continue;
      graph.chainsTo(target).forEach((holder, chains) -> {
        for (List<Entitlement> chain : chains) {
          List<Hop> hops = roleHops(chain, defaultRole);
          imply(out, holder, target, hops);
          for (GroupRepresentation g : roleGroups(holder)) {
            walk(g).keySet().forEach(d -> {
              List<Hop> path = new ArrayList<>();
              path.add(new Hop(HopKind.GROUP, Entitlement.group(d.getPath())));
              if (!d.getId().equals(g.getId())) path.add(new Hop(HopKind.PARENT_GROUP, Entitlement.group(g.getPath())));
              path.addAll(hops);
              imply(out, Entitlement.group(d.getPath()), target, path);
            });
          }
        }
      });
    }
    return List.copyOf(out.values());
  }

  private static void imply(Map<String, Implication> out, Entitlement from, Entitlement to, List<Hop> hops) {
    Implication one = new Implication(from, to, List.of(new GrantPath(hops)));
    out.merge(from.ref() + "\u0000" + to.ref(), one, (a, b) -> {
      List<GrantPath> paths = new ArrayList<>(a.paths());
      paths.addAll(b.paths());
      return new Implication(from, to, paths);
    });
  }

  /**
   * Reads everything {@link #resolve} will need, as many requests at a time as the API allows: the group targets by
   * path, the direct user and group holders of every role above a role target, then the group trees under every
   * group found, a level at a time. Each role and group is read once however many targets reach it.
   */
  private void prefetch(Set<Entitlement> targets) {
    List<Entitlement> holders = new ArrayList<>(new LinkedHashSet<>(targets.stream()
        .filter(t -> t.kind() != EntitlementKind.GROUP && graph.exists(t))
        .flatMap(t -> graph.chainsTo(t).keySet().stream()).toList()));
    List<String> paths = targets.stream().filter(t -> t.kind() == EntitlementKind.GROUP).map(Entitlement::name).toList();
    api.parallel(paths, path -> groupsByPath.computeIfAbsent(path, this::groupByPath));
    api.parallel(holders, role -> {
      usersOfRole.computeIfAbsent(role, this::readRoleUsers);
      groupsOfRole.computeIfAbsent(role, this::readRoleGroups);
      return role;
    });
    List<GroupRepresentation> level = new ArrayList<>();
    List<GroupRepresentation> roots = level;
    paths.forEach(path -> groupsByPath.get(path).ifPresent(roots::add)); // the group targets (all groups may be indexed)
    holders.forEach(role -> roots.addAll(groupsOfRole.getOrDefault(role, List.of()))); // not every indexed role's
    Set<String> seen = new HashSet<>();
    while (!level.isEmpty()) {
      List<GroupRepresentation> todo = level.stream().filter(g -> seen.add(g.getId())).toList();
      List<List<GroupRepresentation>> children = api.parallel(todo, g -> {
        membersOf.computeIfAbsent(g.getId(), id -> readMembers(g));
        return childrenOf.computeIfAbsent(g.getId(), id -> readChildren(g));
      });
      level = new ArrayList<>();
      children.forEach(level::addAll);
    }
  }

  private Optional<GroupRepresentation> groupByPath(String path) {
    if (treeKnown) return Optional.empty(); // every group is indexed: no group has this path
    try {
      return Optional.of(api.call(base + "/group-by-path" + path, () -> api.realm().getGroupByPath(path)));
    } catch (KeycloakCallException e) {
      if (e.status() == 404) return Optional.empty();
      throw e;
    }
  }

  private void resolveRole(Entitlement target, Entitlement defaultRole) {
    Map<Entitlement, List<List<Entitlement>>> chains = graph.chainsTo(target);
    for (Map.Entry<Entitlement, List<List<Entitlement>>> e : chains.entrySet()) {
      Entitlement holder = e.getKey();
      List<String> users = roleUsers(holder);
      List<GroupRepresentation> groups = roleGroups(holder);
      for (List<Entitlement> chain : e.getValue()) {
        List<Hop> hops = roleHops(chain, defaultRole);
        users.forEach(u -> add(u, target, hops));
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
    Optional<GroupRepresentation> found = groupsByPath.computeIfAbsent(target.name(), this::groupByPath);
    if (found.isEmpty()) return;
    GroupRepresentation group = found.get();
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

  private List<String> roleUsers(Entitlement role) {
    return usersOfRole.computeIfAbsent(role, this::readRoleUsers);
  }

  private List<GroupRepresentation> roleGroups(Entitlement role) {
    return groupsOfRole.computeIfAbsent(role, this::readRoleGroups);
  }

  private static final Map<String, String> BRIEF = Map.of("briefRepresentation", "true");
  private static final Set<String> ID = Set.of("id");
  private static final Set<String> GROUP_FIELDS = Set.of("id", "name", "path", "subGroupCount");

  /** The ids of the users the role is mapped to directly. */
  private List<String> readRoleUsers(Entitlement role) {
    return api.briefListing(roleWhat(role) + "/users", rolePath(role, "users"), BRIEF, ID).stream()
        .map(u -> u.get("id")).toList();
  }

  private List<GroupRepresentation> readRoleGroups(Entitlement role) {
    if (treeKnown) return List.of(); // every group is indexed: none is mapped to this role
    return api.briefListing(roleWhat(role) + "/groups", rolePath(role, "groups"), BRIEF, GROUP_FIELDS).stream()
        .map(AccessResolver::group).toList();
  }

  private String roleWhat(Entitlement role) {
    return role.kind() == EntitlementKind.REALM_ROLE ? base + "/roles/" + role.name()
        : base + "/clients/" + graph.clientUuid(role.clientId()) + "/roles/" + role.name();
  }

  /** {@code roles/<name>/<below>} or {@code clients/<uuid>/roles/<name>/<below>}. */
  private List<String> rolePath(Entitlement role, String below) {
    return role.kind() == EntitlementKind.REALM_ROLE ? List.of("roles", role.name(), below)
        : List.of("clients", graph.clientUuid(role.clientId()), "roles", role.name(), below);
  }

  private static GroupRepresentation group(Map<String, String> fields) {
    GroupRepresentation g = new GroupRepresentation();
    g.setId(fields.get("id"));
    g.setName(fields.get("name"));
    g.setPath(fields.get("path"));
    String count = fields.get("subGroupCount");
    if (count != null) g.setSubGroupCount(Long.valueOf(count));
    return g;
  }

  /** The group and all its descendants, each with the ids of its direct members; cached per group. */
  private Map<GroupRepresentation, List<String>> walk(GroupRepresentation group) {
    Map<GroupRepresentation, List<String>> cached = walked.get(group.getId());
    if (cached != null) return cached;
    Map<GroupRepresentation, List<String>> out = new LinkedHashMap<>();
    out.put(group, membersOf.computeIfAbsent(group.getId(), id -> readMembers(group)));
    for (GroupRepresentation child : childrenOf.computeIfAbsent(group.getId(), id -> readChildren(group))) {
      if (child.getPath() == null) child.setPath(group.getPath() + "/" + child.getName());
      out.putAll(walk(child));
    }
    walked.put(group.getId(), out);
    return out;
  }

  private List<String> readMembers(GroupRepresentation group) {
    return api.briefListing(base + "/groups/" + group.getId() + "/members", List.of("groups", group.getId(), "members"),
        BRIEF, ID).stream().map(u -> u.get("id")).toList();
  }

  /**
   * The group's children, each with its path (Keycloak leaves it out of brief children listings) and its number of
   * children. A group whose listing said it has none (children listings carry {@code subGroupCount}) is not asked.
   */
  private List<GroupRepresentation> readChildren(GroupRepresentation group) {
    if (group.getSubGroupCount() != null && group.getSubGroupCount() == 0) return List.of();
    List<GroupRepresentation> children = api.briefListing(base + "/groups/" + group.getId() + "/children",
        List.of("groups", group.getId(), "children"), Map.of("briefRepresentation", "true", "subGroupsCount", "true"),
        GROUP_FIELDS).stream().map(AccessResolver::group).toList();
    for (GroupRepresentation child : children) {
      if (child.getPath() == null) child.setPath(group.getPath() + "/" + child.getName());
    }
    return children;
  }

  /**
   * Resolves the grants of {@code targets} held by these users only, from each user's own role mappings and groups
   * and the role mappings of those groups and their ancestors: what {@link #resolve} gives for them, paths included,
   * in a few requests per user (for an incremental read that re-resolves only the users admin events name). A user
   * who no longer exists holds nothing.
   */
  public List<Grant> resolveUsers(Collection<String> userIds, Collection<Entitlement> targets, Entitlement defaultRole) {
    for (String user : userIds) {
      Set<Entitlement> direct;
      List<GroupRepresentation> groups;
      try {
        direct = mapped(api.call(base + "/users/" + user + "/role-mappings",
            () -> api.realm().users().get(user).roles().getAll()));
        groups = api.pages(base + "/users/" + user + "/groups",
            (first, max) -> api.realm().users().get(user).groups(null, first, max, false));
      } catch (KeycloakCallException e) {
        if (e.status() == 404) continue; // deleted since: holds nothing
        throw e;
      }
      for (Entitlement target : new TreeSet<>(targets)) {
        if (target.kind() == EntitlementKind.GROUP) {
          for (GroupRepresentation d : groups) {
            if (d.getPath().equals(target.name())) {
              add(user, target, List.of(new Hop(HopKind.DIRECT, target)));
            } else if (d.getPath().startsWith(target.name() + "/")) {
              add(user, target, List.of(new Hop(HopKind.GROUP, Entitlement.group(d.getPath())),
                  new Hop(HopKind.PARENT_GROUP, target)));
            }
          }
          continue;
        }
        if (!graph.exists(target)) continue;
        for (Map.Entry<Entitlement, List<List<Entitlement>>> e : graph.chainsTo(target).entrySet()) {
          Entitlement holder = e.getKey();
          for (List<Entitlement> chain : e.getValue()) {
            List<Hop> hops = roleHops(chain, defaultRole);
            if (direct.contains(holder)) add(user, target, hops);
            for (GroupRepresentation d : groups) {
              for (String g : selfAndAncestors(d.getPath())) {
                if (!groupRoles.computeIfAbsent(g, this::groupMappings).contains(holder)) continue;
                List<Hop> prefix = new ArrayList<>();
                prefix.add(new Hop(HopKind.GROUP, Entitlement.group(d.getPath())));
                if (!g.equals(d.getPath())) prefix.add(new Hop(HopKind.PARENT_GROUP, Entitlement.group(g)));
                prefix.addAll(hops);
                add(user, target, prefix);
              }
            }
          }
        }
      }
    }
    List<Grant> out = new ArrayList<>();
    grants.forEach((user, byEnt) -> byEnt.forEach((ent, paths) -> out.add(new Grant(user, ent, List.copyOf(paths)))));
    return out;
  }

  /**
   * The group with this id and all its descendants, each with the ids of its direct members (for an incremental read
   * after the group's own role mappings changed: who may have gained or lost access); empty if the group no longer
   * exists. One request for the group, then two per group in the subtree (members and children).
   */
  public Optional<Map<GroupRepresentation, List<String>>> subtree(String groupId) {
    GroupRepresentation group;
    try {
      group = api.call(base + "/groups/" + groupId, () -> api.realm().groups().group(groupId).toRepresentation());
    } catch (KeycloakCallException e) {
      if (e.status() == 404) return Optional.empty();
      throw e;
    }
    return Optional.of(walk(group));
  }

  /**
   * What giving each of these groups would give among {@code targets}, as {@link #implications} computes it for a
   * group, read from the role mappings of each group and its ancestors (one request per group, each read once): for an
   * incremental read, the implications of the groups under one whose role mappings changed.
   */
  public List<Implication> groupImplications(Collection<GroupRepresentation> groups, Collection<Entitlement> targets,
      Entitlement defaultRole) {
    Map<String, Implication> out = new LinkedHashMap<>();
    for (Entitlement target : new TreeSet<>(targets)) {
      for (GroupRepresentation d : groups) {
        String path = d.getPath();
        if (target.kind() == EntitlementKind.GROUP) {
          if (path.equals(target.name())) {
            imply(out, Entitlement.group(path), target, List.of(new Hop(HopKind.DIRECT, target)));
          } else if (path.startsWith(target.name() + "/")) {
            imply(out, Entitlement.group(path), target, List.of(new Hop(HopKind.GROUP, Entitlement.group(path)),
                new Hop(HopKind.PARENT_GROUP, target)));
          }
          continue;
        }
        if (!graph.exists(target)) continue;
        for (Map.Entry<Entitlement, List<List<Entitlement>>> e : graph.chainsTo(target).entrySet()) {
          for (String g : selfAndAncestors(path)) {
            if (!groupRoles.computeIfAbsent(g, this::groupMappings).contains(e.getKey())) continue;
            for (List<Entitlement> chain : e.getValue()) {
              List<Hop> hops = new ArrayList<>();
              hops.add(new Hop(HopKind.GROUP, Entitlement.group(path)));
              if (!g.equals(path)) hops.add(new Hop(HopKind.PARENT_GROUP, Entitlement.group(g)));
              hops.addAll(roleHops(chain, defaultRole));
              imply(out, Entitlement.group(path), target, hops);
            }
          }
        }
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * Who holds this role directly or through a group it is mapped to (the group's members and its descendants'), by
   * id: for an incremental read after the role's composites changed. Reads the role's user and group holders and walks
   * those groups, each read once by this resolver.
   */
  public Set<String> holdersOf(Entitlement role) {
    Set<String> out = new TreeSet<>();
    out.addAll(roleUsers(role));
    for (GroupRepresentation g : roleGroups(role)) walk(g).values().forEach(out::addAll);
    return out;
  }

  /** The roles mapped directly to each group this resolver read or was given, by path: what a later read may keep. */
  public Map<String, Set<Entitlement>> groupRoles() {
    return Map.copyOf(groupRoles);
  }

  /**
   * Takes the direct role mappings of these groups (by path) as known, so {@link #resolveUsers} asks Keycloak for them
   * no more: for an incremental read whose admin events since the last read show no group's role mappings, no group
   * and no role changed. What this resolver read itself is kept over what it is given.
   */
  public void knownGroupRoles(Map<String, Set<Entitlement>> known) {
    known.forEach(groupRoles::putIfAbsent);
  }

  /** {@code /a/b/c} → {@code /a/b/c, /a/b, /a}. */
  private static List<String> selfAndAncestors(String path) {
    List<String> out = new ArrayList<>();
    for (String p = path; p.lastIndexOf('/') >= 0 && p.length() > 1; p = p.substring(0, p.lastIndexOf('/'))) out.add(p);
    return out;
  }

  /** The roles mapped directly to the group at this path; none if it no longer exists. */
  private Set<Entitlement> groupMappings(String path) {
    if (treeKnown) return Set.of(); // every group is indexed: none has this path
    Optional<GroupRepresentation> g = groupsByPath.computeIfAbsent(path, this::groupByPath);
    if (g.isEmpty()) return Set.of();
    String id = g.get().getId();
    return mapped(api.call(base + "/groups/" + id + "/role-mappings", () -> api.realm().groups().group(id).roles().getAll()));
  }

  private static Set<Entitlement> mapped(org.keycloak.representations.idm.MappingsRepresentation m) {
    Set<Entitlement> out = new HashSet<>();
    if (m == null) return out;
    if (m.getRealmMappings() != null) m.getRealmMappings().forEach(r -> out.add(Entitlement.realmRole(r.getName())));
    if (m.getClientMappings() != null) {
      m.getClientMappings().forEach((clientId, cm) -> {
        if (cm.getMappings() != null) cm.getMappings().forEach(r -> out.add(Entitlement.clientRole(clientId, r.getName())));
      });
    }
    return out;
  }
}
