CREATE TABLE `stats_active` (
	`day` text NOT NULL,
	`branch_id` text NOT NULL,
	`sketch` blob NOT NULL,
	PRIMARY KEY(`day`, `branch_id`)
) STRICT;
--> statement-breakpoint
CREATE TABLE `stats_counts` (
	`day` text NOT NULL,
	`hour` integer NOT NULL,
	`branch_id` text NOT NULL,
	`item_type` text NOT NULL,
	`collection` text NOT NULL,
	`patron_category` text NOT NULL,
	`measure` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`day`, `hour`, `branch_id`, `item_type`, `collection`, `patron_category`, `measure`)
) STRICT;
