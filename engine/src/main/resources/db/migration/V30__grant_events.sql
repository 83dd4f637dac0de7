-- The ledger of grant events: an identity provider's admin events about role mappings and group memberships, one
-- row per event and entitlement, kept beyond the provider's own admin-event expiry. Rows are only ever inserted.
CREATE TABLE grant_events (
  source          VARCHAR(200)  NOT NULL,
  event_key       VARCHAR(1200) NOT NULL,
  event_id        VARCHAR(200)  NOT NULL,
  at              BIGINT        NOT NULL,
  operation       VARCHAR(20)   NOT NULL,
  identity_id     VARCHAR(200)  NOT NULL,
  entitlement     VARCHAR(1000) NOT NULL,
  actor_user_id   VARCHAR(200)  NOT NULL,
  actor_client_id VARCHAR(200)  NOT NULL,
  actor_realm_id  VARCHAR(200)  NOT NULL,
  resource_path   VARCHAR(2000) NOT NULL,
  PRIMARY KEY (source, event_key)
);
CREATE INDEX grant_events_at ON grant_events (source, at);
