-- Every patron a sync exception concerns (both borrowers of a copy lent twice), as the hub keeps
-- them; patron_id stays as the first of them. Exceptions recorded before this keep the one they had.
ALTER TABLE `sync_exceptions` ADD `patron_ids` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
UPDATE `sync_exceptions` SET `patron_ids` = json_array(`patron_id`) WHERE `patron_id` IS NOT NULL;
