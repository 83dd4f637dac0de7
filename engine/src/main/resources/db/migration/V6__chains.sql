-- The audit log and the waivers join the finding history in being hash chained, and every chain's head is kept,
-- so that `vigil verify` can tell an edited, inserted or deleted row anywhere, the last ones included.
ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE audit_log ADD COLUMN hash VARCHAR(64);
ALTER TABLE waivers ADD COLUMN chain_seq BIGINT;
ALTER TABLE waivers ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE waivers ADD COLUMN hash VARCHAR(64);

CREATE TABLE chain_heads (
  chain         VARCHAR(40)  PRIMARY KEY,
  head          VARCHAR(64)  NOT NULL,
  length        BIGINT       NOT NULL
);
INSERT INTO chain_heads (chain, head, length) VALUES ('FINDING_EVENTS', '0000000000000000000000000000000000000000000000000000000000000000', 0);
INSERT INTO chain_heads (chain, head, length) VALUES ('AUDIT_LOG', '0000000000000000000000000000000000000000000000000000000000000000', 0);
INSERT INTO chain_heads (chain, head, length) VALUES ('WAIVERS', '0000000000000000000000000000000000000000000000000000000000000000', 0);
