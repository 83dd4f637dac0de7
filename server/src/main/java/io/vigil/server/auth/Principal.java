package io.vigil.server.auth;

import java.util.Set;

/**
 * The person behind a verified token.
 *
 * @param subject the token's {@code sub}; recorded in the audit log
 * @param username {@code preferred_username}, or the subject when absent
 * @param roles Vigil roles the token carries
 */
public record Principal(String subject, String username, Set<Role> roles) {
  public Principal {
    roles = Set.copyOf(roles);
  }

  public boolean has(Role needed) {
    return roles.stream().anyMatch(r -> r.allows(needed));
  }
}
