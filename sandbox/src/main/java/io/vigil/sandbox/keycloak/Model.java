package io.vigil.sandbox.keycloak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory realm the sandbox serves, built once by {@link RealmLoader}. The graph (composites,
 * group parents, memberships) is wired after every node exists, so these are small mutable classes;
 * after loading they are only read, except for the seeded activity lists in {@link Realm}, which are
 * guarded by the realm's own lock.
 */
final class Model {
    private Model() {
    }

    /** A realm role ({@code client == null}) or a client role. */
    static final class Role {
        final String id;
        final String name;
        final String description;
        final Client client;
        final Map<String, List<String>> attributes;
        final List<Role> composites = new ArrayList<>();

        Role(String id, String name, String description, Client client, Map<String, List<String>> attributes) {
            this.id = id;
            this.name = name;
            this.description = description;
            this.client = client;
            this.attributes = attributes;
        }

        boolean clientRole() {
            return client != null;
        }

        /** {@code realm:NAME} or {@code client:CLIENT_ID/NAME}, used in messages and tests. */
        String label() {
            return client == null ? "realm role '" + name + "'" : "client role '" + client.clientId + "/" + name + "'";
        }
    }

    static final class Client {
        final String id;
        final String clientId;
        final String secret;
        final boolean enabled;
        final boolean serviceAccountsEnabled;
        final boolean publicClient;
        /** The client entry as the file gave it, less its secret, for the client representation. */
        final Map<String, Object> representation;
        final Map<String, Role> roles = new LinkedHashMap<>();
        User serviceAccount;

        Client(String id, String clientId, String secret, boolean enabled, boolean serviceAccountsEnabled,
               boolean publicClient, Map<String, Object> representation) {
            this.id = id;
            this.clientId = clientId;
            this.secret = secret;
            this.enabled = enabled;
            this.serviceAccountsEnabled = serviceAccountsEnabled;
            this.publicClient = publicClient;
            this.representation = representation;
        }
    }

    static final class Group {
        final String id;
        final String name;
        final Group parent;
        final String description;
        final Map<String, List<String>> attributes;
        final List<Group> children = new ArrayList<>();
        final List<Role> roles = new ArrayList<>();
        final List<User> members = new ArrayList<>();

        Group(String id, String name, Group parent, String description, Map<String, List<String>> attributes) {
            this.id = id;
            this.name = name;
            this.parent = parent;
            this.description = description;
            this.attributes = attributes;
        }

        String path() {
            return parent == null ? "/" + name : parent.path() + "/" + name;
        }
    }

    record Credential(String id, String type, String userLabel, Long createdDate, String credentialData,
                      Integer priority) {
    }

    record FederatedIdentity(String identityProvider, String userId, String userName) {
    }

    static final class User {
        final String id;
        final String username;
        final String firstName;
        final String lastName;
        final String email;
        final boolean emailVerified;
        final boolean enabled;
        final Long createdTimestamp;
        final Map<String, List<String>> attributes;
        final List<String> requiredActions;
        final List<Credential> credentials;
        final List<FederatedIdentity> federatedIdentities;
        final List<Role> roles = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        Client serviceAccountOf;

        User(String id, String username, String firstName, String lastName, String email, boolean emailVerified,
             boolean enabled, Long createdTimestamp, Map<String, List<String>> attributes,
             List<String> requiredActions, List<Credential> credentials, List<FederatedIdentity> federatedIdentities) {
            this.id = id;
            this.username = username;
            this.firstName = firstName;
            this.lastName = lastName;
            this.email = email;
            this.emailVerified = emailVerified;
            this.enabled = enabled;
            this.createdTimestamp = createdTimestamp;
            this.attributes = attributes;
            this.requiredActions = requiredActions;
            this.credentials = credentials;
            this.federatedIdentities = federatedIdentities;
        }

        boolean hasCredential(String type) {
            return credentials.stream().anyMatch(c -> c.type().equals(type));
        }
    }

    /** A stored user event, as Keycloak's event store keeps it. */
    record Event(String id, long time, String type, String userId, String clientId, String sessionId,
                 String ipAddress, String error, Map<String, String> details) {
    }

    /**
     * An admin event as Keycloak's AdminEventRepresentation carries it: who acted (auth details), the operation, the
     * resource and, when the realm records details, the representation sent (a JSON string).
     */
    record AdminEvent(String id, long time, String realmId, String authRealmId, String authClientId, String authUserId,
                      String ipAddress, String operationType, String resourceType, String resourcePath,
                      String representation) {
    }

    /** An active user session with the client UUIDs it has signed in to. */
    record Session(String id, String userId, String ipAddress, long start, long lastAccess, boolean rememberMe,
                   List<String> clientIds) {
    }
}
