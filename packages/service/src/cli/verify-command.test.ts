import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTaskRequest, postTask, seedPanelPool } from '../tasks/task-fixtures.test-helpers.js';
import {
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { runCli } from './run-cli.js';

describe('expert-dispatch verify <draw.json>', () => {
  let t: TestContext;
  let dir: string;
  let file: Record<string, unknown> & { input: Record<string, unknown> };

  beforeAll(async () => {
    t = await createTestContext('pglite');
    dir = await mkdtemp(join(tmpdir(), 'ed-verify-'));
    await seedPanelPool(t, 6);
    const created = await postTask(t, makeTaskRequest({ id: 't-cli' }), 'key-cli-0001');
    const drawId = (created.body as unknown as { draw: { id: string } }).draw.id;
    file = (await call(t, 'GET', `/v1/draws/${drawId}/export`, { key: 'yn.auditor' }))
      .body as never;
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function verify(content: string) {
    const path = join(dir, `draw-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, content);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['verify', path], {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: {},
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('confirms an exported draw with no database (exit 0)', async () => {
    const outcome = await verify(JSON.stringify(file));
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('VERIFIED 复核通过');
  });

  it('rejects a draw whose seed was changed (exit 1)', async () => {
    const outcome = await verify(
      JSON.stringify({ ...file, input: { ...file.input, seed: 'chosen-later' } }),
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('NOT VERIFIED');
  });

  it('rejects a draw whose recorded panel was edited (exit 1)', async () => {
    const result = file.result as { members: { expertId: string }[] };
    const edited = { ...result, members: [...result.members].reverse() };
    const outcome = await verify(JSON.stringify({ ...file, result: edited }));
    expect(outcome.code).toBe(1);
  });

  it.each([
    ['not JSON', '{"format":'],
    ['not a draw record', JSON.stringify({ format: 'something-else' })],
  ])('refuses a file that is %s (exit 2)', async (_name, content) => {
    const outcome = await verify(content);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.length).toBeGreaterThan(0);
  });

  it('refuses a missing file (exit 2)', async () => {
    const out: string[] = [];
    const code = await runCli(['verify', join(dir, 'missing.json')], {
      stdout: () => {},
      stderr: (s) => out.push(s),
      env: {},
    });
    expect(code).toBe(2);
    expect(out.join('')).toContain('cannot read');
  });
});
