-- Second level of versioned pool snapshots (#17): a pool-digest@2 snapshot may store its block
-- hashes in content-addressed lists (`pool_block_lists`, up to 64 block hashes each, keyed by the
-- SHA-256 of the list) and itself only the hashes of those lists (`block_lists`), so that a
-- revision that changed one expert writes one list and a short top list instead of every block
-- hash (~250 KB at 1,000,000 experts). Hashes are packed, 32 bytes each (bytea), half their hex
-- text; blocks get a packed form too (`packed`; blocks written before keep `records`).
-- Snapshots stored whole (`experts`) or as one level (`blocks`) stay as they are. The pool's
-- digest does not depend on how it is stored.
CREATE TABLE "pool_block_lists" (
	"hash" text PRIMARY KEY NOT NULL,
	"blocks" bytea NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pool_snapshots" ADD COLUMN "block_lists" bytea;
--> statement-breakpoint
ALTER TABLE "pool_blocks" ALTER COLUMN "records" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "pool_blocks" ADD COLUMN "packed" bytea;
--> statement-breakpoint
ALTER TABLE "pool_blocks" ADD CONSTRAINT "pool_blocks_form_check"
  CHECK (num_nonnulls("records", "packed") = 1);
--> statement-breakpoint
ALTER TABLE "pool_snapshots" DROP CONSTRAINT "pool_snapshots_form_check";
--> statement-breakpoint
ALTER TABLE "pool_snapshots" ADD CONSTRAINT "pool_snapshots_form_check"
  CHECK (num_nonnulls("experts", "blocks", "block_lists") = 1);
--> statement-breakpoint
-- Content-addressed exclusion sets (#17): a draw's exclusion record (encoding pool-indices@2)
-- names, per exclusion reason, the pool indices excluded for it; a large set is stored here once,
-- keyed by the SHA-256 of its encoding, and the draw keeps the hash. Draws on the same pool with
-- the same reasons (lapsed terms, age, a task's specialties) share their sets.
CREATE TABLE "exclusion_sets" (
	"hash" text PRIMARY KEY NOT NULL,
	"indices" text NOT NULL
);
