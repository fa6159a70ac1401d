-- Secrets the service generates for itself when none are configured (reply-link and
-- notification signing keys), and settings one process records for another (the API's base
-- address, read by a worker running apart). Kept with the data, as the first admin key is:
-- every process on this database signs and checks with the same keys.
CREATE TABLE "service_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
