-- Full-text search for the catalogue and for patrons (FTS5, external content, kept in step by
-- triggers), and the guards that make the journal and the audit trail append-only.
-- unicode61 with remove_diacritics folds "José" and "Jose" together; prefix indexes make the
-- desk's search-as-you-type prefix queries fast.
CREATE VIRTUAL TABLE records_fts USING fts5(
  title, author, isbn, issn, call_number,
  content='records', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
  INSERT INTO records_fts(rowid, title, author, isbn, issn, call_number)
  VALUES (new.rowid, new.title, new.author, new.isbn, new.issn, new.call_number);
END;
--> statement-breakpoint
CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, title, author, isbn, issn, call_number)
  VALUES ('delete', old.rowid, old.title, old.author, old.isbn, old.issn, old.call_number);
END;
--> statement-breakpoint
CREATE TRIGGER records_fts_update AFTER UPDATE OF title, author, isbn, issn, call_number ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, title, author, isbn, issn, call_number)
  VALUES ('delete', old.rowid, old.title, old.author, old.isbn, old.issn, old.call_number);
  INSERT INTO records_fts(rowid, title, author, isbn, issn, call_number)
  VALUES (new.rowid, new.title, new.author, new.isbn, new.issn, new.call_number);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE patrons_fts USING fts5(
  first_name, last_name, card_barcode, email, phone,
  content='patrons', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER patrons_fts_insert AFTER INSERT ON patrons BEGIN
  INSERT INTO patrons_fts(rowid, first_name, last_name, card_barcode, email, phone)
  VALUES (new.rowid, new.first_name, new.last_name, new.card_barcode, new.email, new.phone);
END;
--> statement-breakpoint
CREATE TRIGGER patrons_fts_delete AFTER DELETE ON patrons BEGIN
  INSERT INTO patrons_fts(patrons_fts, rowid, first_name, last_name, card_barcode, email, phone)
  VALUES ('delete', old.rowid, old.first_name, old.last_name, old.card_barcode, old.email, old.phone);
END;
--> statement-breakpoint
CREATE TRIGGER patrons_fts_update AFTER UPDATE OF first_name, last_name, card_barcode, email, phone ON patrons BEGIN
  INSERT INTO patrons_fts(patrons_fts, rowid, first_name, last_name, card_barcode, email, phone)
  VALUES ('delete', old.rowid, old.first_name, old.last_name, old.card_barcode, old.email, old.phone);
  INSERT INTO patrons_fts(rowid, first_name, last_name, card_barcode, email, phone)
  VALUES (new.rowid, new.first_name, new.last_name, new.card_barcode, new.email, new.phone);
END;
--> statement-breakpoint
CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal BEGIN
  SELECT RAISE(ABORT, 'the journal is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER journal_append_only_update
BEFORE UPDATE OF seq, id, station_id, hlc, wall_time, staff_id, branch_id, command, payload ON journal BEGIN
  SELECT RAISE(ABORT, 'the journal is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
