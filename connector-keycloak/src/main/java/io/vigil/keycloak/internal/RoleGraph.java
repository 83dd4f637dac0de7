package io.vigil.keycloak.internal;

import io.vigil.core.model.Entitlement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RolesRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * Every realm and client role of a realm with its composite children, read once per collection. Where the service
 * account may make the realm's partial export ({@code manage-realm}), that one request gives every role with its
 * composites and, besides, the whole group tree with each group's role mappings ({@link #groupTree}), which spares the
 * access resolution its role-to-groups and group-children requests. Otherwise (Keycloak refuses the export to
 * view-only accounts): one listing per container plus one composites request per composite role,
 * {@code maxConcurrency} at a time, and no group tree. Keycloak has no "which roles contain this one" request, so the
 * upward expansion is computed here. Immutable after {@link #read}.
 */
public final class RoleGraph {
  private final Map<String, String> clientIdByUuid;
  private final Map<String, String> uuidByClientId;
  private final Map<Entitlement, Set<Entitlement>> parents = new HashMap<>();
  private final Set<Entitlement> roles = new HashSet<>();
  /** The realm's top-level groups with all their descendants and role mappings, when read by the partial export. */
  private List<GroupRepresentation> groupTree;
  /** Why the role graph was read role by role (the export refused), or null. */
  private String exportRefused;

  private RoleGraph(Map<String, String> clientIdByUuid) {
    this.clientIdByUuid = clientIdByUuid;
    this.uuidByClientId = new HashMap<>();
    clientIdByUuid.forEach((uuid, clientId) -> uuidByClientId.put(clientId, uuid));
  }

  /** Reads the role graph of the realm behind {@code api}: by its partial export if allowed, else role by role. */
  public static RoleGraph read(AdminApi api, List<ClientRepresentation> clients) {
    Map<String, String> byUuid = new LinkedHashMap<>();
    clients.forEach(c -> byUuid.put(c.getId(), c.getClientId()));
    RoleGraph graph = new RoleGraph(byUuid);
    AdminApi.Export export = api.partialExport();
    if (export.realm() != null) {
      graph.fromExport(export.realm());
      return graph;
    }
    graph.exportRefused = export.refused();
    String base = "GET /admin/realms/" + api.realmName();
    Map<String, String> brief = Map.of("briefRepresentation", "true");
    List<RoleRepresentation> all = new ArrayList<>(api.briefListing(base + "/roles", List.of("roles"), brief, ROLE_FIELDS)
        .stream().map(RoleGraph::role).toList());
    api.parallel(clients, c -> api.briefListing(base + "/clients/" + c.getId() + "/roles",
        List.of("clients", c.getId(), "roles"), brief, ROLE_FIELDS)).forEach(l -> l.forEach(r -> all.add(role(r))));
    List<RoleRepresentation> composites = new ArrayList<>();
    for (RoleRepresentation role : all) {
      graph.roles.add(graph.entitlementOf(role));
      if (Boolean.TRUE.equals(role.isComposite())) composites.add(role);
    }
    List<List<Map<String, String>>> children = api.parallel(composites, role -> api.listing(
        base + "/roles-by-id/" + role.getId() + "/composites", List.of("roles-by-id", role.getId(), "composites"), Map.of(),
        ROLE_FIELDS));
    for (int i = 0; i < composites.size(); i++) {
      Entitlement self = graph.entitlementOf(composites.get(i));
      for (Map<String, String> child : children.get(i)) {
        graph.parents.computeIfAbsent(graph.entitlementOf(role(child)), k -> new HashSet<>()).add(self);
      }
    }
    return graph;
  }

  /**
   * The graph from an export: realm roles under {@code roles.realm}, client roles under {@code roles.client} by
   * clientId, each composite's children by name ({@code composites.realm}, {@code composites.client} by clientId); and
   * the group tree, each group given its number of children as the listings give it.
   */
  private void fromExport(RealmRepresentation realm) {
    RolesRepresentation all = realm.getRoles();
    if (all != null && all.getRealm() != null) {
      all.getRealm().forEach(r -> addExported(Entitlement.realmRole(r.getName()), r));
    }
    if (all != null && all.getClient() != null) {
      all.getClient().forEach((clientId, list) -> list.forEach(r -> addExported(Entitlement.clientRole(clientId, r.getName()), r)));
    }
    groupTree = realm.getGroups() == null ? List.of() : realm.getGroups();
    Deque<GroupRepresentation> todo = new ArrayDeque<>(groupTree);
    while (!todo.isEmpty()) {
      GroupRepresentation g = todo.pop();
      if (g.getSubGroups() == null) g.setSubGroups(new ArrayList<>());
      g.setSubGroupCount((long) g.getSubGroups().size());
      for (GroupRepresentation child : g.getSubGroups()) {
        if (child.getPath() == null) child.setPath(g.getPath() + "/" + child.getName());
        todo.push(child);
      }
    }
  }

  private void addExported(Entitlement self, RoleRepresentation role) {
    roles.add(self);
    RoleRepresentation.Composites composites = role.getComposites();
    if (composites == null) return;
    if (composites.getRealm() != null) {
      composites.getRealm().forEach(child -> parents.computeIfAbsent(Entitlement.realmRole(child), k -> new HashSet<>()).add(self));
    }
    if (composites.getClient() != null) {
      composites.getClient().forEach((clientId, names) -> names.forEach(child ->
          parents.computeIfAbsent(Entitlement.clientRole(clientId, child), k -> new HashSet<>()).add(self)));
    }
  }

  /**
   * The realm's top-level groups, each with all its descendants ({@code subGroups}, {@code path},
   * {@code subGroupCount}) and its role mappings ({@code realmRoles}, {@code clientRoles} by clientId), when the graph
   * was read by the partial export; empty when read role by role.
   */
  public java.util.Optional<List<GroupRepresentation>> groupTree() {
    return java.util.Optional.ofNullable(groupTree);
  }

  /** Why the partial export was refused and the graph read role by role (one request per composite), or null. */
  public String exportRefused() {
    return exportRefused;
  }

  private static final Set<String> ROLE_FIELDS = Set.of("id", "name", "composite", "clientRole", "containerId");

  /** A role representation of the fields read. */
  private static RoleRepresentation role(Map<String, String> fields) {
    RoleRepresentation r = new RoleRepresentation();
    r.setId(fields.get("id"));
    r.setName(fields.get("name"));
    r.setComposite(Boolean.parseBoolean(fields.get("composite")));
    r.setClientRole(Boolean.parseBoolean(fields.get("clientRole")));
    r.setContainerId(fields.get("containerId"));
    return r;
  }

  /** The entitlement naming a role representation (realm role or client role by clientId). */
  public Entitlement entitlementOf(RoleRepresentation role) {
    if (Boolean.TRUE.equals(role.getClientRole())) {
      String clientId = clientIdByUuid.getOrDefault(role.getContainerId(), role.getContainerId());
      return Entitlement.clientRole(clientId, role.getName());
    }
    return Entitlement.realmRole(role.getName());
  }

  /** Every realm and client role of the realm. */
  public Set<Entitlement> roles() {
    return java.util.Collections.unmodifiableSet(roles);
  }

  public boolean exists(Entitlement role) {
    return roles.contains(role);
  }

  /** The client's internal id for a clientId; null if no such client. */
  public String clientUuid(String clientId) {
    return uuidByClientId.get(clientId);
  }

  /**
   * Every chain of roles by which {@code target} is held, keyed by the role at the top of the chain (the
   * one a user or group must be mapped to). Each chain runs from that role down to {@code target}
   * inclusive; {@code target} itself maps to the one-element chain. Cycles among composites are cut.
   */
  public Map<Entitlement, List<List<Entitlement>>> chainsTo(Entitlement target) {
    Map<Entitlement, List<List<Entitlement>>> out = new LinkedHashMap<>();
    Deque<Entitlement> path = new ArrayDeque<>();
    path.push(target);
    walkUp(target, path, new LinkedHashSet<>(List.of(target)), out);
    return out;
  }

  private void walkUp(Entitlement role, Deque<Entitlement> path, Set<Entitlement> onPath,
      Map<Entitlement, List<List<Entitlement>>> out) {
    out.computeIfAbsent(role, k -> new ArrayList<>()).add(List.copyOf(path));
    for (Entitlement parent : parents.getOrDefault(role, Set.of())) {
      if (onPath.add(parent)) {
        path.push(parent);
        walkUp(parent, path, onPath, out);
        path.pop();
        onPath.remove(parent);
      }
    }
  }
}
