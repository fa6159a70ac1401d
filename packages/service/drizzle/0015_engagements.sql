-- 往来业务 (issue 14, 第十六条（一）): which design, safety-evaluation, testing, standardisation-review
-- or consulting agency served which enterprise, from–to. A draw treats every agency with an
-- engagement with the served enterprise within the rule set's look-back as related to the work.
CREATE TABLE "engagements" (
	"id" text PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"enterprise_id" text NOT NULL,
	"kind" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagements_kind_check" CHECK ("engagements"."kind" in ('design','safety_evaluation','testing','standardization_review','consulting')),
	CONSTRAINT "engagements_period_check" CHECK ("engagements"."from_date" <= "engagements"."to_date"),
	CONSTRAINT "engagements_parties_check" CHECK ("engagements"."agency_id" <> "engagements"."enterprise_id")
);
--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_agency_id_organizations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "engagements_natural_key" ON "engagements" USING btree ("agency_id","enterprise_id","kind","from_date","to_date");--> statement-breakpoint
CREATE INDEX "engagements_enterprise_idx" ON "engagements" USING btree ("enterprise_id","to_date");
