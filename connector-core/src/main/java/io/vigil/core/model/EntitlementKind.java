package io.vigil.core.model;

/** What an entitlement is in the identity provider. */
public enum EntitlementKind { REALM_ROLE, CLIENT_ROLE, GROUP }
