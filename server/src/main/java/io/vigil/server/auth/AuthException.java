package io.vigil.server.auth;

/**
 * A request could not be authenticated (401) or is not allowed (403). The message says why in terms a
 * client developer can act on; it never echoes the token.
 */
public class AuthException extends Exception {
  private final int status;

  public AuthException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
