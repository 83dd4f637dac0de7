package io.vigil.core.model;

/** Whether an identity is a person or a machine (a client's service account). */
public enum IdentityKind { PERSON, SERVICE_ACCOUNT }
