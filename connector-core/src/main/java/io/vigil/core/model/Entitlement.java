package io.vigil.core.model;

import java.util.Objects;

/**
 * A role or group membership that grants access. Written in policies and evidence as
 * {@code realm:ROLE}, {@code client:CLIENT_ID/ROLE} or {@code group:/path/to/group}.
 *
 * @param kind realm role, client role or group
 * @param clientId the client's {@code clientId} for a client role; empty otherwise
 * @param name the role name, or the group's full path (starting with {@code /})
 */
public record Entitlement(EntitlementKind kind, String clientId, String name) implements Comparable<Entitlement> {

  public Entitlement {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    clientId = clientId == null ? "" : clientId;
    if (kind == EntitlementKind.CLIENT_ROLE && clientId.isEmpty()) {
      throw new IllegalArgumentException("a client role needs a client id: " + name);
    }
  }

  public static Entitlement realmRole(String name) {
    return new Entitlement(EntitlementKind.REALM_ROLE, "", name);
  }

  public static Entitlement clientRole(String clientId, String name) {
    return new Entitlement(EntitlementKind.CLIENT_ROLE, clientId, name);
  }

  public static Entitlement group(String path) {
    return new Entitlement(EntitlementKind.GROUP, "", path.startsWith("/") ? path : "/" + path);
  }

  /**
   * Parses the policy notation. Throws {@link IllegalArgumentException} with a message that says what
   * form was expected.
   */
  public static Entitlement parse(String ref) {
    String text = ref == null ? "" : ref.trim();
    int colon = text.indexOf(':');
    String prefix = colon < 0 ? "" : text.substring(0, colon);
    String rest = colon < 0 ? "" : text.substring(colon + 1);
    switch (prefix) {
      case "realm":
        if (!rest.isEmpty()) return realmRole(rest);
        break;
      case "client":
        int slash = rest.indexOf('/');
        if (slash > 0 && slash < rest.length() - 1) return clientRole(rest.substring(0, slash), rest.substring(slash + 1));
        break;
      case "group":
        if (rest.startsWith("/") && rest.length() > 1) return group(rest);
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("'" + ref
        + "' is not an entitlement; expected realm:ROLE, client:CLIENT_ID/ROLE or group:/path/to/group");
  }

  /** The policy notation of this entitlement; {@code parse(ref())} returns an equal entitlement. */
  public String ref() {
    return switch (kind) {
      case REALM_ROLE -> "realm:" + name;
      case CLIENT_ROLE -> "client:" + clientId + "/" + name;
      case GROUP -> "group:" + name;
    };
  }

  @Override
  public int compareTo(Entitlement o) {
    return ref().compareTo(o.ref());
  }

  @Override
  public String toString() {
    return ref();
  }
}
