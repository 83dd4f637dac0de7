-- Vigil's schedules: the truth after the first start (Quartz's triggers mirror them). Portable between
-- H2 2.x and PostgreSQL: instants are epoch milliseconds, name lists are JSON arrays in VARCHAR.
CREATE TABLE schedules (
  name          VARCHAR(100) PRIMARY KEY,
  cron          VARCHAR(200) NOT NULL,
  zone          VARCHAR(64)  NOT NULL,
  sources       VARCHAR      NOT NULL,
  checks        VARCHAR      NOT NULL,
  mode          VARCHAR(20)  NOT NULL,
  enabled       BOOLEAN      NOT NULL,
  misfire       VARCHAR(20)  NOT NULL,
  created_at    BIGINT       NOT NULL,
  created_by    VARCHAR(200) NOT NULL,
  updated_at    BIGINT       NOT NULL,
  updated_by    VARCHAR(200) NOT NULL
);

-- One row once the configuration file's schedules were copied in; they are never copied again.
CREATE TABLE schedules_seeded (
  seeded_at     BIGINT       NOT NULL,
  seeded_from   VARCHAR(500) NOT NULL
);
