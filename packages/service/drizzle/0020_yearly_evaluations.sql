-- The yearly evaluation (年度评价, 第二十条): one result per expert and year, computed from the
-- year's records under the rule set's local-policy weights, with its evidence and the expert's
-- record as it stood at the end of the year. An admin's adjustment (grade and reason) is kept
-- apart from the computed grade, so that recomputing the year replaces the one and keeps the
-- other. The score (0–100, one decimal) is kept in tenths: integer types only.
CREATE TABLE "yearly_evaluations" (
	"year" integer NOT NULL,
	"expert_id" text NOT NULL,
	"authority_id" text NOT NULL,
	"score_tenths" integer NOT NULL,
	"computed_grade" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"basis" jsonb NOT NULL,
	"rule_set" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"computed_by" text NOT NULL,
	"adjusted_grade" text,
	"adjustment_reason" text,
	"adjusted_by" text,
	"adjusted_at" timestamp with time zone,
	CONSTRAINT "yearly_evaluations_year_expert_id_pk" PRIMARY KEY("year","expert_id"),
	CONSTRAINT "yearly_evaluations_year_check" CHECK ("yearly_evaluations"."year" between 2000 and 2100),
	CONSTRAINT "yearly_evaluations_score_check" CHECK ("yearly_evaluations"."score_tenths" between 0 and 1000),
	CONSTRAINT "yearly_evaluations_computed_grade_check" CHECK ("yearly_evaluations"."computed_grade" in ('excellent','competent','basically_competent','incompetent')),
	CONSTRAINT "yearly_evaluations_adjusted_grade_check" CHECK ("yearly_evaluations"."adjusted_grade" is null or "yearly_evaluations"."adjusted_grade" in ('excellent','competent','basically_competent','incompetent')),
	CONSTRAINT "yearly_evaluations_adjustment_check" CHECK (("yearly_evaluations"."adjusted_grade" is null) = ("yearly_evaluations"."adjustment_reason" is null))
);
--> statement-breakpoint
ALTER TABLE "yearly_evaluations" ADD CONSTRAINT "yearly_evaluations_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "yearly_evaluations" ADD CONSTRAINT "yearly_evaluations_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "yearly_evaluations_authority_year_idx" ON "yearly_evaluations" USING btree ("authority_id","year");--> statement-breakpoint
CREATE INDEX "yearly_evaluations_expert_idx" ON "yearly_evaluations" USING btree ("expert_id","year");
