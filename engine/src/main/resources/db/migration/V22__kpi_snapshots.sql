-- One snapshot of the key figures per run, so trends (requirements validated, open findings, what each run opened and
-- resolved) can be shown without replaying the history.
CREATE TABLE kpi_snapshots (
  run_id                  VARCHAR(64)    PRIMARY KEY,
  at                      BIGINT         NOT NULL,
  policy_version          VARCHAR(64)    NOT NULL,
  requirements_by_status  VARCHAR(4000)  NOT NULL,
  open_by_severity        VARCHAR(4000)  NOT NULL,
  open_by_check           VARCHAR(16000) NOT NULL,
  opened                  INT            NOT NULL,
  resolved                INT            NOT NULL
);
CREATE INDEX kpi_snapshots_at ON kpi_snapshots (at);
