-- What a run locked (its sources and publishers, e.g. "source:jira"), so that a run taking a lock abandons only the
-- runs that held one of the same locks (their node died: the database released its locks with its connection),
-- never a run over other connectors that is alive on another node. NULL for runs from before: they held the
-- store-wide lock.
ALTER TABLE runs ADD COLUMN resources VARCHAR;
-- Lock names now name connectors ("publisher:" and a connector's name).
ALTER TABLE run_lock ALTER COLUMN name SET DATA TYPE VARCHAR(300);
