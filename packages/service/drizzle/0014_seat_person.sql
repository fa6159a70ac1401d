-- One person, one booking (issue 14, 第十五条, 第二十一条): the no-double-booking exclusion
-- constraint of 0001 was per record, so two draws at the same moment could book one person
-- under a provincial and a local record. Each seat now carries its person (the smallest expert
-- id among that person's records, decided as tasks/person-ids.ts decides it, over every pool)
-- and the constraint is on the person. The ID numbers are compared inside the database only.
CREATE INDEX IF NOT EXISTS "experts_id_number_idx" ON "experts" USING btree ("id_number") WHERE "id_number" IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "experts_name_birth_idx" ON "experts" USING btree ("name","birth_date");--> statement-breakpoint
-- Every record of the person of `expert`: the same resident ID number; without one, the same name
-- and birth date when that group carries one number (that number's person) or none (the group);
-- a record whose group carries several numbers cannot be told whose it is and stands alone.
CREATE OR REPLACE FUNCTION "expert_person_records"(expert text) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
  with me as (
    select id, name, birth_date, id_number from experts where id = expert),
  grouped as (
    select count(distinct x.id_number)::int as numbers, min(x.id_number) as number
      from experts x join me on x.name = me.name and x.birth_date = me.birth_date
     where x.id_number is not null),
  person as (
    select me.id, me.name, me.birth_date,
           coalesce(me.id_number, case when g.numbers = 1 then g.number end) as number,
           me.id_number is null and g.numbers = 0 as by_name
      from me, grouped g)
  select x.id from experts x join person p on x.id_number = p.number
  union
  select x.id
    from person p
    join experts y on y.id_number = p.number
    join experts x on x.name = y.name and x.birth_date = y.birth_date and x.id_number is null
   where not exists (
     select 1 from experts z
      where z.name = x.name and z.birth_date = x.birth_date
        and z.id_number is not null and z.id_number <> p.number)
  union
  select x.id from experts x join person p
    on p.by_name and x.id_number is null and x.name = p.name and x.birth_date = p.birth_date
  union
  select id from person
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "expert_person_id"(expert text) RETURNS text
LANGUAGE sql STABLE AS $$
  select min(r collate "C") from expert_person_records(expert) as r
$$;--> statement-breakpoint
ALTER TABLE "panel_seats" ADD COLUMN "person_id" text;--> statement-breakpoint
UPDATE "panel_seats" SET "person_id" = expert_person_id("expert_id");--> statement-breakpoint
ALTER TABLE "panel_seats" ALTER COLUMN "person_id" SET NOT NULL;--> statement-breakpoint
-- Every way a seat is written (a draw, a backfill, a kept seat) gets its person here.
CREATE OR REPLACE FUNCTION "panel_seats_set_person"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.person_id := expert_person_id(NEW.expert_id);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "panel_seats_person" BEFORE INSERT OR UPDATE OF "expert_id" ON "panel_seats"
  FOR EACH ROW EXECUTE FUNCTION "panel_seats_set_person"();--> statement-breakpoint
ALTER TABLE "panel_seats" DROP CONSTRAINT "panel_seats_no_double_booking";--> statement-breakpoint
-- The predicate is 0001's (and 0011's): a seat holds while invited or accepted, not an alternate.
ALTER TABLE "panel_seats" ADD CONSTRAINT "panel_seats_no_double_booking" EXCLUDE USING gist (
  "person_id" WITH =,
  tstzrange("window_from", "window_to", '[)') WITH &&
) WHERE ("state" IN ('invited', 'accepted') AND "role" <> 'alternate');
