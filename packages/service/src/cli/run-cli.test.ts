import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../access/api-key.js';
import { openDatabase } from '../db/open-database.js';
import { apiKeys, authorities } from '../db/schema.js';
import { runCli } from './run-cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ed-cli-'));

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: { DATA_DIR: dataDir },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('the expert-dispatch CLI', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates the PGlite database in DATA_DIR', async () => {
    const result = await run(['migrate']);
    expect(result).toMatchObject({ code: 0, stdout: 'migrations applied (pglite)\n' });
  });

  it('creates an admin key, prints it once and stores only its hash', async () => {
    const result = await run([
      'create-admin-key',
      '--authority',
      'yn-yjt',
      '--tier',
      'province',
      '--region',
      '530000',
      '--name',
      '云南省应急管理厅',
    ]);
    expect(result.code).toBe(0);
    const secret = /edk_[A-Za-z0-9_-]{43}/.exec(result.stdout)?.[0];
    expect(secret).toBeDefined();
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
    try {
      const [key] = await database.db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.secretHash, hashApiKey(secret ?? '')));
      expect(key).toMatchObject({ authorityId: 'yn-yjt', role: 'admin' });
      const [authority] = await database.db.select().from(authorities);
      expect(authority).toMatchObject({ id: 'yn-yjt', tier: 'province', name: '云南省应急管理厅' });
      expect(JSON.stringify(await database.db.select().from(apiKeys))).not.toContain(secret);
    } finally {
      await database.close();
    }
  });

  it.each([
    [['create-admin-key', '--authority', 'x', '--tier', 'state', '--region', '530000'], 2],
    [['create-admin-key', '--authority', 'x', '--tier', 'city', '--region', '53'], 2],
    [
      [
        'create-admin-key',
        '--authority',
        'x',
        '--tier',
        'city',
        '--region',
        '530100',
        '--role',
        'root',
      ],
      2,
    ],
    // A recommender key names its organisation: issued through POST /v1/keys only.
    [
      [
        'create-admin-key',
        '--authority',
        'x',
        '--tier',
        'province',
        '--region',
        '530000',
        '--role',
        'recommender',
      ],
      2,
    ],
    [['create-admin-key', '--colour', 'red'], 1],
    [['launch'], 2],
  ])('refuses %j with exit code %i and a message', async (argv, code) => {
    const result = await run(argv);
    expect(result.code).toBe(code);
    expect(result.stderr).not.toBe('');
  });

  it('refuses an authority that contradicts the registered one', async () => {
    const result = await run([
      'create-admin-key',
      '--authority',
      'yn-yjt',
      '--tier',
      'city',
      '--region',
      '530100',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('registered as province 530000');
  });
});
