package io.vigil.core.model;

/** One step on a grant path: the kind of step and the entitlement (role or group) it passes through. */
public record Hop(HopKind kind, Entitlement via) {
  @Override
  public String toString() {
    return switch (kind) {
      case DIRECT -> via.ref();
      case GROUP -> "group " + via.name();
      case PARENT_GROUP -> "parent group " + via.name();
      case COMPOSITE -> "composite " + (via.kind() == EntitlementKind.CLIENT_ROLE ? via.clientId() + "/" + via.name() : via.name());
      case DEFAULT_ROLE -> "default roles " + via.name();
    };
  }
}
