ALTER TABLE `journal` ADD `signature` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `sealed_key` text;--> statement-breakpoint
ALTER TABLE `staff` ADD `public_key` text;--> statement-breakpoint
ALTER TABLE `staff` ADD `sealed_key` text;