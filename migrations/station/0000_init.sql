CREATE TABLE `audit` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`staff_id` text,
	`command` text NOT NULL,
	`journal_id` text,
	`summary` text NOT NULL
) STRICT;
--> statement-breakpoint
CREATE TABLE `branch_item_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`branch_id` text NOT NULL,
	`item_type_code` text NOT NULL,
	`return_policy` text NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `branch_item_policies_key` ON `branch_item_policies` (`branch_id`,`item_type_code`);--> statement-breakpoint
CREATE TABLE `branches` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `branches_code_unique` ON `branches` (`code`);--> statement-breakpoint
CREATE TABLE `circulation_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`branch_id` text NOT NULL,
	`category_code` text NOT NULL,
	`item_type_code` text NOT NULL,
	`loan_length` integer NOT NULL,
	`loan_unit` text NOT NULL,
	`hard_due_date` text,
	`hard_due_date_mode` text NOT NULL,
	`max_loans` integer,
	`renewals_allowed` integer NOT NULL,
	`renewal_period` integer,
	`no_renewal_before_days` integer,
	`fine_amount` integer NOT NULL,
	`fine_period` integer NOT NULL,
	`grace_days` integer NOT NULL,
	`fine_cap` integer,
	`cap_fine_at_replacement_price` integer NOT NULL,
	`holds_allowed` integer NOT NULL,
	`holds_per_title` integer NOT NULL,
	`on_shelf_holds_allowed` integer NOT NULL,
	`pickup_period_days` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `circulation_rules_key` ON `circulation_rules` (`branch_id`,`category_code`,`item_type_code`);--> statement-breakpoint
CREATE TABLE `closed_days` (
	`id` text PRIMARY KEY NOT NULL,
	`branch_id` text NOT NULL,
	`kind` text NOT NULL,
	`date` text,
	`weekday` integer,
	`month` integer,
	`day` integer,
	`description` text,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE INDEX `closed_days_branch` ON `closed_days` (`branch_id`);--> statement-breakpoint
CREATE TABLE `fee_waivers` (
	`id` text PRIMARY KEY NOT NULL,
	`fee_id` text NOT NULL,
	`amount` integer NOT NULL,
	`reason` text NOT NULL,
	`staff_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`fee_id`) REFERENCES `fees`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE TABLE `fees` (
	`id` text PRIMARY KEY NOT NULL,
	`patron_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`outstanding` integer NOT NULL,
	`currency` text NOT NULL,
	`loan_id` text,
	`item_id` text,
	`description` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`patron_id`) REFERENCES `patrons`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE INDEX `fees_patron` ON `fees` (`patron_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `holds` (
	`id` text PRIMARY KEY NOT NULL,
	`patron_id` text NOT NULL,
	`record_id` text NOT NULL,
	`item_id` text,
	`item_level` integer NOT NULL,
	`pickup_branch_id` text NOT NULL,
	`placed_at` integer NOT NULL,
	`status` text NOT NULL,
	`suspended_until` text,
	`waiting_since` integer,
	`shelf_expires_on` text,
	FOREIGN KEY (`patron_id`) REFERENCES `patrons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`record_id`) REFERENCES `records`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE INDEX `holds_record_active` ON `holds` (`record_id`,`placed_at`) WHERE status IN ('pending', 'in_transit', 'waiting');--> statement-breakpoint
CREATE INDEX `holds_item_active` ON `holds` (`item_id`) WHERE status IN ('pending', 'in_transit', 'waiting');--> statement-breakpoint
CREATE INDEX `holds_patron_active` ON `holds` (`patron_id`) WHERE status IN ('pending', 'in_transit', 'waiting');--> statement-breakpoint
CREATE TABLE `in_house_uses` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`branch_id` text NOT NULL,
	`used_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE TABLE `item_types` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`not_for_loan` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `item_types_code_unique` ON `item_types` (`code`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` text PRIMARY KEY NOT NULL,
	`barcode` text NOT NULL,
	`record_id` text NOT NULL,
	`home_branch_id` text NOT NULL,
	`current_branch_id` text NOT NULL,
	`item_type_code` text NOT NULL,
	`status` text NOT NULL,
	`damaged` integer NOT NULL,
	`not_for_loan` integer NOT NULL,
	`replacement_price` integer,
	`transit_to_branch_id` text,
	FOREIGN KEY (`record_id`) REFERENCES `records`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `items_barcode_unique` ON `items` (`barcode`);--> statement-breakpoint
CREATE INDEX `items_record` ON `items` (`record_id`);--> statement-breakpoint
CREATE TABLE `journal` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`station_id` text NOT NULL,
	`hlc` text NOT NULL,
	`wall_time` integer NOT NULL,
	`staff_id` text,
	`branch_id` text NOT NULL,
	`command` text NOT NULL,
	`payload` text NOT NULL,
	`acked_at` integer,
	`outcome` text
) STRICT;
--> statement-breakpoint
CREATE TABLE `loans` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`patron_id` text,
	`branch_id` text NOT NULL,
	`checked_out_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`renewals` integer NOT NULL,
	`last_renewed_at` integer,
	`returned_at` integer,
	`return_branch_id` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patron_id`) REFERENCES `patrons`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `loans_open_item` ON `loans` (`item_id`) WHERE returned_at IS NULL;--> statement-breakpoint
