-- History counters by reference (#17): every change to a counter of `expert_history_counts`
-- (migration 0024) is also appended here, with the top-level transaction that made it
-- (pg_current_xact_id: a savepoint's rows carry the transaction's id, and roll back with it).
-- A draw then stores the PostgreSQL snapshot it read the counters under instead of the
-- counters (O(pool): 3.4 MB at 100,000 experts): the counters it saw are exactly the sum of the
-- changes whose transaction is visible in that snapshot (pg_visible_in_snapshot), and the draw's
-- input digest proves the sum. A process also keeps the counters of its last read and applies
-- only the changes its snapshot did not see. Append-only: a replay needs every entry, so
-- entries are never updated nor deleted.
CREATE TABLE "history_count_changes" (
	"id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	"xid" xid8 DEFAULT pg_current_xact_id() NOT NULL,
	"expert_id" text NOT NULL,
	"key" text NOT NULL,
	"delta" integer NOT NULL
);
--> statement-breakpoint
-- The incremental read asks for the transactions from a snapshot's xmin on.
CREATE INDEX "history_count_changes_xid_idx" ON "history_count_changes" ("xid");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "history_count_add"(expert text, key text, delta int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "expert_history_counts" AS h ("expert_id", "counts")
  VALUES (expert, jsonb_build_object(key, delta))
  ON CONFLICT ("expert_id") DO UPDATE SET
    "counts" = CASE
      WHEN coalesce((h."counts" ->> key)::int, 0) + delta = 0 THEN h."counts" - key
      ELSE jsonb_set(h."counts", ARRAY[key], to_jsonb(coalesce((h."counts" ->> key)::int, 0) + delta))
    END,
    "updated_at" = now();
  INSERT INTO "history_count_changes" ("expert_id", "key", "delta") VALUES (expert, key, delta);
END $$;
--> statement-breakpoint
-- The rebuild (after a TRUNCATE) logs what it changes: each counter's new value less its old.
CREATE OR REPLACE FUNCTION "rebuild_history_counts"() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE "history_counts_rebuilt" ON COMMIT DROP AS
  SELECT "expert_id", "key", sum("n")::int AS "n"
    FROM (
      SELECT s."expert_id", k."key", count(*)::int AS "n"
        FROM "panel_seats" s
        LEFT JOIN "decline_reviews" r ON r."seat_id" = s."id"
        CROSS JOIN LATERAL unnest(seat_history_keys(s, r."decision")) AS k("key")
       GROUP BY 1, 2
      UNION ALL
      SELECT "expert_id", to_char(history_date("created_at"), 'YYYY-MM-DD') || '/rating:' || "score",
             count(*)::int
        FROM "ratings"
       GROUP BY 1, 2
    ) AS c
   GROUP BY 1, 2;
  INSERT INTO "history_count_changes" ("expert_id", "key", "delta")
  SELECT coalesce(f."expert_id", o."expert_id"), coalesce(f."key", o."key"),
         coalesce(f."n", 0) - coalesce(o."n", 0)
    FROM "history_counts_rebuilt" f
    FULL JOIN (
      SELECT h."expert_id", c."key", c."value"::int AS "n"
        FROM "expert_history_counts" h
        CROSS JOIN LATERAL jsonb_each_text(h."counts") AS c
    ) o ON o."expert_id" = f."expert_id" AND o."key" = f."key"
   WHERE coalesce(f."n", 0) <> coalesce(o."n", 0);
  DELETE FROM "expert_history_counts";
  INSERT INTO "expert_history_counts" ("expert_id", "counts")
  SELECT "expert_id", jsonb_object_agg("key", "n") FROM "history_counts_rebuilt" GROUP BY "expert_id";
  DROP TABLE "history_counts_rebuilt";
END $$;
--> statement-breakpoint
-- The counters as they stand, as one initial entry set.
INSERT INTO "history_count_changes" ("expert_id", "key", "delta")
SELECT h."expert_id", c."key", c."value"::int
  FROM "expert_history_counts" h
  CROSS JOIN LATERAL jsonb_each_text(h."counts") AS c;
