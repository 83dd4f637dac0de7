-- One row that a run locks (SELECT … FOR UPDATE) for as long as it runs, so that runs never overlap:
-- not on one node, not across the nodes of a cluster, not a command-line run beside a server. A node that
-- dies mid-run loses its connection, and the database releases the lock with it.
CREATE TABLE run_lock (
  name          VARCHAR(40)  PRIMARY KEY
);
INSERT INTO run_lock (name) VALUES ('pipeline');
