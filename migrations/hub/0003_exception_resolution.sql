ALTER TABLE "exceptions" ADD COLUMN "resolved_by" text;--> statement-breakpoint
ALTER TABLE "exceptions" ADD COLUMN "resolution_note" text;--> statement-breakpoint
ALTER TABLE "exceptions" ADD COLUMN "change_seq" bigint;--> statement-breakpoint
CREATE INDEX "exceptions_change_seq" ON "exceptions" USING btree ("change_seq");--> statement-breakpoint
-- Written by hand (drizzle-kit does not describe sequences' use in triggers): the exceptions
-- feed's cursor. Every insert and update (a new exception, a resolution) takes the next number
-- under an advisory lock held until its transaction commits, so numbers become visible in order
-- and a station's cursor never passes one that commits late.
CREATE SEQUENCE IF NOT EXISTS exception_seq;--> statement-breakpoint
UPDATE "exceptions" SET "change_seq" = nextval('exception_seq') WHERE "change_seq" IS NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION exceptions_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7403);
  NEW.change_seq := nextval('exception_seq');
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER exceptions_stamp BEFORE INSERT OR UPDATE ON "exceptions" FOR EACH ROW EXECUTE FUNCTION exceptions_stamp();
