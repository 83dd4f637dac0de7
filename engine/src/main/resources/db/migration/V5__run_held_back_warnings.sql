-- What a run held back (checks whose inventory parts were missing or incomplete, or whose resolutions the
-- plausibility guard stopped) and the warnings its sources gave, as JSON lists, so the history and the console
-- show why a run was partial.
ALTER TABLE runs ADD COLUMN held_back VARCHAR;
ALTER TABLE runs ADD COLUMN warnings VARCHAR;
