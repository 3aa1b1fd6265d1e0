CREATE TABLE `journal_redaction_pending` (
	`seq` integer PRIMARY KEY NOT NULL
) STRICT;
--> statement-breakpoint
ALTER TABLE `journal` ADD `redacted_at` integer;--> statement-breakpoint
-- The journal stays append-only, with one exception: a payload may be rewritten once, together
-- with setting redacted_at, to take the patron out of an entry whose loans have lost their link
-- (src/services/journal-privacy.ts).
DROP TRIGGER journal_append_only_update;
--> statement-breakpoint
CREATE TRIGGER journal_append_only_update
BEFORE UPDATE OF seq, id, station_id, hlc, wall_time, staff_id, branch_id, command ON journal BEGIN
  SELECT RAISE(ABORT, 'the journal is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER journal_payload_redaction_only
BEFORE UPDATE OF payload, redacted_at ON journal
WHEN OLD.redacted_at IS NOT NULL OR NEW.redacted_at IS NULL
BEGIN
  SELECT RAISE(ABORT, 'the journal is append-only');
END;
