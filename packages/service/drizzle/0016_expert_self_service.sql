-- Expert self-service (issue 15 item 1, 第八条（一）（四））: one-time login codes sent through the
-- expert's own contacts, and the short-lived sessions they buy. Codes and session tokens are
-- stored only as hashes; a code is single-use, expires and burns after a few wrong attempts.
CREATE TABLE "expert_login_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"phone_key" text NOT NULL,
	"salt" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expert_login_codes" ADD CONSTRAINT "expert_login_codes_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expert_login_codes_phone_idx" ON "expert_login_codes" USING btree ("phone_key","created_at");--> statement-breakpoint
CREATE TABLE "expert_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expert_sessions" ADD CONSTRAINT "expert_sessions_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;
