package io.vigil.keycloak.internal;

/** The collecting thread was interrupted (the run was cancelled); its interrupt status is kept set. */
public final class CollectInterrupted extends RuntimeException {
  public CollectInterrupted() {
    super("interrupted", null, false, false);
  }
}
