-- The working-day calendar as data (issue 14, 第十条（四）: 公示5个工作日): one row per year of the
-- State Council's arrangement, maintained through PUT /v1/calendar/{year}. The shipped national
-- arrangement of 2025 and 2026 (china-national-2025-2026) is the first two rows.
CREATE TABLE "working_calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" jsonb NOT NULL,
	"makeup_workdays" jsonb NOT NULL,
	"source" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "working_calendar_years_year_check" CHECK ("working_calendar_years"."year" between 1900 and 2200),
	CONSTRAINT "working_calendar_years_lists_check" CHECK (jsonb_typeof("working_calendar_years"."holidays") = 'array' and jsonb_typeof("working_calendar_years"."makeup_workdays") = 'array')
);--> statement-breakpoint
INSERT INTO "working_calendar_years" ("year", "holidays", "makeup_workdays", "source", "updated_by") VALUES (2025, '["2025-01-01","2025-01-28","2025-01-29","2025-01-30","2025-01-31","2025-02-01","2025-02-02","2025-02-03","2025-02-04","2025-04-04","2025-04-05","2025-04-06","2025-05-01","2025-05-02","2025-05-03","2025-05-04","2025-05-05","2025-05-31","2025-06-01","2025-06-02","2025-10-01","2025-10-02","2025-10-03","2025-10-04","2025-10-05","2025-10-06","2025-10-07","2025-10-08"]'::jsonb, '["2025-01-26","2025-02-08","2025-04-27","2025-09-28","2025-10-11"]'::jsonb, 'china-national-2025-2026', 'migration 0013') ON CONFLICT ("year") DO NOTHING;--> statement-breakpoint
INSERT INTO "working_calendar_years" ("year", "holidays", "makeup_workdays", "source", "updated_by") VALUES (2026, '["2026-01-01","2026-01-02","2026-01-03","2026-02-15","2026-02-16","2026-02-17","2026-02-18","2026-02-19","2026-02-20","2026-02-21","2026-02-22","2026-02-23","2026-04-04","2026-04-05","2026-04-06","2026-05-01","2026-05-02","2026-05-03","2026-05-04","2026-05-05","2026-06-19","2026-06-20","2026-06-21","2026-09-25","2026-09-26","2026-09-27","2026-10-01","2026-10-02","2026-10-03","2026-10-04","2026-10-05","2026-10-06","2026-10-07"]'::jsonb, '["2026-01-04","2026-02-14","2026-02-28","2026-05-09","2026-09-20","2026-10-10"]'::jsonb, 'china-national-2025-2026', 'migration 0013') ON CONFLICT ("year") DO NOTHING;--> statement-breakpoint
-- An age waiver (第九条（五）: 经省应急管理厅审核同意，年龄可适当放宽) carries its own approved limit
-- (an age or a last date) and its evidence; 适当放宽 is not "no limit".
ALTER TABLE "experts" ADD COLUMN "age_waiver_approval" jsonb;--> statement-breakpoint
-- Waivers recorded before this migration named no limit: they are taken as approved for the
-- expert's current term (its last day), or, without a term, up to the 70 of 特别优秀者; the
-- department re-approves with the real document. The evidence says where the record came from.
UPDATE "experts" SET "age_waiver_approval" = jsonb_strip_nulls(jsonb_build_object(
	'lastDate', "appointment"->>'to',
	'maxAge', CASE WHEN "appointment" IS NULL THEN 70 END,
	'document', '迁移前记录，未载明批准文号 / recorded before migration 0013, no document reference',
	'approvedBy', '未载明 / not recorded',
	'approvedOn', to_char(("updated_at" AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD')
)) WHERE "age_waiver" = true;--> statement-breakpoint
ALTER TABLE "experts" ADD CONSTRAINT "experts_age_waiver_approval_check" CHECK (("age_waiver" = false) = ("age_waiver_approval" IS NULL));--> statement-breakpoint
-- The article a disqualification was made under: 第十六条（三） (misuse of the title, the only
-- way before this migration) or 第二十三条（六） (dismissal for obtaining the qualification by
-- fraud). The re-admission bar of the rule set reads it.
ALTER TABLE "experts" ADD COLUMN "disqualified_under" text;--> statement-breakpoint
UPDATE "experts" SET "disqualified_under" = '第十六条（三）' WHERE "disqualified_on" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "experts" ADD CONSTRAINT "experts_disqualified_under_check" CHECK ("disqualified_under" IS NULL OR ("disqualified_under" in ('第十六条（三）','第二十三条（六）') AND "disqualified_on" IS NOT NULL));
