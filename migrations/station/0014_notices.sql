CREATE TABLE `notice_outbox` (
	`notice_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text
) STRICT;
--> statement-breakpoint
CREATE TABLE `notices` (
	`id` text PRIMARY KEY NOT NULL,
	`patron_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject_id` text,
	`level` text NOT NULL,
	`notice_key` text NOT NULL,
	`channel` text NOT NULL,
	`language` text NOT NULL,
	`status` text NOT NULL,
	`message_id` text,
	`error` text,
	`station_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
) STRICT;
--> statement-breakpoint
CREATE INDEX `notices_key` ON `notices` (`notice_key`);--> statement-breakpoint
CREATE INDEX `notices_patron` ON `notices` (`patron_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notices_status` ON `notices` (`status`);--> statement-breakpoint
ALTER TABLE `patrons` ADD `language` text;--> statement-breakpoint
ALTER TABLE `patrons` ADD `notice_channel` text;