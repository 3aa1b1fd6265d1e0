ALTER TABLE `items` ADD `location` text;--> statement-breakpoint
ALTER TABLE `items` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `loans` ADD `damaged_at` integer;--> statement-breakpoint
ALTER TABLE `loans` ADD `damage_note` text;