package io.vigil.keycloak.internal;

import io.vigil.core.spi.ActivityLedger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.UserSessionRepresentation;

/**
 * Feeds the store-backed last-seen ledger from LOGIN events since the cursor (paged) and from active
 * sessions, so staleness survives Keycloak's event expiry. Not thread-safe: one instance per collection.
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
    RealmEventsConfigRepresentation config = api.call(base + "/events/config", () -> api.realm().getRealmEventsConfig());
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

  /**
   * Records LOGIN events newer than {@code cursorMillis} and the last access of every active session.
   *
   * @return the new cursor: the newest LOGIN event time seen, or the old cursor if none is newer
   */
  public long read(long cursorMillis, List<ClientRepresentation> clients) {
    String dateFrom = cursorMillis <= 0 ? null
        : LocalDate.ofInstant(Instant.ofEpochMilli(cursorMillis), ZoneOffset.UTC).toString();
    long newest = cursorMillis;
    List<EventRepresentation> events = api.pages(base + "/events?type=LOGIN" + (dateFrom == null ? "" : "&dateFrom=" + dateFrom),
        (first, max) -> api.realm().getEvents(List.of("LOGIN"), null, null, dateFrom, null, null, first, max));
    for (EventRepresentation e : events) {
      if (e.getUserId() == null || e.getTime() <= cursorMillis) continue;
      ledger.recordSeen(source, e.getUserId(), Instant.ofEpochMilli(e.getTime()));
      newest = Math.max(newest, e.getTime());
    }
    for (ClientRepresentation c : clients) {
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
