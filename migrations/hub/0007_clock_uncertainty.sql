ALTER TABLE "exceptions" ADD COLUMN "params" jsonb;--> statement-breakpoint
ALTER TABLE "loan_clocks" ADD COLUMN "uncertainty_ms" bigint;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "clock_uncertainty_ms" bigint;