-- Entries written from now on hash their time at full precision (microseconds, as stored);
-- entries already in the log keep the form they were hashed in (hash_version 1: milliseconds).
ALTER TABLE "audit_log" ADD COLUMN "hash_version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_hash_version_check" CHECK ("audit_log"."hash_version" in (1, 2));
--> statement-breakpoint
-- Ed25519 keys that sign checkpoints: a key generated at first start (private key kept here,
-- at most one) or the public half of AUDIT_SIGNING_KEY, so that old checkpoints stay checkable.
CREATE TABLE "audit_signing_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"private_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_signing_keys_one_generated_idx" ON "audit_signing_keys" ((true)) WHERE "private_key" IS NOT NULL;
--> statement-breakpoint
-- Signed statements of the chain's head: {sequence, hash, at, keyId}, exported outside.
CREATE TABLE "audit_checkpoints" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL REFERENCES "audit_signing_keys" ("key_id"),
	"signature" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" text,
	CONSTRAINT "audit_checkpoints_trigger_check" CHECK ("audit_checkpoints"."trigger" in ('scheduled','on_demand'))
);
--> statement-breakpoint
CREATE INDEX "audit_checkpoints_seq_idx" ON "audit_checkpoints" ("seq");
--> statement-breakpoint
CREATE FUNCTION "refuse_append_only_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();
--> statement-breakpoint
-- Which checkpoint reached which sink (AUDIT_CHECKPOINT_URL, AUDIT_CHECKPOINT_FILE).
CREATE TABLE "audit_checkpoint_exports" (
	"checkpoint_id" bigint NOT NULL REFERENCES "audit_checkpoints" ("id"),
	"sink" text NOT NULL,
	"exported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audit_checkpoint_exports_pk" PRIMARY KEY ("checkpoint_id", "sink"),
	CONSTRAINT "audit_checkpoint_exports_sink_check" CHECK ("audit_checkpoint_exports"."sink" in ('url','file'))
);
--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_kind_check";
--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_kind_check" CHECK ("outbox"."kind" in ('deliver_invitation','invitation_deadline','task_callback','deliver_notice','scheduled_job','audit_checkpoint_export'));
