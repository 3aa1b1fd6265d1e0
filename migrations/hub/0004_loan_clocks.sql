CREATE TABLE "loan_clocks" (
	"loan_id" text PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"clock_offset_ms" bigint NOT NULL
);
