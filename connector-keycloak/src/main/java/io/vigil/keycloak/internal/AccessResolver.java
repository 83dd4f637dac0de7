package io.vigil.keycloak.internal;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.RoleResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Effective access by inversion: starting from the entitlements the policy names, find every role that
 * contains them through composites (any depth, realm and client roles mixed), page the direct user and
 * group holders of each, and walk each holding group's descendants — never one call per user. Every
 * grant keeps each path by which it is held. One resolver per collection; not thread-safe.
 */
public final class AccessResolver {
  private final RealmResource realm;
  private final int page;
  private final AtomicLong calls;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, RoleRepresentation> roles = new LinkedHashMap<>();
  private final Map<String, String> clientIdOfUuid = new HashMap<>();
  private final Map<String, List<String>> parents = new HashMap<>();
  private final Map<String, List<Member>> groupMembers = new HashMap<>();
  private String defaultRoleId = "";

  /** A user inside a group's subtree, with the group hops from the user's own group up to that group. */
  record Member(String userId, List<Hop> hops) {}

  public AccessResolver(RealmResource realm, int page, AtomicLong calls) {
    this.realm = realm;
    this.page = page;
    this.calls = calls;
  }

  public List<String> warnings() {
    return warnings;
  }

  /** Clients by uuid, as read while loading roles (service accounts are found through them). */
  public Map<String, String> clients() {
    return clientIdOfUuid;
  }

  public List<Grant> resolve(Set<Entitlement> targets, String defaultRoleId) {
    this.defaultRoleId = defaultRoleId == null ? "" : defaultRoleId;
    loadRoles();
    List<Grant> grants = new ArrayList<>();
    for (Entitlement target : targets) {
      if (target.kind() == io.vigil.core.model.EntitlementKind.GROUP) {
        grantsOfGroup(target, grants);
      } else {
        grantsOfRole(target, grants);
      }
    }
    return grants;
  }

  private void loadRoles() {
    for (RoleRepresentation r : Pages.all((f, m) -> realm.roles().list(f, m, false), page, calls)) roles.put(r.getId(), r);
    List<ClientRepresentation> clients = realm.clients().findAll();
    calls.incrementAndGet();
    for (ClientRepresentation c : clients) {
      clientIdOfUuid.put(c.getId(), c.getClientId());
      for (RoleRepresentation r : Pages.all((f, m) -> realm.clients().get(c.getId()).roles().list(f, m, false), page, calls)) {
        roles.put(r.getId(), r);
      }
    }
    for (RoleRepresentation r : List.copyOf(roles.values())) {
      if (!Boolean.TRUE.equals(r.isComposite())) continue;
      var children = realm.rolesById().getRoleComposites(r.getId());
      calls.incrementAndGet();
      for (RoleRepresentation child : children) parents.computeIfAbsent(child.getId(), k -> new ArrayList<>()).add(r.getId());
    }
  }

  private Entitlement entitlementOf(RoleRepresentation r) {
    if (Boolean.TRUE.equals(r.getClientRole())) {
      return Entitlement.clientRole(clientIdOfUuid.getOrDefault(r.getContainerId(), r.getContainerId()), r.getName());
    }
    return Entitlement.realmRole(r.getName());
  }

