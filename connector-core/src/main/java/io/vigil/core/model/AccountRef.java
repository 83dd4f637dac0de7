package io.vigil.core.model;

/**
 * A person or account as the service desk knows it (reporter, assignee, approver).
 *
 * @param accountId the system of record's account id; empty if unknown
 * @param email email address, lower-cased; empty if hidden or unknown
 * @param displayName name to show
 */
public record AccountRef(String accountId, String email, String displayName) {
  public AccountRef {
    accountId = accountId == null ? "" : accountId;
    email = email == null ? "" : email.trim().toLowerCase(java.util.Locale.ROOT);
    displayName = displayName == null ? (email.isEmpty() ? accountId : email) : displayName;
  }

  /** The best human label: display name, else email, else account id. */
  public String label() {
    return !displayName.isEmpty() ? displayName : !email.isEmpty() ? email : accountId;
  }
}
