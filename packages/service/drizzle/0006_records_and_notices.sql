CREATE TABLE "notices" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"expert_id" text,
	"task_id" text,
	"contact" jsonb,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"channel" text,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notices_state_check" CHECK ("notices"."state" in ('pending','sending','sent','failed')),
	CONSTRAINT "notices_recipient_check" CHECK ("notices"."expert_id" is not null or "notices"."contact" is not null)
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"seat_id" bigint NOT NULL,
	"expert_id" text NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"source" text NOT NULL,
	"rated_by_key_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ratings_score_check" CHECK ("ratings"."score" between 1 and 5),
	CONSTRAINT "ratings_source_check" CHECK ("ratings"."source" in ('link','api'))
);
--> statement-breakpoint
CREATE TABLE "recommendations" (
	"id" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"from_authority_id" text NOT NULL,
	"to_tier" text NOT NULL,
	"state" text NOT NULL,
	"reason" text NOT NULL,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recommendations_to_tier_check" CHECK ("recommendations"."to_tier" in ('province','city')),
	CONSTRAINT "recommendations_state_check" CHECK ("recommendations"."state" in ('pending','approved','rejected','withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "scheduled_runs" (
	"job" text NOT NULL,
	"period" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"result" jsonb,
	CONSTRAINT "scheduled_runs_job_period_pk" PRIMARY KEY("job","period")
);
--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_kind_check";--> statement-breakpoint
ALTER TABLE "panel_seats" DROP CONSTRAINT "panel_seats_state_check";--> statement-breakpoint
ALTER TABLE "authorities" ADD COLUMN "rule_set_overrides" jsonb;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD COLUMN "attendance" text;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD COLUMN "attendance_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "rating_contact" jsonb;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_seat_id_panel_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."panel_seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_from_authority_id_authorities_id_fk" FOREIGN KEY ("from_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notices_expert_idx" ON "notices" USING btree ("expert_id","created_at");--> statement-breakpoint
CREATE INDEX "notices_task_idx" ON "notices" USING btree ("task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ratings_task_expert_idx" ON "ratings" USING btree ("task_id","expert_id");--> statement-breakpoint
CREATE INDEX "ratings_expert_idx" ON "ratings" USING btree ("expert_id","created_at");--> statement-breakpoint
CREATE INDEX "recommendations_state_idx" ON "recommendations" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "recommendations_expert_idx" ON "recommendations" USING btree ("expert_id");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_kind_check" CHECK ("outbox"."kind" in ('deliver_invitation','invitation_deadline','task_callback','deliver_notice','scheduled_job'));--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_attendance_check" CHECK ("panel_seats"."attendance" in ('attended','no_show'));--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_state_check" CHECK ("panel_seats"."state" in ('reserve','invited','accepted','declined','timed_out','released','replaced','waitlisted'));