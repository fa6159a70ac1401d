import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { createApp } from './app.js';
import { openDatabase } from './db/open-database.js';
import { readEnv } from './env.js';
import { createLogger } from './logger.js';
import { resolveServiceEnv } from './secrets/resolve-service-env.js';

// Writes the service's OpenAPI document to the given file (default `openapi.json`) without
// listening on a port: the app is built over a throw-away in-memory database, exactly as it
// serves `/openapi.json`. `npm run lint:openapi` lints what this writes.
// PUBLIC_BASE_URL, when set, becomes the document's server.
const target = resolve(process.argv[2] ?? 'openapi.json');
const database = await openDatabase({ kind: 'pglite' });
try {
  await database.migrate();
  const settings = readEnv({
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000',
  });
  const { env } = await resolveServiceEnv(settings, database.db, 'api');
  const app = createApp({
    db: database.db,
    env,
    logger: createLogger('silent'),
    ruleSet: yunnanGmy2025,
    now: () => new Date(),
  });
  const response = await app.request('/openapi.json');
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(await response.json(), null, 2)}\n`);
  process.stdout.write(`wrote ${target}\n`);
} finally {
  await database.close();
}
