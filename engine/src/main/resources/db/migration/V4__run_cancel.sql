-- Who asked a run to stop, for a run on another node of the cluster: the node running it reads this between
-- its steps (a cancel on the node itself needs no database).
ALTER TABLE runs ADD COLUMN cancel_requested_by VARCHAR(200);
