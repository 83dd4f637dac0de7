package io.vigil.server.auth;

import java.util.Locale;

/** What a signed-in person may do. An administrator can do everything an auditor can. */
public enum Role {
  /** Reads everything: findings, runs, schedules, waivers, the audit log. */
  AUDITOR,
  /** Changes anything: schedules, waivers, runs. */
  ADMIN;

  /** The Keycloak role name that grants it. */
  public String roleName() {
    return "vigil-" + name().toLowerCase(Locale.ROOT);
  }

  public boolean allows(Role needed) {
    return this == ADMIN || needed == AUDITOR;
  }
}
