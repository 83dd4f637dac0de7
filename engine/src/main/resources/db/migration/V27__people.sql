-- Who is who, for the waiver approver rules: the identities the last run read (every key a person may be named by:
-- id, username, email, the identity.match attribute's values), and for each finding about an issue the people on
-- that issue (requester, assignee, approvers) as the service desk names them.
CREATE TABLE people (
  identity_id  VARCHAR(200)   PRIMARY KEY,
  label        VARCHAR(1000)  NOT NULL,
  match_keys   VARCHAR(4000)  NOT NULL
);

CREATE TABLE finding_parties (
  fingerprint  VARCHAR(200)   PRIMARY KEY,
  parties      VARCHAR(16000) NOT NULL
);