CREATE INDEX `loans_open_patron` ON `loans` (`patron_id`) WHERE returned_at IS NULL;--> statement-breakpoint
CREATE INDEX `loans_returned` ON `loans` (`returned_at`) WHERE returned_at IS NOT NULL AND patron_id IS NOT NULL;--> statement-breakpoint
CREATE TABLE `patron_blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`patron_id` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`until` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`patron_id`) REFERENCES `patrons`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE INDEX `patron_blocks_patron` ON `patron_blocks` (`patron_id`);--> statement-breakpoint
CREATE TABLE `patron_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`card_validity_days` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `patron_categories_code_unique` ON `patron_categories` (`code`);--> statement-breakpoint
CREATE TABLE `patron_limits` (
	`id` text PRIMARY KEY NOT NULL,
	`branch_id` text NOT NULL,
	`category_code` text NOT NULL,
	`total_max_loans` integer,
	`max_holds` integer
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `patron_limits_key` ON `patron_limits` (`branch_id`,`category_code`);--> statement-breakpoint
CREATE TABLE `patrons` (
	`id` text PRIMARY KEY NOT NULL,
	`card_barcode` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`email` text,
	`phone` text,
	`address` text,
	`home_branch_id` text NOT NULL,
	`category_code` text NOT NULL,
	`card_expires_on` text NOT NULL,
	`pin_hash` text,
	`notes` text NOT NULL,
	`keep_reading_history` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`home_branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE INDEX `patrons_card` ON `patrons` (`card_barcode`);--> statement-breakpoint
CREATE TABLE `payment_allocations` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`fee_id` text NOT NULL,
	`amount` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`fee_id`) REFERENCES `fees`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE INDEX `payment_allocations_fee` ON `payment_allocations` (`fee_id`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`patron_id` text NOT NULL,
	`amount` integer NOT NULL,
	`tendered` integer NOT NULL,
	`currency` text NOT NULL,
	`method` text NOT NULL,
	`staff_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`patron_id`) REFERENCES `patrons`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE INDEX `payments_patron` ON `payments` (`patron_id`);--> statement-breakpoint
CREATE TABLE `records` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`author` text,
	`isbn` text,
	`issn` text,
	`publisher` text,
	`year` integer,
	`call_number` text
) STRICT;
--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`staff_id` text,
	`patron_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE TABLE `settings` (
	`id` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
) STRICT;
--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`branch_id` text NOT NULL,
	`password_hash` text NOT NULL,
	`active` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_username_unique` ON `staff` (`username`);--> statement-breakpoint
CREATE TABLE `station_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
) STRICT;
--> statement-breakpoint
CREATE TABLE `sync_exceptions` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`patron_id` text,
	`item_id` text,
	`entry_ids` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text
) STRICT;
