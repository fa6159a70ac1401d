import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.js';
import { serviceSecrets } from '../db/schema.js';

/** The rows of `service_secrets`: the secrets a process may generate, and the API's address. */
export type KeptValueName = 'reply_link_secret' | 'notify_signing_secret' | 'api_base_url';

/** Bytes of a generated secret: 256 bits, as for an HMAC-SHA256 key. */
const SECRET_BYTES = 32;

/**
 * The secret kept under `name`, generated from the CSPRNG the first time any process asks for it.
 * The insert does nothing when a row is there already and the value is read back, so that API
 * and worker processes starting together on one database agree on one value.
 *
 * @example
 * const secret = await keptSecret(db, 'reply_link_secret'); // 64 hex digits, the same on every start
 */
export async function keptSecret(
  db: Database,
  name: Exclude<KeptValueName, 'api_base_url'>,
): Promise<string> {
  await db
    .insert(serviceSecrets)
    .values({ name, value: randomBytes(SECRET_BYTES).toString('hex') })
    .onConflictDoNothing({ target: serviceSecrets.name });
  const value = await storedValue(db, name);
  if (value === undefined) throw new Error(`service secret ${name} was not kept`);
  return value;
}

/**
 * Records the address the API serves on (development, without `PUBLIC_BASE_URL`), so that a
 * worker running apart builds reply links to it; the last API to start wins.
 *
 * @example
 * await recordApiBaseUrl(db, 'http://localhost:3000');
 */
export async function recordApiBaseUrl(db: Database, url: string): Promise<void> {
  await db
    .insert(serviceSecrets)
    .values({ name: 'api_base_url', value: url })
    .onConflictDoUpdate({
      target: serviceSecrets.name,
      set: { value: url, updatedAt: sql`now()` },
    });
}

/**
 * The address an API process recorded, if one has started on this database.
 *
 * @example
 * await recordedApiBaseUrl(db); // 'http://localhost:3000', or undefined
 */
export function recordedApiBaseUrl(db: Database): Promise<string | undefined> {
  return storedValue(db, 'api_base_url');
}

async function storedValue(db: Database, name: KeptValueName): Promise<string | undefined> {
  const [row] = await db
    .select({ value: serviceSecrets.value })
    .from(serviceSecrets)
    .where(eq(serviceSecrets.name, name));
  return row?.value;
}
