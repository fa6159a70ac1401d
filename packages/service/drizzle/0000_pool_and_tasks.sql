CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"role" text NOT NULL,
	"label" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('admin','dispatcher','auditor','viewer'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_key_id" text,
	"actor_authority_id" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"reason" text,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authorities" (
	"id" text PRIMARY KEY NOT NULL,
	"tier" text NOT NULL,
	"region" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "authorities_tier_check" CHECK ("authorities"."tier" in ('province','city','county'))
);
--> statement-breakpoint
CREATE TABLE "draws" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"pool_snapshot_digest" text NOT NULL,
	"rule_set_id" text NOT NULL,
	"rule_set_version" text NOT NULL,
	"policy" jsonb NOT NULL,
	"seed" text NOT NULL,
	"input_digest" text NOT NULL,
	"result" jsonb NOT NULL,
	"exclusions" jsonb NOT NULL,
	"reason" text,
	"created_by" text NOT NULL,
	"created_by_authority_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experts" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_authority_id" text NOT NULL,
	"name" text NOT NULL,
	"birth_date" date NOT NULL,
	"phone" text NOT NULL,
	"id_number" text,
	"title" text NOT NULL,
	"safety_engineer" text,
	"practice_years" integer NOT NULL,
	"employer_id" text NOT NULL,
	"employer_name" text NOT NULL,
	"employer_kind" text NOT NULL,
	"region" text NOT NULL,
	"tier" text NOT NULL,
	"group" text NOT NULL,
	"industries" jsonb NOT NULL,
	"specialties" jsonb NOT NULL,
	"status" text NOT NULL,
	"appointment" jsonb,
	"outstanding" boolean NOT NULL,
	"age_waiver" boolean NOT NULL,
	"disqualified_on" date,
	"profile_updated_at" timestamp with time zone NOT NULL,
	"conflicts" jsonb NOT NULL,
	"unavailable" jsonb NOT NULL,
	"warnings" jsonb,
	"review_approved_at" timestamp with time zone,
	"public_notice" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text NOT NULL,
	"authority_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_authority_id_key_pk" PRIMARY KEY("authority_id","key")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "panel_seats" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "panel_seats_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"task_id" text NOT NULL,
	"draw_id" text NOT NULL,
	"expert_id" text NOT NULL,
	"role" text NOT NULL,
	"rank" integer NOT NULL,
	"state" text NOT NULL,
	"decline_reason" text,
	"window_from" timestamp with time zone NOT NULL,
	"window_to" timestamp with time zone NOT NULL,
	"invited_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"reply_deadline" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_seats_role_check" CHECK ("panel_seats"."role" in ('member','leader','alternate','shadow')),
	CONSTRAINT "panel_seats_state_check" CHECK ("panel_seats"."state" in ('invited','accepted','declined','timed_out','released','replaced')),
	CONSTRAINT "panel_seats_window_check" CHECK ("panel_seats"."window_from" < "panel_seats"."window_to")
);
--> statement-breakpoint
CREATE TABLE "pool_snapshots" (
	"digest" text PRIMARY KEY NOT NULL,
	"experts" jsonb NOT NULL,
	"history" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"body" jsonb NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"window_to" timestamp with time zone NOT NULL,
	"current_draw_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	CONSTRAINT "tasks_window_check" CHECK ("tasks"."window_from" < "tasks"."window_to")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_pool_snapshot_digest_pool_snapshots_digest_fk" FOREIGN KEY ("pool_snapshot_digest") REFERENCES "public"."pool_snapshots"("digest") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experts" ADD CONSTRAINT "experts_owner_authority_id_authorities_id_fk" FOREIGN KEY ("owner_authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_draw_id_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_idx" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_authority_idx" ON "api_keys" USING btree ("authority_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_hash_idx" ON "audit_log" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_authority_idx" ON "audit_log" USING btree ("actor_authority_id");--> statement-breakpoint
CREATE UNIQUE INDEX "draws_task_sequence_idx" ON "draws" USING btree ("task_id","sequence");--> statement-breakpoint
CREATE INDEX "experts_owner_idx" ON "experts" USING btree ("owner_authority_id");--> statement-breakpoint
CREATE INDEX "experts_tier_status_idx" ON "experts" USING btree ("tier","status");--> statement-breakpoint
CREATE INDEX "experts_region_idx" ON "experts" USING btree ("region");--> statement-breakpoint
CREATE INDEX "panel_seats_task_idx" ON "panel_seats" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "panel_seats_expert_idx" ON "panel_seats" USING btree ("expert_id","window_from");--> statement-breakpoint
CREATE INDEX "tasks_authority_idx" ON "tasks" USING btree ("authority_id","created_at");