package io.vigil.core.model;

/** The ITIL record type of a service desk issue. */
public enum IssueKind { INCIDENT, CHANGE, ACCESS_REQUEST, PROBLEM, SERVICE_REQUEST, OTHER }
