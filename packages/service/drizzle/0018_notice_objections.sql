-- 公示 and 公告 (issue 15, 第十条（四）（五）, 第十一条). An objection (异议) is lodged by anyone against
-- an expert's public notice, identified by the expert and the notice's first working day; an
-- admin settles it with a written outcome. The contact is kept for the reply and never shown
-- publicly. An announcement is the public record of an appointment or a renewal.
CREATE TABLE "notice_objections" (
	"id" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"notice_start" date NOT NULL,
	"notice_end" date NOT NULL,
	"name" text NOT NULL,
	"contact" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome_reason" text,
	"settled_by_key_id" text,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notice_objections_status_check" CHECK ("notice_objections"."status" in ('open','upheld','dismissed')),
	CONSTRAINT "notice_objections_settled_check" CHECK (("notice_objections"."status" = 'open') = ("notice_objections"."settled_at" is null))
);
--> statement-breakpoint
ALTER TABLE "notice_objections" ADD CONSTRAINT "notice_objections_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notice_objections_notice_idx" ON "notice_objections" USING btree ("expert_id","notice_start");--> statement-breakpoint
CREATE INDEX "notice_objections_open_idx" ON "notice_objections" USING btree ("status","created_at");--> statement-breakpoint
CREATE TABLE "public_announcements" (
	"id" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"kind" text NOT NULL,
	"announced_on" date NOT NULL,
	"term_from" date NOT NULL,
	"term_to" date NOT NULL,
	"notice_start" date NOT NULL,
	"notice_end" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "public_announcements_kind_check" CHECK ("public_announcements"."kind" in ('appointment','renewal'))
);
--> statement-breakpoint
ALTER TABLE "public_announcements" ADD CONSTRAINT "public_announcements_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "public_announcements_order_idx" ON "public_announcements" USING btree ("announced_on","id");
