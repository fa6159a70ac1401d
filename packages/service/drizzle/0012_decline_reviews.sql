-- 正当理由认定 (issue 13): whether a claimed decline reason is 正当 is the department's decision
-- (第二十三条（一）). One decision per invitation (seat); the audit chain keeps who made it.
CREATE TABLE "decline_reviews" (
	"seat_id" bigint PRIMARY KEY NOT NULL,
	"decision" text NOT NULL,
	"note" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "decline_reviews_decision_check" CHECK ("decline_reviews"."decision" in ('justified','unjustified')),
	CONSTRAINT "decline_reviews_note_check" CHECK (char_length("decline_reviews"."note") between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "decline_reviews" ADD CONSTRAINT "decline_reviews_seat_id_panel_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."panel_seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- 通报 (第二十三条): where a warning, interview or dismissal is told to the employer and the
-- recommending unit. A contact is a channel and an address, as an expert's contacts are.
ALTER TABLE "organizations" ADD COLUMN "contact" jsonb;--> statement-breakpoint
ALTER TABLE "authorities" ADD COLUMN "contact" jsonb;--> statement-breakpoint
CREATE TABLE "conduct_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"action" text NOT NULL,
	"article" text NOT NULL,
	"recipient" text NOT NULL,
	"recipient_name" text NOT NULL,
	"notice_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conduct_notifications_recipient_check" CHECK ("conduct_notifications"."recipient" in ('employer','recommending_unit'))
);
--> statement-breakpoint
ALTER TABLE "conduct_notifications" ADD CONSTRAINT "conduct_notifications_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conduct_notifications" ADD CONSTRAINT "conduct_notifications_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conduct_notifications_expert_idx" ON "conduct_notifications" USING btree ("expert_id","created_at");
