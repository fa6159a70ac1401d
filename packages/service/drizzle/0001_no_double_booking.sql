-- No expert is booked into two overlapping windows (half-open [from, to)), whatever the
-- concurrency: a seat that holds (invited or accepted, not an alternate) excludes every other
-- holding seat of the same expert whose window overlaps. btree_gist is a trusted extension.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_no_double_booking" EXCLUDE USING gist (
  "expert_id" WITH =,
  tstzrange("window_from", "window_to", '[)') WITH &&
) WHERE ("state" IN ('invited', 'accepted') AND "role" <> 'alternate');
