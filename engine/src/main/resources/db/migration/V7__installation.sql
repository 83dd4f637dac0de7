-- Who this installation is: the id it claims a Jira compliance project with, so two installations (two stores)
-- never write into the same project by accident. One row, made on first use.
CREATE TABLE installation (
  singleton     VARCHAR(20)  PRIMARY KEY,
  id            VARCHAR(40)  NOT NULL,
  created_at    BIGINT       NOT NULL
);
