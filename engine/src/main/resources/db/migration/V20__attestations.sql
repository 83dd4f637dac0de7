-- Manual requirements are attested by people with evidence; an attestation counts until it expires. Attestations
-- are hash chained like the waivers, so `vigil verify` proves none was edited, inserted or deleted.
CREATE TABLE attestations (
  id               VARCHAR(36)   PRIMARY KEY,
  requirement_id   VARCHAR(200)  NOT NULL,
  evidence_url     VARCHAR(2000) NOT NULL,
  evidence_sha256  VARCHAR(64)   NOT NULL,
  evidence_name    VARCHAR(500)  NOT NULL,
  note             VARCHAR(4000) NOT NULL,
  attested_by      VARCHAR(200)  NOT NULL,
  attested_at      BIGINT        NOT NULL,
  expires_at       BIGINT        NOT NULL,
  chain_seq        BIGINT        NOT NULL,
  prev_hash        VARCHAR(64)   NOT NULL,
  hash             VARCHAR(64)   NOT NULL
);
CREATE INDEX attestations_requirement ON attestations (requirement_id, attested_at);
INSERT INTO chain_heads (chain, head, length) VALUES ('ATTESTATIONS', '0000000000000000000000000000000000000000000000000000000000000000', 0);
