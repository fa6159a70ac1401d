CREATE TABLE "pool_revision" (
	"id" integer PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL,
	CONSTRAINT "pool_revision_single_row" CHECK ("pool_revision"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "panel_seats_answered_idx" ON "panel_seats" USING btree ("updated_at") WHERE "panel_seats"."state" in ('accepted','declined','timed_out');--> statement-breakpoint
CREATE INDEX "ratings_created_idx" ON "ratings" USING btree ("created_at");--> statement-breakpoint
INSERT INTO "pool_revision" ("id", "revision") VALUES (1, 1);
--> statement-breakpoint
-- Counts the pool up once per transaction that changed an expert. Deferred to the commit, so
-- the row lock is the last one such a transaction takes: two writers of experts queue on it
-- but can never deadlock over it. A draw that reads the old revision read the old experts too.
CREATE FUNCTION "note_pool_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('expert_dispatch.pool_noted', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('expert_dispatch.pool_noted', txid_current()::text, true);
    UPDATE "pool_revision" SET "revision" = "revision" + 1 WHERE "id" = 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "experts_pool_revision"
  AFTER INSERT OR UPDATE OR DELETE ON "experts"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "note_pool_change"();
--> statement-breakpoint
CREATE FUNCTION "note_pool_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "pool_revision" SET "revision" = "revision" + 1 WHERE "id" = 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "experts_pool_revision_truncate"
  AFTER TRUNCATE ON "experts"
  FOR EACH STATEMENT EXECUTE FUNCTION "note_pool_truncate"();
