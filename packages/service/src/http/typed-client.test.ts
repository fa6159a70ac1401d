import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { OpenDatabase } from '../db/open-database.js';
import { seedDemoIfEmpty } from '../demo/seed-demo.js';
import { readEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { resolveServiceEnv } from '../secrets/resolve-service-env.js';
import { type LocalHttpServer, serveLocally } from '../testing/local-http-server.test-helpers.js';
import { createTestDatabase } from '../testing/test-backends.test-helpers.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../..', import.meta.url));
// openapi-typescript needs the TypeScript 5 compiler API: it lives in the workspace
// test/typed-client with its own TypeScript; the program is checked with the root's `tsc`.
const GENERATOR = join(
  dirname(
    createRequire(join(REPO, 'test/typed-client/package.json')).resolve(
      'openapi-typescript/package.json',
    ),
  ),
  'bin/cli.js',
);
const TSC = join(REPO, 'node_modules/.bin/tsc');
// Generating, typechecking and spawning programs: generous under a CI run's parallel load.
const SLOW_MS = 180_000;
// The demo's clock: the README's task (8–9 December 2026) lies ahead of it.
const NOW = new Date('2026-12-01T09:00:00+08:00');

/**
 * The README's first steps, written against the generated types with openapi-fetch's defaults:
 * list experts, create a dispatcher key, request a panel with an Idempotency-Key (twice: the
 * same answer), read it back, create an auditor key and verify the draw. A wrong path, body or
 * field name would not typecheck.
 */
const README_FLOW = `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const baseUrl = process.env.BASE_URL ?? '';
const bearer = (key: string) => ({ Authorization: \`Bearer \${key}\` });
const admin = createClient<paths>({ baseUrl, headers: bearer(process.env.ADMIN_KEY ?? '') });

const experts = await admin.GET('/v1/experts', { params: { query: { limit: 2 } } });
if (experts.data === undefined) throw new Error(\`list experts: \${experts.response.status}\`);

const issued = await admin.POST('/v1/keys', {
  body: { role: 'dispatcher', label: 'first dispatcher' },
});
if (issued.data === undefined) throw new Error(\`dispatcher key: \${issued.response.status}\`);
const dispatcher = createClient<paths>({ baseUrl, headers: bearer(issued.data.key) });

const request = {
  params: { header: { 'idempotency-key': 'first-task-0001' } },
  body: {
    type: 'enforcement_inspection' as const,
    industries: ['metallurgy' as const],
    enterprise: { id: 'org-kmgt', name: '昆明钢铁控股有限公司', region: '530100' },
    window: { from: '2026-12-08T08:30:00+08:00', to: '2026-12-09T18:00:00+08:00' },
    panelSize: 3,
    alternates: 1,
  },
};
const created = await dispatcher.POST('/v1/tasks', request);
if (created.data === undefined) {
  throw new Error(\`request a panel: \${created.response.status} \${JSON.stringify(created.error)}\`);
}
const repeated = await dispatcher.POST('/v1/tasks', request);

const read = await dispatcher.GET('/v1/tasks/{id}', {
  params: { path: { id: created.data.id } },
});
if (read.data === undefined) throw new Error(\`read the task: \${read.response.status}\`);

const auditorKey = await admin.POST('/v1/keys', { body: { role: 'auditor', label: 'first auditor' } });
if (auditorKey.data === undefined) throw new Error(\`auditor key: \${auditorKey.response.status}\`);
const auditor = createClient<paths>({ baseUrl, headers: bearer(auditorKey.data.key) });
if (read.data.draw === null) throw new Error('the task has no draw');
const verified = await auditor.GET('/v1/draws/{id}/verify', {
  params: { path: { id: read.data.draw.id } },
});
if (verified.data === undefined) throw new Error(\`verify: \${verified.response.status}\`);

process.stdout.write(JSON.stringify({
  experts: experts.data.items.length,
  created: created.response.status,
  repeatedSameTask: repeated.data?.id === created.data.id,
  status: read.data.status,
  seats: read.data.panel.map((seat) => \`\${seat.role}:\${seat.state}\`).sort(),
  drawVerified: verified.data.ok,
}));
`;

const TSCONFIG = {
  extends: join(REPO, 'tsconfig.json'),
  compilerOptions: { noEmit: true, declaration: false, declarationMap: false, sourceMap: false },
  include: ['*.ts'],
};

// Issue 12, item 7: a generator's default settings turn the live /openapi.json into types that
// typecheck, and the README's flow runs through the typed client against a real server.
describe('a typed client generated from the live /openapi.json', () => {
  let database: OpenDatabase;
  let server: LocalHttpServer;
  let adminKey = '';
  const work = mkdtempSync(join(tmpdir(), 'ed-typed-client-'));

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    const seeded = await seedDemoIfEmpty(database.db, { size: 300, seed: 1, now: NOW });
    adminKey = seeded?.key.key ?? '';
    const { env } = await resolveServiceEnv(readEnv({ LOG_LEVEL: 'silent' }), database.db, 'api');
    const app = createApp({
      db: database.db,
      env,
      logger: createLogger('silent'),
      ruleSet: yunnanGmy2025,
      now: () => NOW,
    });
    server = await serveLocally(app.fetch);
    // The program resolves openapi-fetch, tsx and @types/node from the repository.
    symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(join(work, 'package.json'), '{"type":"module","private":true}\n');
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    writeFileSync(join(work, 'readme-flow.ts'), README_FLOW);
    await run(
      process.execPath,
      [GENERATOR, `${server.origin}/openapi.json`, '-o', join(work, 'schema.ts')],
      { cwd: work },
    );
  }, SLOW_MS);
  afterAll(async () => {
    await server?.close();
    await database?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'generates types with openapi-typescript that typecheck with the program using them',
    async () => {
      const checked = await run(TSC, ['-p', 'tsconfig.json'], { cwd: work }).catch(
        (error: { stdout?: string; code?: number }) => ({
          stdout: error.stdout ?? '',
          failed: true,
        }),
      );
      expect(checked.stdout).toBe('');
      expect('failed' in checked).toBe(false);
    },
    SLOW_MS,
  );

  it(
    "runs the README's flow through openapi-fetch: experts, keys, an idempotent panel request and a verified draw",
    async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'readme-flow.ts'], {
        cwd: work,
        env: { ...process.env, BASE_URL: server.origin, ADMIN_KEY: adminKey },
      });
      expect(JSON.parse(stdout)).toEqual({
        experts: 2,
        created: 201,
        repeatedSameTask: true,
        status: 'inviting',
        seats: ['alternate:reserve', 'leader:invited', 'member:invited', 'member:invited'],
        drawVerified: true,
      });
    },
    SLOW_MS,
  );
});
