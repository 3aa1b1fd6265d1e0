CREATE TABLE `export_marks` (
	`format` text NOT NULL,
	`seq` integer NOT NULL,
	`exported_at` integer NOT NULL,
	PRIMARY KEY(`format`, `seq`)
) STRICT;
--> statement-breakpoint
ALTER TABLE `records` ADD `edition` text;--> statement-breakpoint
ALTER TABLE `records` ADD `subjects` text;--> statement-breakpoint
ALTER TABLE `records` ADD `control_number` text;--> statement-breakpoint
ALTER TABLE `records` ADD `marc` text;--> statement-breakpoint
CREATE INDEX `records_control_number` ON `records` (`control_number`);--> statement-breakpoint
CREATE INDEX `records_isbn` ON `records` (`isbn`);--> statement-breakpoint
-- Keyword search also finds a record by its subjects (MARC 6XX): the index is made again with
-- that column, and filled from the records already there.
DROP TRIGGER records_fts_insert;--> statement-breakpoint
DROP TRIGGER records_fts_delete;--> statement-breakpoint
DROP TRIGGER records_fts_update;--> statement-breakpoint
DROP TABLE records_fts;--> statement-breakpoint
CREATE VIRTUAL TABLE records_fts USING fts5(
  title, author, isbn, issn, call_number, subjects,
  content='records', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);--> statement-breakpoint
CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
  INSERT INTO records_fts(rowid, title, author, isbn, issn, call_number, subjects)
  VALUES (new.rowid, new.title, new.author, new.isbn, new.issn, new.call_number, new.subjects);
END;--> statement-breakpoint
CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, title, author, isbn, issn, call_number, subjects)
  VALUES ('delete', old.rowid, old.title, old.author, old.isbn, old.issn, old.call_number, old.subjects);
END;--> statement-breakpoint
CREATE TRIGGER records_fts_update AFTER UPDATE OF title, author, isbn, issn, call_number, subjects ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, title, author, isbn, issn, call_number, subjects)
  VALUES ('delete', old.rowid, old.title, old.author, old.isbn, old.issn, old.call_number, old.subjects);
  INSERT INTO records_fts(rowid, title, author, isbn, issn, call_number, subjects)
  VALUES (new.rowid, new.title, new.author, new.isbn, new.issn, new.call_number, new.subjects);
END;--> statement-breakpoint
INSERT INTO records_fts(records_fts) VALUES ('rebuild');