  private void grantsOfRole(Entitlement target, List<Grant> grants) {
    RoleRepresentation targetRole = roles.values().stream().filter(r -> entitlementOf(r).equals(target)).findFirst().orElse(null);
    if (targetRole == null) {
      warnings.add("the policy names " + target.ref() + ", which does not exist in the realm; nobody holds it");
      return;
    }
    // every role containing the target, with each chain of roles from it down to the target
    Map<String, List<List<String>>> chains = new LinkedHashMap<>();
    List<String> queue = new ArrayList<>();
    chains.put(targetRole.getId(), new ArrayList<>(List.of(List.of(targetRole.getId()))));
    queue.add(targetRole.getId());
    for (int i = 0; i < queue.size(); i++) {
      String roleId = queue.get(i);
      for (String parent : parents.getOrDefault(roleId, List.of())) {
        for (List<String> chain : List.copyOf(chains.get(roleId))) {
          if (chain.contains(parent)) continue; // composite cycles are legal in Keycloak; a path never repeats a role
          List<String> longer = new ArrayList<>();
          longer.add(parent);
          longer.addAll(chain);
          boolean first = !chains.containsKey(parent);
          chains.computeIfAbsent(parent, k -> new ArrayList<>()).add(longer);
          if (first) queue.add(parent);
        }
      }
    }
    for (var e : chains.entrySet()) {
      RoleRepresentation holderRole = roles.get(e.getKey());
      RoleResource resource = resourceOf(holderRole);
      List<UserRepresentation> users = Pages.all((f, m) -> resource.getUserMembers(true, f, m), page, calls);
      List<GroupRepresentation> groups = Pages.all((f, m) -> resource.getRoleGroupMembers(f, m), page, calls);
      for (List<String> chain : e.getValue()) {
        List<Hop> roleHops = roleHops(chain, target);
        for (UserRepresentation u : users) grants.add(new Grant(u.getId(), target, List.of(new GrantPath(roleHops))));
        for (GroupRepresentation g : groups) {
          for (Member member : membersWithin(g, pathOf(g))) {
            List<Hop> hops = new ArrayList<>(member.hops());
            hops.addAll(roleHops);
            grants.add(new Grant(member.userId(), target, List.of(new GrantPath(hops))));
          }
        }
      }
    }
  }

  private List<Hop> roleHops(List<String> chain, Entitlement target) {
    List<Hop> hops = new ArrayList<>();
    for (int i = 0; i < chain.size() - 1; i++) {
      String id = chain.get(i);
      hops.add(new Hop(id.equals(defaultRoleId) ? HopKind.DEFAULT_ROLE : HopKind.COMPOSITE, entitlementOf(roles.get(id))));
    }
    hops.add(new Hop(HopKind.DIRECT, target));
    return hops;
  }

  private RoleResource resourceOf(RoleRepresentation r) {
    return Boolean.TRUE.equals(r.getClientRole())
        ? realm.clients().get(r.getContainerId()).roles().get(r.getName())
        : realm.roles().get(r.getName());
  }

  private void grantsOfGroup(Entitlement target, List<Grant> grants) {
    GroupRepresentation group;
    try {
      group = realm.getGroupByPath(target.name());
      calls.incrementAndGet();
    } catch (NotFoundException e) {
      calls.incrementAndGet();
      warnings.add("the policy names " + target.ref() + ", which does not exist in the realm; nobody is in it");
      return;
    }
    for (Member m : membersWithin(group, target.name())) grants.add(new Grant(m.userId(), target, List.of(new GrantPath(m.hops()))));
  }

  private static String pathOf(GroupRepresentation g) {
    return g.getPath() != null ? g.getPath() : "/" + g.getName();
  }

  /** Members of a group and of all its descendants; memoised, since many roles may point at one group. */
  private List<Member> membersWithin(GroupRepresentation group, String path) {
    List<Member> known = groupMembers.get(group.getId());
    if (known != null) return known;
    List<Member> out = new ArrayList<>();
    walk(group.getId(), path, List.of(), out);
    groupMembers.put(group.getId(), out);
    return out;
  }

  /** @param above PARENT_GROUP hops from this group's parent up to the group being resolved */
  private void walk(String groupId, String path, List<Hop> above, List<Member> out) {
    List<Hop> hops = new ArrayList<>();
    hops.add(new Hop(HopKind.GROUP, Entitlement.group(path)));
    hops.addAll(above);
    for (UserRepresentation u : Pages.all((f, m) -> realm.groups().group(groupId).members(f, m, true), page, calls)) {
      out.add(new Member(u.getId(), List.copyOf(hops)));
    }
    List<Hop> childAbove = new ArrayList<>();
    childAbove.add(new Hop(HopKind.PARENT_GROUP, Entitlement.group(path)));
    childAbove.addAll(above);
    for (GroupRepresentation child : Pages.all((f, m) -> realm.groups().group(groupId).getSubGroups(f, m, true), page, calls)) {
      walk(child.getId(), path + "/" + child.getName(), childAbove, out);
    }
  }
}
