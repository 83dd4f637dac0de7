package io.vigil.core.spi;

import java.util.List;

/**
 * What {@link Source#check()} found.
 *
 * @param state the overall verdict
 * @param message one sentence a person can act on (never containing a secret; credentials in URLs are masked)
 * @param missingPermissions each permission or role the connector needs and lacks, by its name in the remote system
 * @param warnings things that work but limit what Vigil can see (e.g. login events disabled)
 */
public record ConnectionStatus(State state, String message, List<String> missingPermissions, List<String> warnings) {
  public enum State { OK, UNREACHABLE, UNAUTHENTICATED, PERMISSIONS_MISSING, ERROR }

  public ConnectionStatus {
    message = Urls.redact(message);
    warnings = warnings == null ? null : warnings.stream().map(Urls::redact).toList();
    missingPermissions = List.copyOf(missingPermissions == null ? List.of() : missingPermissions);
    warnings = List.copyOf(warnings == null ? List.of() : warnings);
  }

  public static ConnectionStatus ok(String message, List<String> warnings) {
    return new ConnectionStatus(State.OK, message, List.of(), warnings);
  }

  public static ConnectionStatus failed(State state, String message) {
    return new ConnectionStatus(state, message, List.of(), List.of());
  }

  public boolean isOk() {
    return state == State.OK;
  }
}
