package io.vigil.keycloak.internal;

import io.vigil.core.spi.ActivityLedger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.UserSessionRepresentation;

/**
 * Feeds the store-backed last-seen ledger from sign-in events since the cursor (paged) and from active
 * sessions, so staleness survives Keycloak's event expiry. People sign in with {@code LOGIN}; service
 * accounts with the client-credentials grant, which Keycloak records as {@code CLIENT_LOGIN} with the
 * service-account user as {@code userId} and the client as {@code clientId} — both are read, or every
 * service account would look as if it never signed in. Sessions are read only for the clients that have online
 * sessions ({@code client-session-stats}), not one request per client. Not thread-safe: one instance per collection.
 */
public final class ActivityReader {
  private final AdminApi api;
  private final ActivityLedger ledger;
  private final String source;
  private final String base;

  public ActivityReader(AdminApi api, ActivityLedger ledger, String source) {
    this.api = api;
    this.ledger = ledger;
    this.source = source;
    this.base = "GET /admin/realms/" + api.realmName();
  }

  /** Why sign-ins are not tracked (events off, or LOGIN not recorded); null when they are. */
  public String untrackedReason() {
    return untrackedReason(api.call(base + "/events/config", () -> api.realm().getRealmEventsConfig()));
  }

  /** As {@link #untrackedReason()}, from a realm events configuration already read. */
  public String untrackedReason(RealmEventsConfigRepresentation config) {
    if (!Boolean.TRUE.equals(config.isEventsEnabled())) {
      return "user events are disabled in Keycloak realm '" + api.realmName()
          + "', so sign-ins are not recorded; enable them (Realm settings → Events → User events settings) to track staleness";
    }
    List<String> types = config.getEnabledEventTypes();
    if (types != null && !types.isEmpty() && !types.contains("LOGIN")) {
      return "Keycloak realm '" + api.realmName() + "' does not record LOGIN events; add LOGIN to the saved event types to track staleness";
    }
    return null;
  }

  /** The event types that mean "signed in": a person's, and a service account's client-credentials grant. */
  public static final List<String> SIGN_IN_TYPES = List.of("LOGIN", "CLIENT_LOGIN");

  /**
   * Records sign-in events from {@code cursorMillis} on (its millisecond included) and the last access of every active session.
   *
   * @param serviceAccounts the service-account user id of each client that has one, by clientId: a
   *     {@code CLIENT_LOGIN} without a user id is attributed through it
   * @return the new cursor: the newest sign-in event time seen, or the old cursor if none is newer
   */
  public long read(long cursorMillis, List<ClientRepresentation> clients, Map<String, String> serviceAccounts) {
    String dateFrom = cursorMillis <= 0 ? null
        : LocalDate.ofInstant(Instant.ofEpochMilli(cursorMillis), ZoneOffset.UTC).toString();
    List<EventRepresentation> events = api.pages(base + "/events?type=LOGIN&type=CLIENT_LOGIN"
            + (dateFrom == null ? "" : "&dateFrom=" + dateFrom),
        (first, max) -> api.realm().getEvents(SIGN_IN_TYPES, null, null, dateFrom, null, null, first, max));
    return read(cursorMillis, clients, serviceAccounts, events);
  }

  /**
   * As {@link #read(long, List, Map)}, over user events already read from at most {@code cursorMillis} on (a search
   * for more types than sign-ins: the others are ignored).
   */
  public long read(long cursorMillis, List<ClientRepresentation> clients, Map<String, String> serviceAccounts,
      List<EventRepresentation> events) {
    long newest = cursorMillis;
    for (EventRepresentation e : events) {
      if (!SIGN_IN_TYPES.contains(e.getType())) continue;
      String who = e.getUserId();
      if (who == null && "CLIENT_LOGIN".equals(e.getType())) who = serviceAccounts.get(e.getClientId());
      // the cursor's own millisecond is read again: a sign-in Keycloak stored in it after the last read counts (the ledger
      // keeps the latest time, so one already recorded changes nothing)
      if (who == null || e.getTime() < cursorMillis) continue;
      ledger.recordSeen(source, who, Instant.ofEpochMilli(e.getTime()));
      newest = Math.max(newest, e.getTime());
    }
    // only the clients with online sessions (one request says which), not one request per client
    java.util.Set<String> withSessions = new java.util.HashSet<>();
    for (Map<String, String> stat : api.call(base + "/client-session-stats", () -> api.realm().getClientSessionStats())) {
      if (!"0".equals(stat.getOrDefault("active", "0"))) withSessions.add(stat.get("id"));
    }
    for (ClientRepresentation c : clients) {
      if (!withSessions.contains(c.getId())) continue;
      List<UserSessionRepresentation> sessions = api.pages(base + "/clients/" + c.getId() + "/user-sessions",
          (first, max) -> api.realm().clients().get(c.getId()).getUserSessions(first, max));
      for (UserSessionRepresentation s : sessions) {
        if (s.getUserId() != null && s.getLastAccess() > 0) {
          ledger.recordSeen(source, s.getUserId(), Instant.ofEpochMilli(s.getLastAccess()));
        }
      }
    }
    return newest;
  }
}
