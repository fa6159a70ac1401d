-- Campaigns (issue 18): many tasks planned jointly by planCampaign. The campaign keeps the plan's
-- input (tasks, history, rule set, seed; the pool lives in its snapshot) so that
-- GET /v1/campaigns/{id}/verify can replay it, and each task keeps its own draw as today.
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"name" text NOT NULL,
	"policy" text NOT NULL,
	"load_cap" integer NOT NULL,
	"seed" text NOT NULL,
	"pool_snapshot_digest" text NOT NULL,
	"input" jsonb NOT NULL,
	"input_digest" text NOT NULL,
	"digest" text NOT NULL,
	"result" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_policy_check" CHECK ("campaigns"."policy" in ('optimal','randomized')),
	CONSTRAINT "campaigns_load_cap_check" CHECK ("campaigns"."load_cap" >= 1)
);
--> statement-breakpoint
CREATE TABLE "campaign_tasks" (
	"task_id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_pool_snapshot_digest_pool_snapshots_digest_fk" FOREIGN KEY ("pool_snapshot_digest") REFERENCES "public"."pool_snapshots"("digest") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "campaign_tasks" ADD CONSTRAINT "campaign_tasks_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "campaign_tasks" ADD CONSTRAINT "campaign_tasks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_tasks_position_idx" ON "campaign_tasks" USING btree ("campaign_id","position");
--> statement-breakpoint
CREATE INDEX "campaigns_authority_idx" ON "campaigns" USING btree ("authority_id","created_at");
