-- Which experts changed at which pool revision (#17): a process that holds the pool prepared at
-- revision r applies only the experts logged in (r, R] instead of reloading the whole pool.
-- Written by the same deferred trigger that counts the revision, at the commit of the change.
-- `linked`: the record shared, before or after the change, a resident ID number or a name and
-- birth date with another record, so who is the same person (loadPersonIds) may have changed
-- for other records too; a process reloads the whole pool then. A TRUNCATE counts the revision
-- up with nothing logged, and old entries are pruned: a revision without entries means reload.
CREATE TABLE "pool_changes" (
	"revision" bigint NOT NULL,
	"expert_id" text NOT NULL,
	"linked" boolean NOT NULL,
	CONSTRAINT "pool_changes_pk" PRIMARY KEY ("revision", "expert_id")
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "note_pool_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rev bigint;
  changed text;
  shares boolean := false;
BEGIN
  IF current_setting('expert_dispatch.pool_noted', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('expert_dispatch.pool_noted', txid_current()::text, true);
    UPDATE "pool_revision" SET "revision" = "revision" + 1 WHERE "id" = 1 RETURNING "revision" INTO rev;
    -- Keep about the last 10,000 revisions; a process further behind reloads the pool.
    IF rev % 1000 = 0 THEN
      DELETE FROM "pool_changes" WHERE "revision" <= rev - 10000;
    END IF;
  ELSE
    SELECT "revision" INTO rev FROM "pool_revision" WHERE "id" = 1;
  END IF;
  IF TG_OP = 'DELETE' THEN
    changed := OLD."id";
  ELSE
    changed := NEW."id";
    shares := EXISTS (
      SELECT 1 FROM "experts" o
       WHERE o."id" <> NEW."id"
         AND ((NEW."id_number" IS NOT NULL AND o."id_number" = NEW."id_number")
              OR (o."name" = NEW."name" AND o."birth_date" = NEW."birth_date")));
  END IF;
  IF TG_OP <> 'INSERT' AND NOT shares THEN
    shares := EXISTS (
      SELECT 1 FROM "experts" o
       WHERE o."id" <> OLD."id"
         AND ((OLD."id_number" IS NOT NULL AND o."id_number" = OLD."id_number")
              OR (o."name" = OLD."name" AND o."birth_date" = OLD."birth_date")));
  END IF;
  INSERT INTO "pool_changes" ("revision", "expert_id", "linked") VALUES (rev, changed, shares)
    ON CONFLICT ("revision", "expert_id")
    DO UPDATE SET "linked" = "pool_changes"."linked" OR excluded."linked";
  IF TG_OP = 'UPDATE' AND OLD."id" <> NEW."id" THEN
    INSERT INTO "pool_changes" ("revision", "expert_id", "linked") VALUES (rev, OLD."id", shares)
      ON CONFLICT ("revision", "expert_id")
      DO UPDATE SET "linked" = "pool_changes"."linked" OR excluded."linked";
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Versioned pool snapshots (#17): a draw's pool under the pool-digest@2 tree is stored as the
-- hashes of its blocks; each block (256 record hashes) and each record version once, by hash.
-- Snapshots stored whole before (experts) stay as they are and are read as before.
CREATE TABLE "expert_versions" (
	"hash" text PRIMARY KEY NOT NULL,
	"record" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pool_blocks" (
	"hash" text PRIMARY KEY NOT NULL,
	"records" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pool_snapshots" ALTER COLUMN "experts" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "pool_snapshots" ADD COLUMN "blocks" text[];
--> statement-breakpoint
ALTER TABLE "pool_snapshots" ADD CONSTRAINT "pool_snapshots_form_check"
  CHECK (("experts" IS NULL) <> ("blocks" IS NULL));
