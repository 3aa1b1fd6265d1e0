CREATE TABLE `journal_secrets` (
	`digest` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
) STRICT;
