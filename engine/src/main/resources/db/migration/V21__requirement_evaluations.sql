-- When each requirement's check last evaluated it, and whether a later run held the check back, so the register can
-- tell a validated requirement from one nobody has looked at lately.
CREATE TABLE requirement_evaluations (
  requirement_id    VARCHAR(200)  PRIMARY KEY,
  check_name        VARCHAR(200)  NOT NULL,
  evaluated_at      BIGINT,
  evaluated_run     VARCHAR(64),
  held_back_at      BIGINT,
  held_back_reason  VARCHAR(4000)
);
