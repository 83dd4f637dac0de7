package io.vigil.core.model;

import java.util.List;

/**
 * What an access request asks for, read from the request fields the Jira connector is configured with: the person
 * who should get access and the entitlements requested.
 *
 * @param forWhom who should receive the access: the "for whom" user-picker field's value, else the reporter; null if
 *     neither is known
 * @param entitlements the entitlements the request's field names, in the order given
 * @param invalidValues field values that are not entitlements ({@code realm:ROLE}, {@code client:ID/ROLE},
 *     {@code group:/path}) and map to none, exactly as the requester typed or chose them
 */
public record AccessRequest(AccountRef forWhom, List<Entitlement> entitlements, List<String> invalidValues) {
  public AccessRequest {
    entitlements = List.copyOf(entitlements == null ? List.of() : entitlements);
    invalidValues = List.copyOf(invalidValues == null ? List.of() : invalidValues);
  }
}
