package io.vigil.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One change to who holds an entitlement, as the identity provider's admin events recorded it: a role mapped to or
 * removed from a user, a user added to or removed from a group. Kept in Vigil's store beyond the identity provider's
 * own expiry, so it is evidence of how a grant came about long after it happened. The entitlement is named as it was
 * when the event was recorded: a role deleted since keeps its old name here.
 *
 * @param id the event's id in the identity provider, or a stable substitute when it has none; with
 *     {@code entitlement} it identifies the record (one event may map several roles)
 * @param at when it happened
 * @param operation whether access was granted or revoked
 * @param identityId the identity whose access changed
 * @param entitlement the role or group mapped or unmapped
 * @param actor who made the change
 * @param resourcePath the changed resource as the identity provider names it, e.g.
 *     {@code users/1f…/role-mappings/realm}; empty if unknown
 */
public record GrantEvent(String id, Instant at, Operation operation, String identityId, Entitlement entitlement,
    Actor actor, String resourcePath) {

  /** Whether the event granted or revoked the entitlement. */
  public enum Operation { GRANTED, REVOKED }

  /**
   * Who made a change, as the identity provider authenticated them.
   *
   * @param userId the acting user's id (a person, or a client's service-account user); empty if unknown
   * @param clientId the client they acted through (its id in the identity provider); empty if unknown
   * @param realmId the realm they signed in to; empty if unknown
   */
  public record Actor(String userId, String clientId, String realmId) {
    public Actor {
      userId = userId == null ? "" : userId;
      clientId = clientId == null ? "" : clientId;
      realmId = realmId == null ? "" : realmId;
    }

    /** For evidence: {@code user 1f… via client 9a…}. */
    public String describe() {
      String who = userId.isEmpty() ? "an unknown user" : "user " + userId;
      return clientId.isEmpty() ? who : who + " via client " + clientId;
    }
  }

  public GrantEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(identityId, "identityId");
    Objects.requireNonNull(entitlement, "entitlement");
    actor = actor == null ? new Actor("", "", "") : actor;
    resourcePath = resourcePath == null ? "" : resourcePath;
  }

  /** The key under which a ledger keeps this record: the event id and the entitlement. */
  public String key() {
    return id + "|" + entitlement.ref();
  }
}
