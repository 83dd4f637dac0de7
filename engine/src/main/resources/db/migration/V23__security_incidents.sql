-- The security incidents Vigil recognised, one row per issue, kept up to date from Jira on every run: when Jira
-- created it, when Vigil first recognised it (its finding's first-seen), when Jira resolved it, its classification level
-- and the customers whose scope it is in. Detection and resolution times, and each customer's incidents, are read here
-- without replaying the findings.
CREATE TABLE security_incidents (
  issue_key   VARCHAR(100)  PRIMARY KEY,
  rule_id     VARCHAR(200)  NOT NULL,
  summary     VARCHAR(1000) NOT NULL,
  level       VARCHAR(100)  NOT NULL,
  customers   VARCHAR(4000) NOT NULL,
  created     BIGINT        NOT NULL,
  recognised  BIGINT        NOT NULL,
  resolved    BIGINT,
  updated     BIGINT        NOT NULL
);
CREATE INDEX security_incidents_recognised ON security_incidents (recognised);
-- the incident figures of each KPI snapshot (JSON); null in snapshots taken before there were any
ALTER TABLE kpi_snapshots ADD COLUMN incidents VARCHAR(16000);
