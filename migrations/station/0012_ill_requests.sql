CREATE TABLE `ill_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`direction` text NOT NULL,
	`status` text NOT NULL,
	`branch_id` text NOT NULL,
	`patron_id` text,
	`title` text NOT NULL,
	`author` text,
	`isbn` text,
	`partner_name` text NOT NULL,
	`partner_agency_id` text NOT NULL,
	`need_by` text,
	`requesting_request_id` text NOT NULL,
	`record_id` text,
	`item_id` text,
	`lender_due_on` text,
	`note` text,
	`history` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
) STRICT;
--> statement-breakpoint
CREATE INDEX `ill_requests_status` ON `ill_requests` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `ill_requests_item` ON `ill_requests` (`item_id`) WHERE item_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ill_requests_patron` ON `ill_requests` (`patron_id`) WHERE patron_id IS NOT NULL;