-- Audit chains per authority (#17): one hash chain and one head row per chain, so that audited
-- writes of different authorities never queue on the same row lock. A chain is named
-- 'authority:<id>' (entries whose actor has an authority), 'system' (entries of no authority:
-- the CLI, scheduled jobs) or 'legacy': the single chain written before this migration, kept as
-- it was hashed and signed — no entry is rewritten — and closed (nothing is appended to it again).
-- Its head stays in audit_head (closed_at set), and the first checkpoint after this migration
-- signs that head if no checkpoint had, in the form legacy checkpoints were signed in.
ALTER TABLE "audit_log" ADD COLUMN "chain" text DEFAULT 'legacy' NOT NULL;
--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain" DROP DEFAULT;
--> statement-breakpoint
-- The entry's place in its chain. Legacy entries have none stored: their place is their seq (the
-- one chain was numbered 1, 2, 3, … by seq), so that no row of the append-only log is updated.
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;
--> statement-breakpoint
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_hash_version_check";
--> statement-breakpoint
-- Version 3 hashes the chain and the place in it (not seq, which is only the listing order).
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_hash_version_check" CHECK ("audit_log"."hash_version" in (1, 2, 3));
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_chain_check" CHECK (("audit_log"."chain" = 'legacy') = ("audit_log"."hash_version" in (1, 2)) AND ("audit_log"."chain" = 'legacy') = ("audit_log"."chain_seq" IS NULL));
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_position_idx" ON "audit_log" ("chain", (coalesce("chain_seq", "seq")));
--> statement-breakpoint
-- seq: a number for listing in order, from a sequence (no lock), no longer a chain position.
CREATE SEQUENCE "audit_log_seq_seq" AS bigint OWNED BY "audit_log"."seq";
--> statement-breakpoint
SELECT setval('audit_log_seq_seq', coalesce(max("seq"), 0) + 1, false) FROM "audit_log";
--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET DEFAULT nextval('audit_log_seq_seq');
--> statement-breakpoint
-- One head per chain; the single row of 0007 becomes the legacy chain's, closed.
ALTER TABLE "audit_head" DROP CONSTRAINT "audit_head_single_row";
--> statement-breakpoint
ALTER TABLE "audit_head" ADD COLUMN "chain" text DEFAULT 'legacy' NOT NULL;
--> statement-breakpoint
ALTER TABLE "audit_head" ALTER COLUMN "chain" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "audit_head" ADD COLUMN "closed_at" timestamp with time zone;
--> statement-breakpoint
UPDATE "audit_head" SET "closed_at" = now() WHERE "chain" = 'legacy';
--> statement-breakpoint
ALTER TABLE "audit_head" DROP CONSTRAINT "audit_head_pkey";
--> statement-breakpoint
ALTER TABLE "audit_head" DROP COLUMN "id";
--> statement-breakpoint
ALTER TABLE "audit_head" ADD CONSTRAINT "audit_head_pkey" PRIMARY KEY ("chain");
--> statement-breakpoint
ALTER TABLE "audit_head" ADD CONSTRAINT "audit_head_legacy_closed_check" CHECK ("audit_head"."chain" <> 'legacy' OR "audit_head"."closed_at" IS NOT NULL);
--> statement-breakpoint
-- Checkpoints sign one chain's head each; those taken before are the legacy chain's.
ALTER TABLE "audit_checkpoints" ADD COLUMN "chain" text DEFAULT 'legacy' NOT NULL;
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ALTER COLUMN "chain" DROP DEFAULT;
--> statement-breakpoint
DROP INDEX "audit_checkpoints_seq_idx";
--> statement-breakpoint
CREATE INDEX "audit_checkpoints_chain_seq_idx" ON "audit_checkpoints" ("chain", "seq");
