CREATE TABLE `sip_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`login` text NOT NULL,
	`password_hash` text NOT NULL,
	`branch_id` text NOT NULL,
	`allowed` text NOT NULL,
	`require_pin` integer NOT NULL,
	`error_detection` integer NOT NULL,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `sip_accounts_login_unique` ON `sip_accounts` (`login`);