-- The outbox of customer reports: one row per customer and period, planned before anything is written to Jira and
-- marked done only after the report's request carries its PDF, so a report is delivered exactly once across crashes
-- and nodes (the primary key makes two nodes planning the same period agree on one row).
CREATE TABLE report_deliveries (
  customer_id   VARCHAR(200) NOT NULL,
  period        VARCHAR(20)  NOT NULL,
  organization  VARCHAR(255) NOT NULL,
  channel       VARCHAR(200) NOT NULL,
  marker        VARCHAR(255) NOT NULL,
  status        VARCHAR(20)  NOT NULL,
  attempts      INTEGER      NOT NULL DEFAULT 0,
  last_error    VARCHAR(4000),
  created_at    BIGINT       NOT NULL,
  done_at       BIGINT,
  external_ref  VARCHAR(200),
  PRIMARY KEY (customer_id, period)
);
CREATE INDEX report_deliveries_pending ON report_deliveries (status, created_at);
