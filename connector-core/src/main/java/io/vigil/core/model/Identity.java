package io.vigil.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An account in the identity provider.
 *
 * @param id the identity provider's stable id (Keycloak user id)
 * @param username login name
 * @param email email, lower-cased; empty if none
 * @param kind person or service account
 * @param enabled whether the account can sign in
 * @param createdAt when the account was created; null if unknown
 * @param attributes user attributes (multi-valued), e.g. affiliation, accessExpires, jiraAccountId
 * @param identityProviders aliases of the identity providers the account is linked to (partner IdPs)
 * @param credentials credential types the account has set up (password, otp, webauthn, ...);
 *     only read for identities the policy treats as privileged, empty otherwise
 * @param credentialsKnown whether {@code credentials} was read for this identity
 * @param lastSeen last sign-in or session activity Vigil has seen; null if never seen
 * @param name the person's name as the identity provider shows it (first and last name); empty if none
 */
public record Identity(
    String id,
    String username,
    String email,
    IdentityKind kind,
    boolean enabled,
    Instant createdAt,
    Map<String, List<String>> attributes,
    Set<String> identityProviders,
    Set<String> credentials,
    boolean credentialsKnown,
    Instant lastSeen,
    String name) {

  public Identity {
    Objects.requireNonNull(id, "id");
    username = username == null ? id : username;
    email = email == null ? "" : email.trim().toLowerCase(java.util.Locale.ROOT);
    kind = kind == null ? IdentityKind.PERSON : kind;
    attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    identityProviders = Set.copyOf(identityProviders == null ? Set.of() : identityProviders);
    credentials = Set.copyOf(credentials == null ? Set.of() : credentials);
    name = name == null ? "" : name.trim();
  }

  /** The first value of an attribute, if any. */
  public Optional<String> attribute(String name) {
    List<String> values = attributes.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
  }

  public Builder toBuilder() {
    return new Builder(id).username(username).email(email).kind(kind).enabled(enabled).createdAt(createdAt)
        .attributes(attributes).identityProviders(identityProviders).credentials(credentials)
        .credentialsKnown(credentialsKnown).lastSeen(lastSeen).name(name);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  public static final class Builder {
    private final String id;
    private String username;
    private String email;
    private IdentityKind kind = IdentityKind.PERSON;
    private boolean enabled = true;
    private Instant createdAt;
    private Map<String, List<String>> attributes = Map.of();
    private Set<String> identityProviders = Set.of();
    private Set<String> credentials = Set.of();
    private boolean credentialsKnown;
    private Instant lastSeen;
    private String name;

    private Builder(String id) {
      this.id = id;
    }

    public Builder username(String v) { this.username = v; return this; }
    public Builder email(String v) { this.email = v; return this; }
    public Builder kind(IdentityKind v) { this.kind = v; return this; }
    public Builder enabled(boolean v) { this.enabled = v; return this; }
    public Builder createdAt(Instant v) { this.createdAt = v; return this; }
    public Builder attributes(Map<String, List<String>> v) { this.attributes = v; return this; }
    public Builder identityProviders(Set<String> v) { this.identityProviders = v; return this; }
    public Builder credentials(Set<String> v) { this.credentials = v; return this; }
    public Builder credentialsKnown(boolean v) { this.credentialsKnown = v; return this; }
    public Builder lastSeen(Instant v) { this.lastSeen = v; return this; }
    public Builder name(String v) { this.name = v; return this; }

    public Identity build() {
      return new Identity(id, username, email, kind, enabled, createdAt, attributes, identityProviders,
          credentials, credentialsKnown, lastSeen, name);
    }
  }
}
