-- When each check last ran to completion over a full read of some subject kinds. A finding that stays open (or
-- waived) while its check is evaluated again over its subject's kind was seen again by that run: had it not been,
-- the run would have resolved it. So a run records one row per check it evaluated instead of rewriting every open
-- finding's last_seen, and a finding's last seen is the later of its own last_seen and its check's latest
-- evaluation over its kind (FindingStore derives it on read). One row per check and set of kinds, updated in place.
CREATE TABLE check_evaluations (
  check_name    VARCHAR(100) NOT NULL,
  kinds         VARCHAR(100) NOT NULL,
  run_id        VARCHAR(40)  NOT NULL,
  at            BIGINT       NOT NULL,
  PRIMARY KEY (check_name, kinds)
);
