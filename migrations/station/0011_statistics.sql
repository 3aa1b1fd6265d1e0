CREATE TABLE `stats_active` (
	`day` text NOT NULL,
	`branch_id` text NOT NULL,
	`sketch` blob NOT NULL,
	PRIMARY KEY(`day`, `branch_id`)
) STRICT;
--> statement-breakpoint
CREATE TABLE `stats_counts` (
	`day` text NOT NULL,
	`branch_id` text NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`measure` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`day`, `branch_id`, `dimension`, `value`, `measure`)
) STRICT;
