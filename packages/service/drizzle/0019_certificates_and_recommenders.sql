-- Issue 15 items 4 and 5. Certificates (聘书, 第十一条): one row per term of an expert, numbered
-- per year of the term's start (printed by the rule set's certificateNumbering), sealed when the
-- appointment is sealed, revoked when the expert is dismissed (incl. disqualified) or withdraws.
-- A trigger on experts keeps them, so every path that appoints, renews, seals or dismisses (the
-- actions, imports, the term-lapse job) issues the same certificates; its changes ride on the
-- expert's own audited change. Recommenders (第二十一条（一）, 第二十二条): a key role bound to an
-- organisation, whose recommendations carry the candidate until the province approves them.
CREATE TABLE "certificate_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"expert_id" text NOT NULL,
	"term_from" date NOT NULL,
	"term_to" date NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"sealed_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "certificates_year_seq_pk" PRIMARY KEY("year","seq"),
	CONSTRAINT "certificates_seq_check" CHECK ("certificates"."seq" >= 1)
);
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_expert_term_idx" ON "certificates" USING btree ("expert_id","term_from");--> statement-breakpoint
-- A stored appointment whose dates do not parse (written around the API) gets no certificate
-- and never blocks a write to the expert: dates are read with this instead of a cast.
CREATE FUNCTION "certificate_date"(value text) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN value::date;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Existing appointments, numbered by term start, then expert id, within each year.
INSERT INTO "certificates" ("year", "seq", "expert_id", "term_from", "term_to", "issued_at", "sealed_at", "revoked_at")
SELECT extract(year from e."from")::integer,
       row_number() OVER (PARTITION BY extract(year from e."from") ORDER BY e."from", e."id")::integer,
       e."id", e."from", e."to", now(),
       CASE WHEN e."sealed" THEN now() END,
       CASE WHEN e."status" IN ('dismissed','withdrawn') THEN now() END
FROM (
  SELECT "id", "status", "certificate_date"("appointment"->>'from') AS "from",
         "certificate_date"("appointment"->>'to') AS "to",
         coalesce("appointment"->'sealed' = 'true'::jsonb, false) AS "sealed"
  FROM "experts" WHERE "appointment" IS NOT NULL
) e
WHERE e."from" IS NOT NULL AND e."to" IS NOT NULL;
--> statement-breakpoint
INSERT INTO "certificate_counters" ("year", "last")
SELECT "year", max("seq") FROM "certificates" GROUP BY "year";
--> statement-breakpoint
CREATE FUNCTION "keep_certificates"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_from date;
  v_to date;
  v_year integer;
  v_seq integer;
BEGIN
  v_from := "certificate_date"(NEW."appointment"->>'from');
  v_to := "certificate_date"(NEW."appointment"->>'to');
  IF v_from IS NOT NULL AND v_to IS NOT NULL THEN
    IF NOT EXISTS (SELECT 1 FROM "certificates" c WHERE c."expert_id" = NEW."id" AND c."term_from" = v_from) THEN
      v_year := extract(year from v_from)::integer;
      -- One row per year, updated in place: concurrent issues queue on it, never share a number.
      INSERT INTO "certificate_counters" ("year", "last") VALUES (v_year, 1)
        ON CONFLICT ("year") DO UPDATE SET "last" = "certificate_counters"."last" + 1
        RETURNING "last" INTO v_seq;
      INSERT INTO "certificates" ("year", "seq", "expert_id", "term_from", "term_to", "issued_at")
        VALUES (v_year, v_seq, NEW."id", v_from, v_to, now());
    ELSE
      UPDATE "certificates" SET "term_to" = v_to
        WHERE "expert_id" = NEW."id" AND "term_from" = v_from AND "term_to" <> v_to;
    END IF;
    IF NEW."appointment"->'sealed' = 'true'::jsonb THEN
      UPDATE "certificates" SET "sealed_at" = now()
        WHERE "expert_id" = NEW."id" AND "term_from" = v_from AND "sealed_at" IS NULL;
    END IF;
  END IF;
  IF NEW."status" IN ('dismissed','withdrawn') THEN
    UPDATE "certificates" SET "revoked_at" = now()
      WHERE "expert_id" = NEW."id" AND "revoked_at" IS NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "experts_keep_certificates"
  AFTER INSERT OR UPDATE OF "appointment", "status" ON "experts"
  FOR EACH ROW EXECUTE FUNCTION "keep_certificates"();
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "organization_id" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_role_check";--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('admin','dispatcher','auditor','viewer','recommender'));--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_check" CHECK (("api_keys"."role" = 'recommender') = ("api_keys"."organization_id" is not null));--> statement-breakpoint
ALTER TABLE "recommendations" ALTER COLUMN "expert_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "recommendations" ADD COLUMN "from_organization_id" text;--> statement-breakpoint
ALTER TABLE "recommendations" ADD COLUMN "candidate" jsonb;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_from_organization_id_organizations_id_fk" FOREIGN KEY ("from_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_subject_check" CHECK (("recommendations"."expert_id" is null) = ("recommendations"."candidate" is not null) and ("recommendations"."candidate" is null) = ("recommendations"."from_organization_id" is null));
