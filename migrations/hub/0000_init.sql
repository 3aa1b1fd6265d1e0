CREATE TABLE "branches" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	CONSTRAINT "branches_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "enrolment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"branch_id" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "exceptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"patron_ids" jsonb NOT NULL,
	"item_id" text,
	"entry_ids" jsonb NOT NULL,
	"branch_ids" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"resolved_at" bigint
);
--> statement-breakpoint
CREATE TABLE "library" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "received" (
	"entry_id" text PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"hlc" text NOT NULL,
	"command" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rows" (
	"table_name" text NOT NULL,
	"id" text NOT NULL,
	"data" jsonb NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"change_seq" bigint NOT NULL,
	CONSTRAINT "rows_table_name_id_pk" PRIMARY KEY("table_name","id")
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"branch_id" text NOT NULL,
	"credential_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seen_at" bigint,
	"clock_offset_ms" bigint
);
--> statement-breakpoint
CREATE UNIQUE INDEX "received_station_seq" ON "received" USING btree ("station_id","seq");--> statement-breakpoint
CREATE INDEX "rows_change_seq" ON "rows" USING btree ("change_seq");