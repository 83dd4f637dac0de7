package io.vigil.core.inventory;

import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Identity;

/**
 * How a service desk account is recognised as an identity-provider identity: by email, or by a user
 * attribute that holds the service desk account id.
 *
 * @param attribute the identity attribute holding the account id; empty when matching by email
 */
public record IdentityMatch(String attribute) {
  public static final IdentityMatch EMAIL = new IdentityMatch("");

  public IdentityMatch {
    attribute = attribute == null ? "" : attribute;
  }

  public static IdentityMatch byAttribute(String attribute) {
    return new IdentityMatch(attribute);
  }

  /**
   * The keys this identity is known by on the service desk side: its email, or every value of the
   * attribute (one person may own several service desk accounts); empty if none.
   */
  public java.util.List<String> keysOf(Identity identity) {
    if (attribute.isEmpty()) return identity.email().isEmpty() ? java.util.List.of() : java.util.List.of(identity.email());
    return identity.attributes().getOrDefault(attribute, java.util.List.of()).stream().filter(v -> v != null && !v.isBlank()).toList();
  }

  /** The key of a service desk account, comparable with {@link #keyOf(Identity)}. */
  public String keyOf(AccountRef account) {
    return attribute.isEmpty() ? account.email() : account.accountId();
  }
}
