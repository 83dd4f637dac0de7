package io.vigil.jira.internal;

/**
 * A request to Jira failed for good (after retries). The message names the request (method and path,
 * never a credential), the HTTP status if there was one, and what Jira said.
 */
public final class JiraException extends Exception {
  private final int status;

  public JiraException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when no response arrived (unreachable, timeout, malformed body). */
  public int status() {
    return status;
  }
}
