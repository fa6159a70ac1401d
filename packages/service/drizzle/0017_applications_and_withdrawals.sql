-- Applications to the pool (第十条（一）（二）) with their proof attachments, and experts' written
-- applications for voluntary withdrawal (第二十四条). Attachments are kept in the database
-- (bytea), type-checked by content on the way in and only ever downloaded as attachments.
CREATE TABLE "expert_applications" (
	"id" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"consent" jsonb NOT NULL,
	"education" text NOT NULL,
	"resume" text,
	"client_address" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expert_applications" ADD CONSTRAINT "expert_applications_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "expert_applications_expert_idx" ON "expert_applications" USING btree ("expert_id");--> statement-breakpoint
CREATE TABLE "application_attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" bytea NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "application_attachments_media_type_check" CHECK ("application_attachments"."media_type" in ('application/pdf','image/jpeg','image/png'))
);
--> statement-breakpoint
ALTER TABLE "application_attachments" ADD CONSTRAINT "application_attachments_application_id_expert_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."expert_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_attachments_application_idx" ON "application_attachments" USING btree ("application_id");--> statement-breakpoint
CREATE TABLE "withdrawal_applications" (
	"id" text PRIMARY KEY NOT NULL,
	"expert_id" text NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "withdrawal_applications_state_check" CHECK ("withdrawal_applications"."state" in ('open','accepted','refused'))
);
--> statement-breakpoint
ALTER TABLE "withdrawal_applications" ADD CONSTRAINT "withdrawal_applications_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "withdrawal_applications_one_open_idx" ON "withdrawal_applications" USING btree ("expert_id") WHERE "withdrawal_applications"."state" = 'open';--> statement-breakpoint
CREATE INDEX "withdrawal_applications_state_idx" ON "withdrawal_applications" USING btree ("state","created_at");
