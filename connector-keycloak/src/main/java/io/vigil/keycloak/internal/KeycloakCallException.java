package io.vigil.keycloak.internal;

/** One admin API request failed; the message names the request and the status, never a secret. */
public final class KeycloakCallException extends RuntimeException {
  private final int status;

  public KeycloakCallException(String request, int status, String detail) {
    super(request + " failed: " + detail);
    this.status = status;
  }

  /** The HTTP status, or 0 when no response came back (unreachable, timeout). */
  public int status() {
    return status;
  }
}
