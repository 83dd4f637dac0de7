package io.vigil.core.model;

/** How one step of a grant path passes access on. */
public enum HopKind {
  /** The identity holds the next step directly (a role mapping on the user, or group membership). */
  DIRECT,
  /** Membership of a group, which passes on its own role mappings. */
  GROUP,
  /** A parent group: members of a subgroup inherit the parent's roles. */
  PARENT_GROUP,
  /** A composite role that contains the next step. */
  COMPOSITE,
  /** The realm's default-roles composite, held by those Keycloak granted it to (users created through the admin API
   * or self-registration, unless an administrator removed it; imported users only if their file says so). */
  DEFAULT_ROLE
}
