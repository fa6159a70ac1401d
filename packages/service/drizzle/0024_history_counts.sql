-- History as counters (#17 item 3): each expert's answers, attendance and ratings as daily
-- counters, kept up to date by triggers in the transaction that writes the seat, the department's
-- decision on a decline, or the rating, so that a draw reads one small row per expert instead of
-- every answered seat of its look-back. The counters are exactly what the matcher's countHistory
-- makes of the records the draw used to read (tasks/load-history.ts): per seat, on the
-- Asia/Shanghai date of the answer (for an accepted seat with attendance, the earlier of the
-- answer and the attendance record), `accepted`, `attended`, `no_show`, `timed_out`, or
-- `declined:<claimed reason>:<decision>` (withdrawals read as declines); per rating,
-- `rating:<score>` on its date. Keys are 'YYYY-MM-DD/<kind>', values the counts.
CREATE TABLE "expert_history_counts" (
	"expert_id" text PRIMARY KEY NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- The Asia/Shanghai date (UTC+8, no daylight saving) of an instant read at millisecond precision,
-- as the service reads it (rounded epoch milliseconds, then toShanghaiDate).
CREATE FUNCTION "history_date"(at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  select date '1970-01-01'
    + floor((round(extract(epoch from at) * 1000) + 28800000) / 86400000)::int
$$;
--> statement-breakpoint
-- The counter keys of one seat given the department's decision on its decline (none for a seat
-- not answered: invited, reserve, released, replaced, waitlisted, undeliverable).
CREATE FUNCTION "seat_history_keys"(seat "panel_seats", review text) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
  day date;
  kinds text[] := '{}';
BEGIN
  IF seat."state" NOT IN ('accepted', 'declined', 'timed_out', 'withdrawn') THEN
    RETURN '{}';
  END IF;
  day := history_date(coalesce(seat."replied_at", seat."updated_at"));
  IF seat."state" = 'accepted' THEN
    kinds := kinds || 'accepted'::text;
    IF seat."attendance" IS NOT NULL THEN
      day := least(day, history_date(coalesce(seat."attendance_recorded_at", seat."updated_at")));
      kinds := kinds || seat."attendance";
    END IF;
  ELSIF seat."state" = 'timed_out' THEN
    kinds := kinds || 'timed_out'::text;
  ELSE
    kinds := kinds || ('declined:' || coalesce(seat."decline_reason", '') || ':' || coalesce(review, ''));
  END IF;
  RETURN array(select to_char(day, 'YYYY-MM-DD') || '/' || kind from unnest(kinds) as kind);
END $$;
--> statement-breakpoint
CREATE FUNCTION "history_count_add"(expert text, key text, delta int) RETURNS void
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
END $$;
--> statement-breakpoint
-- Takes back what a seat counted before and counts what it counts now; nothing is written when
-- the update changed nothing the counters read (most seat updates).
CREATE FUNCTION "panel_seats_count_history"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  before text[] := '{}';
  after text[] := '{}';
  key text;
BEGIN
  -- Only a decline has a decision to look up (a new seat, invited or reserve, has none).
  IF TG_OP <> 'INSERT' THEN
    before := seat_history_keys(OLD, CASE WHEN OLD."state" IN ('declined', 'withdrawn') THEN
      (select "decision" from "decline_reviews" where "seat_id" = OLD."id") END);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    after := seat_history_keys(NEW, CASE WHEN NEW."state" IN ('declined', 'withdrawn') THEN
      (select "decision" from "decline_reviews" where "seat_id" = NEW."id") END);
  END IF;
  IF TG_OP = 'UPDATE' AND OLD."expert_id" = NEW."expert_id" AND before = after THEN
    RETURN NULL;
  END IF;
  FOREACH key IN ARRAY before LOOP PERFORM history_count_add(OLD."expert_id", key, -1); END LOOP;
  FOREACH key IN ARRAY after LOOP PERFORM history_count_add(NEW."expert_id", key, 1); END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "panel_seats_history_counts" AFTER INSERT OR UPDATE OR DELETE ON "panel_seats"
  FOR EACH ROW EXECUTE FUNCTION "panel_seats_count_history"();
--> statement-breakpoint
-- 正当理由认定 (第二十三条（一）) changes how the seat's decline counts: what the seat counted
-- with the decision before (none for a new one) is taken back, what it counts with the decision
-- after (none once deleted) is counted.
CREATE FUNCTION "decline_reviews_count_history"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  seat "panel_seats";
  key text;
BEGIN
  SELECT * INTO seat FROM "panel_seats"
   WHERE "id" = CASE WHEN TG_OP = 'DELETE' THEN OLD."seat_id" ELSE NEW."seat_id" END;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  FOREACH key IN ARRAY seat_history_keys(seat, CASE WHEN TG_OP <> 'INSERT' THEN OLD."decision" END) LOOP
    PERFORM history_count_add(seat."expert_id", key, -1);
  END LOOP;
  FOREACH key IN ARRAY seat_history_keys(seat, CASE WHEN TG_OP <> 'DELETE' THEN NEW."decision" END) LOOP
    PERFORM history_count_add(seat."expert_id", key, 1);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "decline_reviews_history_counts" AFTER INSERT OR UPDATE OR DELETE ON "decline_reviews"
  FOR EACH ROW EXECUTE FUNCTION "decline_reviews_count_history"();
--> statement-breakpoint
-- 服务评价 (第二十条（二）): a rating counts on its own date by score.
CREATE FUNCTION "ratings_count_history"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM history_count_add(OLD."expert_id",
      to_char(history_date(OLD."created_at"), 'YYYY-MM-DD') || '/rating:' || OLD."score", -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM history_count_add(NEW."expert_id",
      to_char(history_date(NEW."created_at"), 'YYYY-MM-DD') || '/rating:' || NEW."score", 1);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "ratings_history_counts" AFTER INSERT OR UPDATE OR DELETE ON "ratings"
  FOR EACH ROW EXECUTE FUNCTION "ratings_count_history"();
--> statement-breakpoint
-- Every counter from the seats, decisions and ratings as they stand: the backfill below, and
-- after a TRUNCATE of any of them (row triggers do not fire then).
CREATE FUNCTION "rebuild_history_counts"() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "expert_history_counts";
  INSERT INTO "expert_history_counts" ("expert_id", "counts")
  SELECT "expert_id", jsonb_object_agg("key", "n")
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
   GROUP BY "expert_id";
END $$;
--> statement-breakpoint
CREATE FUNCTION "history_counts_truncated"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rebuild_history_counts();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "panel_seats_history_counts_truncate" AFTER TRUNCATE ON "panel_seats"
  FOR EACH STATEMENT EXECUTE FUNCTION "history_counts_truncated"();
--> statement-breakpoint
CREATE TRIGGER "decline_reviews_history_counts_truncate" AFTER TRUNCATE ON "decline_reviews"
  FOR EACH STATEMENT EXECUTE FUNCTION "history_counts_truncated"();
--> statement-breakpoint
CREATE TRIGGER "ratings_history_counts_truncate" AFTER TRUNCATE ON "ratings"
  FOR EACH STATEMENT EXECUTE FUNCTION "history_counts_truncated"();
--> statement-breakpoint
SELECT rebuild_history_counts();
