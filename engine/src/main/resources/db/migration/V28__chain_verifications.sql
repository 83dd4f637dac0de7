-- Each walk of the hash chains (vigil verify, GET /api/v1/verify, the console's Reports page): when, by whom, and
-- what it found per chain (rows, head hash, the first row changed), so the console can show the last verification.
CREATE TABLE chain_verifications (
  id           VARCHAR(64)     PRIMARY KEY,
  at           BIGINT          NOT NULL,
  verified_by  VARCHAR(200)    NOT NULL,
  intact       BOOLEAN         NOT NULL,
  chains       VARCHAR(16000)  NOT NULL
);
CREATE INDEX chain_verifications_at ON chain_verifications (at);
