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
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * Every realm and client role of a realm with its composite children, read once per collection: one
 * listing per container plus one composites request per composite role, {@code maxConcurrency} at a time.
 * Keycloak has no "which roles
 * contain this one" request, so the upward expansion is computed here. Immutable after {@link #read}.
 */
public final class RoleGraph {
  private final Map<String, String> clientIdByUuid;
  private final Map<String, String> uuidByClientId;
  private final Map<Entitlement, Set<Entitlement>> parents = new HashMap<>();
  private final Set<Entitlement> roles = new HashSet<>();

  private RoleGraph(Map<String, String> clientIdByUuid) {
    this.clientIdByUuid = clientIdByUuid;
    this.uuidByClientId = new HashMap<>();
    clientIdByUuid.forEach((uuid, clientId) -> uuidByClientId.put(clientId, uuid));
  }

  /** Reads the role graph of the realm behind {@code api}. */
  public static RoleGraph read(AdminApi api, List<ClientRepresentation> clients) {
    Map<String, String> byUuid = new LinkedHashMap<>();
    clients.forEach(c -> byUuid.put(c.getId(), c.getClientId()));
    RoleGraph graph = new RoleGraph(byUuid);
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
