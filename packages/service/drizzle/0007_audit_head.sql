CREATE TABLE "audit_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_head_single_row" CHECK ("audit_head"."id" = 1)
);
--> statement-breakpoint
-- The head starts at the log's current tail (or the genesis hash of an empty log).
INSERT INTO "audit_head" ("id", "seq", "hash")
SELECT 1, coalesce(max("seq"), 0),
       coalesce((SELECT "hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1), repeat('0', 64))
FROM "audit_log";
