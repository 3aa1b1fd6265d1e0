-- Patron search finds a phone number by its digits however it was written: "5551234" finds
-- (555) 123-4567. The index gets a sixth column, the phone's digits in one run, which the
-- patrons table does not have: so the index becomes contentless (it keeps only what it needs to
-- match and rank; the search reads the patron rows themselves), with contentless_delete so the
-- triggers can take a patron out of it. The digits are the phone without the separators people
-- write: spaces, - . ( ) + and /.
DROP TRIGGER patrons_fts_insert;
--> statement-breakpoint
DROP TRIGGER patrons_fts_delete;
--> statement-breakpoint
DROP TRIGGER patrons_fts_update;
--> statement-breakpoint
DROP TABLE patrons_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE patrons_fts USING fts5(
  first_name, last_name, card_barcode, email, phone, phone_digits,
  content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
INSERT INTO patrons_fts(rowid, first_name, last_name, card_barcode, email, phone, phone_digits)
SELECT rowid, first_name, last_name, card_barcode, email, phone, replace(replace(replace(replace(replace(replace(replace(coalesce(phone, ''), ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''), '/', '') FROM patrons;
--> statement-breakpoint
CREATE TRIGGER patrons_fts_insert AFTER INSERT ON patrons BEGIN
  INSERT INTO patrons_fts(rowid, first_name, last_name, card_barcode, email, phone, phone_digits)
  VALUES (new.rowid, new.first_name, new.last_name, new.card_barcode, new.email, new.phone, replace(replace(replace(replace(replace(replace(replace(coalesce(new.phone, ''), ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''), '/', ''));
END;
--> statement-breakpoint
CREATE TRIGGER patrons_fts_delete AFTER DELETE ON patrons BEGIN
  DELETE FROM patrons_fts WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER patrons_fts_update AFTER UPDATE OF first_name, last_name, card_barcode, email, phone ON patrons BEGIN
  DELETE FROM patrons_fts WHERE rowid = old.rowid;
  INSERT INTO patrons_fts(rowid, first_name, last_name, card_barcode, email, phone, phone_digits)
  VALUES (new.rowid, new.first_name, new.last_name, new.card_barcode, new.email, new.phone, replace(replace(replace(replace(replace(replace(replace(coalesce(new.phone, ''), ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''), '/', ''));
END;
