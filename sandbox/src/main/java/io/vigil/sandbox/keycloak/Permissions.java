package io.vigil.sandbox.keycloak;

import io.vigil.sandbox.keycloak.Model.Client;
import io.vigil.sandbox.keycloak.Model.Role;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a bearer token may do, from the effective {@code realm-management} roles of the service-account
 * user it was issued to. Mirrors Keycloak's admin permission rules: a manage-X role implies view-X,
 * view-X implies query-X, realm-admin implies everything (through its composites). Immutable.
 */
record Permissions(Set<String> adminRoles) {

    static Permissions of(Realm realm, Client client) {
        Set<String> roles = realm.effectiveRoles(client.serviceAccount).stream()
                .filter(Role::clientRole)
                .filter(r -> r.client.clientId.equals("realm-management"))
                .map(r -> r.name)
                .collect(Collectors.toUnmodifiableSet());
        return new Permissions(roles);
    }

    boolean has(String role) {
        return adminRoles.contains(role) || adminRoles.contains("realm-admin");
    }

    boolean any() {
        return !adminRoles.isEmpty();
    }

    boolean manageUsers() {
        return has("manage-users");
    }

    boolean viewUsers() {
        return has("view-users") || manageUsers();
    }

    boolean queryUsers() {
        return viewUsers() || has("query-users");
    }

    boolean listGroups() {
        return viewUsers() || has("query-groups");
    }

    boolean viewRealm() {
        return has("view-realm") || has("manage-realm");
    }

    /** RealmPermissionEvaluator.requireManageRealm: manage-realm (or realm-admin) only; view-realm is not enough. */
    boolean manageRealm() {
        return has("manage-realm");
    }

    boolean viewClients() {
        return has("view-clients") || has("manage-clients");
    }

    boolean listClients() {
        return viewClients() || has("query-clients");
    }

    boolean viewIdentityProviders() {
        return viewRealm() || has("view-identity-providers") || has("manage-identity-providers");
    }

    boolean viewEvents() {
        return has("view-events") || has("manage-events");
    }

    /** Roles of a client are viewable with view-clients; realm roles with view-realm. */
    boolean viewRolesOf(Client client) {
        return client == null ? viewRealm() : viewClients();
    }
}
