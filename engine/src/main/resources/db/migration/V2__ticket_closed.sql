-- Who closed or deleted a finding's ticket in the system of record, when it was a person and not Vigil
-- ("Jane Doe at 2026-11-30T10:00:00Z", or "deleted"); empty otherwise. Vigil does not reopen such a ticket
-- on the same evidence.
ALTER TABLE findings ADD COLUMN ticket_closed VARCHAR(400);
