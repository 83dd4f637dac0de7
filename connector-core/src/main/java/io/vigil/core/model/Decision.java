package io.vigil.core.model;

/** An approver's decision on an approval. */
public enum Decision { PENDING, APPROVED, DECLINED }
