-- The kind of each run (full, incremental, or event) and, for an event run, the subjects it re-evaluated
-- (e.g. "issues ITSM-4, ITSM-7"). NULL for runs from before.
ALTER TABLE runs ADD COLUMN kind VARCHAR(20);
ALTER TABLE runs ADD COLUMN scope VARCHAR;
-- Webhook deliveries already accepted, by the sender's delivery id (Jira: X-Atlassian-Webhook-Identifier, the same
-- on every retry), so a replayed or retried delivery is recognised and changes nothing. Pruned after a day.
CREATE TABLE hook_deliveries (
  id VARCHAR(200) NOT NULL PRIMARY KEY,
  source VARCHAR(100) NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX hook_deliveries_received ON hook_deliveries (received_at);
