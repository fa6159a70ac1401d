-- Seat outcomes (issue 13): a notification that reached no one (`undeliverable`) and an
-- acceptance taken back (`withdrawn`, 第十五条) are states of their own. Neither holds the
-- expert, so the no-double-booking exclusion constraint's predicate (invited, accepted) stays.
ALTER TABLE "panel_seats" DROP CONSTRAINT "panel_seats_state_check";--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_state_check" CHECK ("panel_seats"."state" in ('reserve','invited','accepted','declined','timed_out','undeliverable','withdrawn','released','replaced','waitlisted'));--> statement-breakpoint
ALTER TABLE "panel_seats" ADD COLUMN "decline_note" text;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD COLUMN "reply_channel" text;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD COLUMN "replied_by" text;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_decline_note_check" CHECK (char_length("panel_seats"."decline_note") <= 500);--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_reply_channel_check" CHECK ("panel_seats"."reply_channel" in ('link','sms','phone','api'));--> statement-breakpoint
-- A draw reads withdrawals with the other answers (load-history.ts spells out the same states).
DROP INDEX "panel_seats_answered_idx";--> statement-breakpoint
CREATE INDEX "panel_seats_answered_idx" ON "panel_seats" USING btree ("updated_at") WHERE "panel_seats"."state" in ('accepted','declined','timed_out','withdrawn');--> statement-breakpoint
-- The first receipt of seats notified before this migration.
UPDATE "panel_seats" SET "delivered_at" = "deliveries"."sent_at" FROM "deliveries" WHERE "deliveries"."seat_id" = "panel_seats"."id" AND "deliveries"."sent_at" IS NOT NULL;--> statement-breakpoint
-- A time-out whose notification never reached the expert was the system's failure, not theirs.
UPDATE "panel_seats" SET "state" = 'undeliverable' FROM "deliveries" WHERE "deliveries"."seat_id" = "panel_seats"."id" AND "panel_seats"."state" = 'timed_out' AND "deliveries"."state" = 'failed' AND "deliveries"."sent_at" IS NULL;
