-- 抽取记录 (issue 16): the names of the person who made a draw at the dispatch desk and of the
-- supervisor beside them, entered at the draw and printed on the draw record for signing.
CREATE TABLE "draw_signatories" (
	"draw_id" text PRIMARY KEY NOT NULL,
	"drawn_by" text NOT NULL,
	"supervisor" text NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "draw_signatories_names_check" CHECK (length("draw_signatories"."drawn_by") BETWEEN 1 AND 50 AND length("draw_signatories"."supervisor") BETWEEN 1 AND 50)
);
--> statement-breakpoint
ALTER TABLE "draw_signatories" ADD CONSTRAINT "draw_signatories_draw_id_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."draws"("id") ON DELETE no action ON UPDATE no action;
