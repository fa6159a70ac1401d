ALTER TABLE "pool_snapshots" ALTER COLUMN "history" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "input" jsonb NOT NULL;