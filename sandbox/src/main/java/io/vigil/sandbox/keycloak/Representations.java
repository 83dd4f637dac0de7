package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Credential;
import io.vigil.sandbox.keycloak.Model.Event;
import io.vigil.sandbox.keycloak.Model.FederatedIdentity;
import io.vigil.sandbox.keycloak.Model.Group;
import io.vigil.sandbox.keycloak.Model.Role;
import io.vigil.sandbox.keycloak.Model.Session;
import io.vigil.sandbox.keycloak.Model.User;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON shapes as Keycloak 26's ModelToRepresentation writes them: absent (null) fields are left out,
 * "brief" forms carry only the fields Keycloak's brief converters set. Stateless; thread-safe.
 */
final class Representations {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final Realm realm;

    Representations(Realm realm) {
        this.realm = realm;
    }

    ObjectNode user(User u, boolean brief) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", u.id);
        n.put("username", u.username);
        putIfSet(n, "firstName", u.firstName);
        putIfSet(n, "lastName", u.lastName);
        putIfSet(n, "email", u.email);
        n.put("emailVerified", u.emailVerified);
        if (!brief) {
            Map<String, List<String>> visible = new LinkedHashMap<>();
            u.attributes.forEach((k, v) -> {
                if (realm.userProfile.shows(k)) {
                    visible.put(k, v);
                }
            });
            if (!visible.isEmpty()) {
                n.set("attributes", MAPPER.valueToTree(visible));
            }
        }
        if (u.createdTimestamp != null) {
            n.put("createdTimestamp", u.createdTimestamp);
        }
        n.put("enabled", u.enabled);
        if (!brief) {
            boolean otp = u.hasCredential("otp");
            n.put("totp", otp);
            ArrayNode disableable = n.putArray("disableableCredentialTypes");
            if (otp) {
                disableable.add("otp");
            }
            ArrayNode actions = n.putArray("requiredActions");
            u.requiredActions.forEach(actions::add);
            n.put("notBefore", 0);
        }
        return n;
    }

    /** The per-user access map Keycloak adds to /users listings, from the caller's permissions. */
    static ObjectNode userAccess(Permissions p) {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("manageGroupMembership", p.manageUsers());
        a.put("view", p.viewUsers());
        a.put("mapRoles", p.manageUsers());
        a.put("impersonate", p.has("impersonation"));
        a.put("manage", p.manageUsers());
        return a;
    }

    ObjectNode role(Role r, boolean brief) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", r.id);
        n.put("name", r.name);
        putIfSet(n, "description", r.description);
        n.put("composite", !r.composites.isEmpty());
        n.put("clientRole", r.clientRole());
        n.put("containerId", r.clientRole() ? r.client.id : realm.id);
        if (!brief) {
            n.set("attributes", MAPPER.valueToTree(r.attributes));
        }
        return n;
    }

    ArrayNode roles(Collection<Role> roles, boolean brief) {
        ArrayNode a = MAPPER.createArrayNode();
        roles.forEach(r -> a.add(role(r, brief)));
        return a;
    }

    ObjectNode group(Group g, boolean full, Permissions access, boolean withSubGroupCount) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", g.id);
        n.put("name", g.name);
        putIfSet(n, "description", g.description);
        n.put("path", g.path());
        if (g.parent != null) {
            n.put("parentId", g.parent.id);
        }
        if (withSubGroupCount) {
            n.put("subGroupCount", g.children.size());
        }
        n.putArray("subGroups");
        if (full) {
            n.set("attributes", MAPPER.valueToTree(g.attributes));
            ArrayNode realmRoles = n.putArray("realmRoles");
            Map<String, List<String>> clientRoles = new LinkedHashMap<>();
            for (Role r : g.roles) {
                if (r.clientRole()) {
                    clientRoles.computeIfAbsent(r.client.clientId, k -> new java.util.ArrayList<>()).add(r.name);
                } else {
                    realmRoles.add(r.name);
                }
            }
            n.set("clientRoles", MAPPER.valueToTree(clientRoles));
        }
        if (access != null) {
            ObjectNode a = n.putObject("access");
            a.put("view", access.viewUsers());
            a.put("viewMembers", access.viewUsers());
            a.put("manageMembers", access.manageUsers());
            a.put("manage", access.manageUsers());
            a.put("manageMembership", access.manageUsers());
        }
        return n;
    }

    /** Keycloak's MappingsRepresentation: realmMappings and clientMappings, each left out when empty. */
    ObjectNode mappings(List<Role> direct) {
        ObjectNode n = MAPPER.createObjectNode();
        List<Role> realmRoles = direct.stream().filter(r -> !r.clientRole()).toList();
        if (!realmRoles.isEmpty()) {
            n.set("realmMappings", roles(realmRoles, true));
        }
        Map<Client, List<Role>> byClient = new LinkedHashMap<>();
        direct.stream().filter(Role::clientRole).forEach(r -> byClient.computeIfAbsent(r.client, k -> new java.util.ArrayList<>()).add(r));
        if (!byClient.isEmpty()) {
            ObjectNode cm = n.putObject("clientMappings");
            byClient.forEach((client, rs) -> {
                ObjectNode c = cm.putObject(client.clientId);
                c.put("id", client.id);
                c.put("client", client.clientId);
                c.set("mappings", roles(rs, true));
            });
        }
        return n;
    }

    ObjectNode client(Client c, boolean full) {
        if (!full) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("id", c.id);
            n.put("clientId", c.clientId);
            return n;
        }
        return MAPPER.valueToTree(c.representation);
    }

    ObjectNode credential(Credential c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", c.id());
        n.put("type", c.type());
        putIfSet(n, "userLabel", c.userLabel());
        if (c.createdDate() != null) {
            n.put("createdDate", c.createdDate());
        }
        putIfSet(n, "credentialData", c.credentialData());
        if (c.priority() != null) {
            n.put("priority", c.priority());
        }
        return n;
    }

    ObjectNode federatedIdentity(FederatedIdentity f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("identityProvider", f.identityProvider());
        putIfSet(n, "userId", f.userId());
        putIfSet(n, "userName", f.userName());
        return n;
    }

    ObjectNode event(Event e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", e.id());
        n.put("time", e.time());
        n.put("type", e.type());
        n.put("realmId", realm.id);
        putIfSet(n, "clientId", e.clientId());
        putIfSet(n, "userId", e.userId());
        putIfSet(n, "sessionId", e.sessionId());
        putIfSet(n, "ipAddress", e.ipAddress());
        putIfSet(n, "error", e.error());
        if (e.details() != null && !e.details().isEmpty()) {
            n.set("details", MAPPER.valueToTree(e.details()));
        }
        return n;
    }

    ObjectNode session(Session s) {
        ObjectNode n = MAPPER.createObjectNode();
        User u = realm.usersById.get(s.userId());
        n.put("id", s.id());
        n.put("username", u.username);
        n.put("userId", u.id);
        putIfSet(n, "ipAddress", s.ipAddress());
        n.put("start", s.start());
        n.put("lastAccess", s.lastAccess());
        n.put("rememberMe", s.rememberMe());
        ObjectNode clients = n.putObject("clients");
        for (String clientUuid : s.clientIds()) {
            Client c = realm.clientsById.get(clientUuid);
            clients.put(clientUuid, c == null ? clientUuid : c.clientId);
        }
        n.put("transientUser", false);
        return n;
    }

    ObjectNode realmFull() {
        ObjectNode n = MAPPER.valueToTree(realm.settings);
        n.put("id", realm.id);
        n.put("realm", realm.name);
        n.put("enabled", realm.enabled);
        n.put("eventsEnabled", realm.eventsEnabled);
        if (realm.eventsExpiration != null) {
            n.put("eventsExpiration", realm.eventsExpiration);
        }
        n.set("eventsListeners", MAPPER.valueToTree(realm.eventsListeners));
        n.set("enabledEventTypes", MAPPER.valueToTree(realm.enabledEventTypes));
        n.put("adminEventsEnabled", realm.adminEventsEnabled);
        n.put("adminEventsDetailsEnabled", realm.adminEventsDetailsEnabled);
        n.set("defaultRole", role(realm.defaultRole, true));
        ArrayNode idps = n.putArray("identityProviders");
        realm.identityProviders.forEach(idp -> idps.add(identityProvider(idp)));
        return n;
    }

    /** See {@link RealmEndpoints#partialExport}. */
    ObjectNode partialExport(boolean groupsAndRoles, boolean withClients) {
        ObjectNode n = realmFull();
        if (groupsAndRoles) {
            ObjectNode roles = n.putObject("roles");
            ArrayNode realmRoles = roles.putArray("realm");
            realm.realmRoles.values().forEach(r -> realmRoles.add(exportedRole(r)));
            if (withClients) {
                ObjectNode byClient = roles.putObject("client");
                realm.clientsById.values().forEach(c -> {
                    ArrayNode list = byClient.putArray(c.clientId);
                    c.roles.values().forEach(r -> list.add(exportedRole(r)));
                });
            }
            ArrayNode groups = n.putArray("groups");
            realm.topGroups.stream().sorted(Realm.BY_NAME).forEach(g -> groups.add(groupHierarchy(g)));
        }
        if (withClients) {
            ArrayNode clients = n.putArray("clients");
            realm.clientsById.values().forEach(c -> {
                ObjectNode rep = client(c, true);
                if (c.secret != null) {
                    rep.put("secret", "**********"); // StripSecretsUtils: a secret is never exported
                }
                clients.add(rep);
            });
        }
        return n;
    }

    /** ExportUtils.exportRole: the role with, when composite, the names of its children by realm and by clientId. */
    private ObjectNode exportedRole(Role r) {
        ObjectNode n = role(r, false);
        if (!r.composites.isEmpty()) {
            ObjectNode composites = n.putObject("composites");
            List<Role> realmChildren = r.composites.stream().filter(c -> !c.clientRole()).toList();
            if (!realmChildren.isEmpty()) {
                ArrayNode names = composites.putArray("realm");
                realmChildren.forEach(c -> names.add(c.name));
            }
            Map<String, List<String>> clientChildren = new LinkedHashMap<>();
            r.composites.stream().filter(Role::clientRole)
                    .forEach(c -> clientChildren.computeIfAbsent(c.client.clientId, k -> new java.util.ArrayList<>()).add(c.name));
            if (!clientChildren.isEmpty()) {
                composites.set("client", MAPPER.valueToTree(clientChildren));
            }
        }
        return n;
    }

    /** ModelToRepresentation.toGroupHierarchy(group, full): the group with its role mappings and all its subgroups. */
    private ObjectNode groupHierarchy(Group g) {
        ObjectNode n = group(g, true, null, false);
        ArrayNode subs = (ArrayNode) n.get("subGroups");
        g.children.stream().sorted(Realm.BY_NAME).forEach(c -> subs.add(groupHierarchy(c)));
        return n;
    }

    /** An identity provider as the file gave it, its client secret masked as Keycloak masks it. */
    ObjectNode identityProvider(Map<String, Object> idp) {
        ObjectNode i = MAPPER.valueToTree(idp);
        if (i.has("config") && i.get("config").has("clientSecret")) {
            ((ObjectNode) i.get("config")).put("clientSecret", "**********");
        }
        return i;
    }

    /**
     * What RealmAdminResource returns to an admin without view-realm: the name, the identity providers
     * when those may be viewed, and the locale settings the admin console needs.
     */
    ObjectNode realmBrief(boolean withIdentityProviders) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("realm", realm.name);
        if (withIdentityProviders) {
            ArrayNode idps = n.putArray("identityProviders");
            realm.identityProviders.forEach(idp -> idps.add(identityProvider(idp)));
        }
        Object i18n = realm.settings.get("internationalizationEnabled");
        n.put("internationalizationEnabled", Boolean.TRUE.equals(i18n));
        return n;
    }

    /** AdminEventRepresentation: the representation field is left out when the realm records no details. */
    ObjectNode adminEvent(Model.AdminEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", e.id());
        n.put("time", e.time());
        n.put("realmId", e.realmId());
        ObjectNode auth = n.putObject("authDetails");
        putIfSet(auth, "realmId", e.authRealmId());
        putIfSet(auth, "clientId", e.authClientId());
        putIfSet(auth, "userId", e.authUserId());
        putIfSet(auth, "ipAddress", e.ipAddress());
        n.put("operationType", e.operationType());
        n.put("resourceType", e.resourceType());
        n.put("resourcePath", e.resourcePath());
        putIfSet(n, "representation", e.representation());
        return n;
    }

    ObjectNode eventsConfig() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("eventsEnabled", realm.eventsEnabled);
        if (realm.eventsExpiration != null) {
            n.put("eventsExpiration", realm.eventsExpiration);
        }
        n.set("eventsListeners", MAPPER.valueToTree(realm.eventsListeners));
        n.set("enabledEventTypes", MAPPER.valueToTree(realm.enabledEventTypes));
        n.put("adminEventsEnabled", realm.adminEventsEnabled);
        n.put("adminEventsDetailsEnabled", realm.adminEventsDetailsEnabled);
        return n;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
